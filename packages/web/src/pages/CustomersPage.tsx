import { useEffect, useState } from 'react';
import { api, query, startJob } from '../api.js';
import { JobProgress } from '../components/JobProgress.js';
import { Pager } from '../components/Pager.js';
import { Status } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { VerdictBadge } from '../components/VerdictBadge.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import type { CustomerList } from '../types.js';

const LIMIT = 50;

export function CustomersPage() {
  const { t, formatMoney } = useI18n();
  const [typed, setTyped] = useState('');
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  // One request when typing pauses, not one per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(typed);
      setOffset(0);
    }, 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const [jobId, setJobId] = useState<string>();
  const [startError, setStartError] = useState<Error>();
  const customers = useAsync(
    () => api<CustomerList>(`/api/clients${query({ search, offset, limit: LIMIT })}`),
    [search, offset],
  );

  const refresh = async () => {
    setStartError(undefined);
    try {
      setJobId((await startJob('/api/clients/refresh')).jobId);
    } catch (error) {
      setStartError(error as Error);
    }
  };

  return (
    <main id="main">
      <header className="page-head">
        <h1>{t('customers.title')}</h1>
        <button type="button" onClick={refresh}>
          {t('customers.refresh')}
        </button>
      </header>
      <Status error={startError} />
      <JobProgress jobId={jobId} onEnd={customers.reload} />
      <label className="search">
        {t('customers.searchLabel')}
        <input type="search" name="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </label>
      <Status loading={customers.loading && !customers.data} error={customers.error} />
      {customers.data && (
        <>
          <p data-testid="customer-total">{t('common.total', { count: customers.data.total })}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('common.key')}</th>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col">{t('customers.phone')}</th>
                  <th scope="col" className="num">
                    {t('customers.balance')}
                  </th>
                  <th scope="col">{t('customers.verdict')}</th>
                  <th scope="col">{t('customers.lastPayment')}</th>
                </tr>
              </thead>
              <tbody>
                {customers.data.items.map((customer) => (
                  <tr key={customer.clientKey}>
                    <td>{customer.clientKey}</td>
                    <td>
                      <Link href={`/clients/${encodeURIComponent(customer.clientKey)}`}>{customer.name}</Link>
                    </td>
                    <td>{customer.phone ?? ''}</td>
                    <td className="num">{formatMoney(customer.balance)}</td>
                    <td>
                      <VerdictBadge verdict={customer.verdict} />
                    </td>
                    <td>{customer.lastPaymentDate ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} limit={LIMIT} total={customers.data.total} onChange={setOffset} />
        </>
      )}
    </main>
  );
}
