import { defaultPeriod } from '@pharma/shared/period';
import { useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { Card } from '../components/Card.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { DownloadLinks } from '../components/DownloadLinks.js';
import { Field, type Period, PeriodFields } from '../components/Field.js';
import { StartedJobProgress } from '../components/JobProgress.js';
import { LineChart } from '../components/LineChart.js';
import { PageHead } from '../components/PageHead.js';
import { Pager } from '../components/Pager.js';
import { Loaded } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useStartJob } from '../components/useStartJob.js';
import { VerdictBadge } from '../components/VerdictBadge.js';
import { useI18n } from '../i18n/index.js';
import type { Job, KindTotal, StatementView, Transaction } from '../types.js';

const LIMIT = 100;
const TOTAL_KINDS = ['sales', 'payments', 'creditNotes', 'returns'] as const;

type ProductLine = Transaction['lines'][number];

const LINE_COLUMNS: Column<ProductLine>[] = [
  { header: 'statement.product', cell: (line) => line.product },
  { header: 'statement.quantity', numeric: true, cell: (line) => line.quantity },
  { header: 'statement.unitPrice', money: (line) => line.unitPrice },
  { header: 'statement.discount', numeric: true, cell: (line) => line.discount },
  { header: 'statement.amount', money: (line) => line.total },
];

/** How long the page waits, after its refresh job ends, for the statement to be parsed and stored. */
const STORED_WAIT_MS = 60_000;
const STORED_POLL_MS = 1_000;

/** A refresh whose statement the page waits for: its period, then the job's creation (server clock) and a deadline. */
interface AwaitedStatement {
  from: string;
  to: string;
  jobCreatedAt?: string;
  until?: number;
}

