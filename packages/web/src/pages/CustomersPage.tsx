import { defaultPeriod } from '@pharma/shared/period';
import { useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { DownloadLinks } from '../components/DownloadLinks.js';
import { TextField } from '../components/Field.js';
import { StartedJobProgress } from '../components/JobProgress.js';
import { PageHead } from '../components/PageHead.js';
import { Pager } from '../components/Pager.js';
import { Loaded } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useStartJob } from '../components/useStartJob.js';
import { VerdictBadge } from '../components/VerdictBadge.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import type { CustomerList } from '../types.js';

const LIMIT = 50;

type Customer = CustomerList['items'][number];

const COLUMNS: Column<Customer>[] = [
  { header: 'common.key', cell: (customer) => customer.clientKey },
  {
    header: 'common.name',
    cell: (customer) => <Link href={`/clients/${encodeURIComponent(customer.clientKey)}`}>{customer.name}</Link>,
  },
  { header: 'customers.phone', cell: (customer) => customer.phone ?? '' },
  { header: 'customers.balance', money: (customer) => customer.balance },
  { header: 'customers.verdict', cell: (customer) => <VerdictBadge verdict={customer.verdict} /> },
  { header: 'customers.lastPayment', cell: (customer) => customer.lastPaymentDate ?? '' },
];

export function CustomersPage() {
  const { t, formatDate } = useI18n();
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
  const refresh = useStartJob('/api/clients/refresh');
  const downloadAll = useStartJob('/api/statements/refresh');
  const allPeriod = defaultPeriod();
  const customers = useAsync(
    () => api<CustomerList>(`/api/clients${query({ search, offset, limit: LIMIT })}`),
    [search, offset],
  );

  return (
    <main id="main">
      <PageHead title="customers.title" action={{ label: 'customers.refresh', run: refresh.start }}>
        <button type="button" className="secondary" onClick={() => downloadAll.start(allPeriod)}>
          {t('customers.downloadAll', { from: formatDate(allPeriod.from), to: formatDate(allPeriod.to) })}
        </button>
        <DownloadLinks
          links={[
            { href: '/api/exports/customers.csv?sep=%3B', label: 'customers.exportCsv' },
            { href: '/api/exports/customers.xlsx', label: 'customers.exportExcel' },
            { href: '/api/pharmacy.db', label: 'customers.database' },
          ]}
        />
      </PageHead>
      <StartedJobProgress starter={refresh} onEnd={customers.reload} />
      <StartedJobProgress starter={downloadAll} onEnd={customers.reload} />
      <TextField
        className="search"
        label="customers.searchLabel"
        type="search"
        name="search"
        value={typed}
        onChange={setTyped}
      />
      <Loaded state={customers}>
        {({ items, total }) => (
          <>
            <p data-testid="customer-total">{t('common.total', { count: total })}</p>
            {total === 0 && (
              <p className="empty" data-testid="customers-empty">
                {search ? t('customers.noMatch', { search }) : t('customers.none')}
              </p>
            )}
            <DataTable columns={COLUMNS} rows={items} rowKey={(customer) => customer.clientKey} />
            <Pager offset={offset} limit={LIMIT} total={total} onChange={setOffset} />
          </>
        )}
      </Loaded>
    </main>
  );
}
