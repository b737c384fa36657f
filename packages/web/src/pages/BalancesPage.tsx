import { useState } from 'react';
import { api, query } from '../api.js';
import { BarChart } from '../components/BarChart.js';
import { Card } from '../components/Card.js';
import { ListTable, type TableSpec } from '../components/DataTable.js';
import { DownloadLinks } from '../components/DownloadLinks.js';
import { PageHead } from '../components/PageHead.js';
import { Loaded } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { VerdictBadge } from '../components/VerdictBadge.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import type { AgeingView, BalanceList } from '../types.js';

const LIMIT = 50;
const BUCKETS = ['days0to30', 'days31to60', 'days61to90', 'over90'] as const;

type Balance = BalanceList['items'][number];

const TABLE: TableSpec<Balance> = {
  testId: 'balances',
  rowKey: (row) => row.clientKey,
  rowClassName: (row) => (row.verdict === 'mismatch' ? 'anomaly' : ''),
  columns: [
    {
      header: 'common.name',
      cell: (row) => <Link href={`/clients/${encodeURIComponent(row.clientKey)}`}>{row.name}</Link>,
    },
    { header: 'statement.opening', money: (row) => row.openingBalance },
    {
      header: 'statement.closing',
      money: (row) => row.closingBalance,
      data: (row) => ({ 'data-client': row.clientKey, 'data-closing': row.closingBalance ?? '' }),
    },
    { header: 'statement.computed', money: (row) => row.computedClosingBalance },
    { header: 'statement.difference', money: (row) => row.difference },
    { header: 'customers.verdict', cell: (row) => <VerdictBadge verdict={row.verdict} /> },
  ],
};

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
      <PageHead title="balances.title">
        <DownloadLinks
          links={[
            { href: '/api/exports/balances.csv?sep=%3B', label: 'balances.exportCsv' },
            { href: '/api/exports/balances.xlsx', label: 'balances.exportExcel' },
            { href: '/api/exports/ageing.csv?sep=%3B', label: 'balances.ageingCsv' },
            { href: '/api/exports/ageing.xlsx', label: 'balances.ageingExcel' },
          ]}
        />
      </PageHead>
      <Loaded state={ageing}>
        {({ overall, debtors }) => (
          <section aria-labelledby="ageing-title">
            <h2 id="ageing-title">{t('balances.ageing')}</h2>
            <div className="cards">
              {BUCKETS.map((bucket) => (
                <Card key={bucket} label={`balances.${bucket}`} danger={bucket === 'over90'}>
                  <strong data-testid={`ageing-${bucket}`}>{formatMoney(overall[bucket])}</strong>
                </Card>
              ))}
              <Card label="balances.outstanding">
                <strong>{formatMoney(overall.outstanding)}</strong>
              </Card>
            </div>
            <div className="charts">
              <BarChart
                title={t('balances.ageingChart')}
                format={formatMoney}
                bars={BUCKETS.map((bucket, index) => ({
                  label: t(`balances.${bucket}`),
                  value: overall[bucket],
                  tone: index === 3 ? 'danger' : index === 2 ? 'warn' : 'default',
                }))}
              />
              <BarChart
                title={t('balances.topDebtors')}
                format={formatMoney}
                bars={debtors.map((debtor) => ({ label: debtor.name, value: debtor.balance }))}
              />
            </div>
          </section>
        )}
      </Loaded>
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
      <ListTable state={balances} table={TABLE} paging={{ offset, limit: LIMIT, onChange: setOffset }} />
    </main>
  );
}