export function StatementPage({ clientKey }: { clientKey: string }) {
  const { t, formatMoney, formatDate } = useI18n();
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const [draft, setDraft] = useState<Period>({ from: '', to: '' });
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const refresh = useStartJob('/api/statements/refresh');
  const base = `/api/clients/${encodeURIComponent(clientKey)}`;
  const view = useAsync(() => api<StatementView>(`${base}/statement${query(period)}`), [clientKey, period]);

  const [awaited, setAwaited] = useState<AwaitedStatement>();
  const [notStored, setNotStored] = useState(false);

  const startRefresh = () => {
    const fallback = defaultPeriod();
    const from = draft.from || fallback.from;
    const to = draft.to || fallback.to;
    setNotStored(false);
    setAwaited({ from, to });
    return refresh.start({ from, to, clientKeys: [clientKey] });
  };
  // The job ends once the PDF is downloaded; parsing and storing follow. Show that period and reload until the
  // statement stored after the job started is there, or say it is not after a minute.
  const jobEnded = (job: Job) => {
    if (!awaited || job.status !== 'succeeded') return view.reload();
    setOffset(0);
    setPeriod({ from: awaited.from, to: awaited.to });
    setAwaited({ ...awaited, jobCreatedAt: job.createdAt, until: Date.now() + STORED_WAIT_MS });
  };
  const shown = view.data?.statement;
  const arrived =
    awaited?.jobCreatedAt !== undefined &&
    shown?.from === awaited.from &&
    shown.to === awaited.to &&
    Date.parse(shown.parsedAt) >= Date.parse(awaited.jobCreatedAt);
  useEffect(() => {
    if (!awaited?.until || view.loading) return;
    if (arrived) return setAwaited(undefined);
    if (Date.now() > awaited.until) {
      setAwaited(undefined);
      return setNotStored(true);
    }
    const timer = setTimeout(view.reload, STORED_POLL_MS);
    return () => clearTimeout(timer);
  }, [awaited, arrived, view.loading, view.reload]);
  const toggle = (seq: number) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  const data = view.data;
  const anomalyRefs = new Set(data?.anomalies.map((a) => a.reference).filter(Boolean));
  const columns: Column<Transaction>[] = [
    { header: 'common.date', cell: (row) => row.date },
    { header: 'statement.reference', cell: (row) => row.reference },
    { header: 'statement.label', cell: (row) => row.label },
    { header: 'statement.kind', cell: (row) => t(`kind.${row.kind}`) },
    { header: 'statement.amount', money: (row) => row.total },
    { header: 'statement.runningBalance', money: (row) => row.balance },
    {
      header: 'statement.lines',
      cell: (row) =>
        row.lines.length > 0 && (
          <button type="button" className="link" aria-expanded={open.has(row.seq)} onClick={() => toggle(row.seq)}>
            {t('statement.lines')} ({row.lines.length})
          </button>
        ),
    },
  ];

  return (
    <main id="main">
      <PageHead title="statement.title" values={{ name: data?.customer.name ?? clientKey }}>
        <DownloadLinks
          links={[
            { href: `${base}/transactions.csv${query({ ...period, sep: ';' })}`, label: 'statement.exportCsv' },
            { href: `${base}/transactions.xlsx${query(period)}`, label: 'statement.exportExcel' },
          ]}
        />
      </PageHead>
      <form
        className="period"
        aria-label={t('statement.period')}
        onSubmit={(event) => {
          event.preventDefault();
          setOffset(0);
          setPeriod({ from: draft.from || undefined, to: draft.to || undefined });
        }}
      >
        <PeriodFields value={draft} onChange={setDraft} />
        {data && data.periods.length > 1 && (
          <Field label="statement.period">
            <select
              value={`${data.statement.from}|${data.statement.to}`}
              onChange={(e) => {
                const [from, to] = e.target.value.split('|');
                setOffset(0);
                setDraft({ from: from ?? '', to: to ?? '' });
                setPeriod({ from, to });
              }}
            >
              {data.periods.map((p) => (
                <option key={`${p.from}|${p.to}`} value={`${p.from}|${p.to}`}>
                  {p.from} → {p.to}
                </option>
              ))}
            </select>
          </Field>
        )}
        <button type="submit" className="secondary">
          {t('common.apply')}
        </button>
        <button type="button" onClick={startRefresh}>
          {t('statement.refresh')}
        </button>
      </form>
      <StartedJobProgress starter={refresh} onEnd={jobEnded} />
      {awaited?.until && (
        <p className="muted" role="status" data-testid="statement-awaited">
          {t('statement.storing')}
        </p>
      )}
      {notStored && (
        <p className="danger" role="alert">
          {t('statement.notStored')}
        </p>
      )}
      <Loaded state={view} empty="statement.empty">
        {({ statement, anomalies, totals, transactions }) => (
          <>
            <section className="cards" aria-label={t('statement.period')}>
              <Card label="statement.period">
                <strong data-testid="statement-period">
                  {statement.from} → {statement.to}
                </strong>
              </Card>
              <Card label="statement.opening">
                <strong data-testid="opening-balance">{formatMoney(statement.openingBalance)}</strong>
              </Card>
              <Card label="statement.closing">
                <strong data-testid="closing-balance" data-value={statement.closingBalance}>
                  {formatMoney(statement.closingBalance)}
                </strong>
              </Card>
              <Card label="statement.computed">
                <strong data-testid="computed-balance" data-value={statement.computedClosingBalance}>
                  {formatMoney(statement.computedClosingBalance)}
                </strong>
              </Card>
              <Card label="statement.difference">
                <strong className={statement.difference !== 0 ? 'danger' : ''}>
                  {formatMoney(statement.difference)}
                </strong>
              </Card>
              <Card label="customers.verdict">
                <VerdictBadge verdict={statement.verdict} />
              </Card>
            </section>
            <LineChart
              title={t('statement.balanceOverTime')}
              format={formatMoney}
              formatDay={formatDate}
              points={[
                { day: statement.from, value: statement.openingBalance },
                ...transactions.map((row) => ({ day: row.date, value: row.balance })),
              ]}
            />
            {anomalies.length > 0 && (
              <section className="anomalies" aria-labelledby="anomalies-title">
                <h2 id="anomalies-title">{t('statement.anomalies')}</h2>
                <ul>
                  {anomalies.map((anomaly, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: anomalies have no id and never reorder
                    <li key={index}>
                      <strong>{anomaly.kind}</strong> {anomaly.reference ? `(${anomaly.reference}) ` : ''}
                      {anomaly.message}
                      {anomaly.page ? ` · p. ${anomaly.page}` : ''}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            <section aria-labelledby="totals-title">
              <h2 id="totals-title">{t('statement.totals')}</h2>
              <div className="cards">
                {TOTAL_KINDS.map((kind) => {
                  const total: KindTotal = totals[kind];
                  return (
                    <Card key={kind} label={`kind.${kind}`} count={total.count}>
                      <strong>{formatMoney(total.total)}</strong>
                    </Card>
                  );
                })}
              </div>
            </section>
            <section aria-labelledby="transactions-title">
              <h2 id="transactions-title">
                {t('statement.transactions')} ({transactions.length})
              </h2>
              <DataTable
                testId="transactions"
                columns={columns}
                rows={transactions.slice(offset, offset + LIMIT)}
                rowKey={(row) => row.seq}
                rowClassName={(row) => (anomalyRefs.has(row.reference) ? 'anomaly' : '')}
                detail={(row) =>
                  open.has(row.seq) && (
                    // Product lines keep their printed order and have no id of their own.
                    <DataTable bare columns={LINE_COLUMNS} rows={row.lines} rowKey={(_line, index) => index} />
                  )
                }
              />
              <Pager offset={offset} limit={LIMIT} total={transactions.length} onChange={setOffset} />
            </section>
          </>
        )}
      </Loaded>
    </main>
  );
}
