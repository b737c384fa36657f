import { useState } from 'react';
import { api, query } from '../api.js';
import { BarChart } from '../components/BarChart.js';
import { Pager } from '../components/Pager.js';
import { Status } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { VerdictBadge } from '../components/VerdictBadge.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import type { AgeingView, BalanceList } from '../types.js';

const LIMIT = 50;
const BUCKETS = ['days0to30', 'days31to60', 'days61to90', 'over90'] as const;

export function BalancesPage() {
  const { t, formatMoney } = useI18n();
  const [offset, setOffset] = useState(0);
  const [discrepanciesFirst, setDiscrepanciesFirst] = useState(true);
  const balances = useAsync(
    () => api<BalanceList>(`/api/balances${query({ offset, limit: LIMIT, discrepanciesFirst })}`),
    [offset, discrepanciesFirst],
  );
  const ageing = useAsync(() => api<AgeingView>('/api/receivables/ageing?debtors=10&limit=1'), []);

  return (
    <main id="main">
      <h1>{t('balances.title')}</h1>
      <Status loading={ageing.loading && !ageing.data} error={ageing.error} />
      {ageing.data && (
        <section aria-labelledby="ageing-title">
          <h2 id="ageing-title">{t('balances.ageing')}</h2>
          <div className="cards">
            {BUCKETS.map((bucket) => (
              <div className={`card ${bucket === 'over90' ? 'danger' : ''}`} key={bucket}>
                <span>{t(`balances.${bucket}`)}</span>
                <strong data-testid={`ageing-${bucket}`}>{formatMoney(ageing.data?.overall[bucket])}</strong>
              </div>
            ))}
            <div className="card">
              <span>{t('balances.outstanding')}</span>
              <strong>{formatMoney(ageing.data.overall.outstanding)}</strong>
            </div>
          </div>
          <BarChart
            title={t('balances.topDebtors')}
            format={formatMoney}
            bars={ageing.data.debtors.map((debtor) => ({ label: debtor.name, value: debtor.balance }))}
          />
        </section>
      )}
      <label className="inline">
        <input
          type="checkbox"
          checked={discrepanciesFirst}
          onChange={(e) => {
            setDiscrepanciesFirst(e.target.checked);
            setOffset(0);
          }}
        />
        {t('balances.discrepanciesFirst')}
      </label>
      <Status loading={balances.loading && !balances.data} error={balances.error} />
      {balances.data && (
        <>
          <div className="table-wrap">
            <table data-testid="balances">
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col" className="num">
                    {t('statement.opening')}
                  </th>
                  <th scope="col" className="num">
                    {t('statement.closing')}
                  </th>
                  <th scope="col" className="num">
                    {t('statement.computed')}
                  </th>
                  <th scope="col" className="num">
                    {t('statement.difference')}
                  </th>
                  <th scope="col">{t('customers.verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {balances.data.items.map((row) => (
                  <tr key={row.clientKey} className={row.verdict === 'mismatch' ? 'anomaly' : ''}>
                    <td>
                      <Link href={`/clients/${encodeURIComponent(row.clientKey)}`}>{row.name}</Link>
                    </td>
                    <td className="num">{formatMoney(row.openingBalance)}</td>
                    <td className="num" data-client={row.clientKey} data-closing={row.closingBalance ?? ''}>
                      {formatMoney(row.closingBalance)}
                    </td>
                    <td className="num">{formatMoney(row.computedClosingBalance)}</td>
                    <td className="num">{formatMoney(row.difference)}</td>
                    <td>
                      <VerdictBadge verdict={row.verdict} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} limit={LIMIT} total={balances.data.total} onChange={setOffset} />
        </>
      )}
    </main>
  );
}
