import { Fragment, useState } from 'react';
import { api, query, startJob } from '../api.js';
import { JobProgress } from '../components/JobProgress.js';
import { Pager } from '../components/Pager.js';
import { Status } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { VerdictBadge } from '../components/VerdictBadge.js';
import { useI18n } from '../i18n/index.js';
import type { KindTotal, StatementView, Transaction } from '../types.js';

const LIMIT = 100;
const TOTAL_KINDS = ['sales', 'payments', 'creditNotes', 'returns'] as const;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function StatementPage({ clientKey }: { clientKey: string }) {
  const { t, formatMoney } = useI18n();
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const [draft, setDraft] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [jobId, setJobId] = useState<string>();
  const [startError, setStartError] = useState<Error>();
  const base = `/api/clients/${encodeURIComponent(clientKey)}`;
  const view = useAsync(() => api<StatementView>(`${base}/statement${query(period)}`), [clientKey, period]);
  const notFound = view.error && (view.error as { status?: number }).status === 404;

  const refresh = async () => {
    setStartError(undefined);
    const from = draft.from || view.data?.statement.from || '2015-01-01';
    const to = draft.to || today();
    try {
      setJobId((await startJob('/api/statements/refresh', { from, to, clientKeys: [clientKey] })).jobId);
    } catch (error) {
      setStartError(error as Error);
    }
  };
  const toggle = (seq: number) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  const data = view.data;
  const anomalyRefs = new Set(data?.anomalies.map((a) => a.reference).filter(Boolean));
  const rows: Transaction[] = data?.transactions.slice(offset, offset + LIMIT) ?? [];

  return (
    <main id="main">
      <header className="page-head">
        <h1>{t('statement.title', { name: data?.customer.name ?? clientKey })}</h1>
        <div className="actions">
          <a className="button secondary" href={`${base}/transactions.csv?sep=%3B`} download>
            {t('statement.exportCsv')}
          </a>
          <a className="button secondary" href={`${base}/transactions.xlsx${query(period)}`} download>
            {t('statement.exportExcel')}
          </a>
        </div>
      </header>
      <form
        className="period"
        aria-label={t('statement.period')}
        onSubmit={(event) => {
          event.preventDefault();
          setOffset(0);
          setPeriod({ from: draft.from || undefined, to: draft.to || undefined });
        }}
      >
        <label>
          {t('common.from')}
          <input
            type="date"
            name="from"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label>
          {t('common.to')}
          <input type="date" name="to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        {data && data.periods.length > 1 && (
          <label>
            {t('statement.period')}
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
          </label>
        )}
        <button type="submit" className="secondary">
          {t('common.apply')}
        </button>
        <button type="button" onClick={refresh}>
          {t('statement.refresh')}
        </button>
      </form>
      <Status error={startError} />
      <JobProgress jobId={jobId} onEnd={view.reload} />
      {notFound ? <p>{t('statement.empty')}</p> : <Status loading={view.loading && !data} error={view.error} />}
      {data && (
        <>
          <section className="cards" aria-label={t('statement.period')}>
            <div className="card">
              <span>{t('statement.period')}</span>
              <strong data-testid="statement-period">
                {data.statement.from} → {data.statement.to}
              </strong>
            </div>
            <div className="card">
              <span>{t('statement.opening')}</span>
              <strong data-testid="opening-balance">{formatMoney(data.statement.openingBalance)}</strong>
            </div>
            <div className="card">
              <span>{t('statement.closing')}</span>
              <strong data-testid="closing-balance" data-value={data.statement.closingBalance}>
                {formatMoney(data.statement.closingBalance)}
              </strong>
            </div>
            <div className="card">
              <span>{t('statement.computed')}</span>
              <strong data-testid="computed-balance" data-value={data.statement.computedClosingBalance}>
                {formatMoney(data.statement.computedClosingBalance)}
              </strong>
            </div>
            <div className="card">
              <span>{t('statement.difference')}</span>
              <strong className={data.statement.difference !== 0 ? 'danger' : ''}>
                {formatMoney(data.statement.difference)}
              </strong>
            </div>
            <div className="card">
              <span>{t('customers.verdict')}</span>
              <VerdictBadge verdict={data.statement.verdict} />
            </div>
          </section>
          {data.anomalies.length > 0 && (
            <section className="anomalies" aria-labelledby="anomalies-title">
              <h2 id="anomalies-title">{t('statement.anomalies')}</h2>
              <ul>
                {data.anomalies.map((anomaly, index) => (
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
                const total: KindTotal = data.totals[kind];
                return (
                  <div className="card" key={kind}>
                    <span>
                      {t(`kind.${kind}`)} ({total.count})
                    </span>
                    <strong>{formatMoney(total.total)}</strong>
                  </div>
                );
              })}
            </div>
          </section>
          <section aria-labelledby="transactions-title">
            <h2 id="transactions-title">
              {t('statement.transactions')} ({data.transactions.length})
            </h2>
            <div className="table-wrap">
              <table data-testid="transactions">
                <thead>
                  <tr>
                    <th scope="col">{t('common.date')}</th>
                    <th scope="col">{t('statement.reference')}</th>
                    <th scope="col">{t('statement.label')}</th>
                    <th scope="col">{t('statement.kind')}</th>
                    <th scope="col" className="num">
                      {t('statement.amount')}
                    </th>
                    <th scope="col" className="num">
                      {t('statement.runningBalance')}
                    </th>
                    <th scope="col">{t('statement.lines')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <Fragment key={row.seq}>
                      <tr className={anomalyRefs.has(row.reference) ? 'anomaly' : ''}>
                        <td>{row.date}</td>
                        <td>{row.reference}</td>
                        <td>{row.label}</td>
                        <td>{t(`kind.${row.kind}`)}</td>
                        <td className="num">{formatMoney(row.total)}</td>
                        <td className="num">{formatMoney(row.balance)}</td>
                        <td>
                          {row.lines.length > 0 && (
                            <button
                              type="button"
                              className="link"
                              aria-expanded={open.has(row.seq)}
                              onClick={() => toggle(row.seq)}
                            >
                              {t('statement.lines')} ({row.lines.length})
                            </button>
                          )}
                        </td>
                      </tr>
                      {open.has(row.seq) && (
                        <tr className="lines">
                          <td colSpan={7}>
                            <table>
                              <thead>
                                <tr>
                                  <th scope="col">{t('statement.product')}</th>
                                  <th scope="col" className="num">
                                    {t('statement.quantity')}
                                  </th>
                                  <th scope="col" className="num">
                                    {t('statement.unitPrice')}
                                  </th>
                                  <th scope="col" className="num">
                                    {t('statement.discount')}
                                  </th>
                                  <th scope="col" className="num">
                                    {t('statement.amount')}
                                  </th>
                                </tr>
                              </thead>
                              <tbody>
                                {row.lines.map((line, index) => (
                                  // biome-ignore lint/suspicious/noArrayIndexKey: product lines keep their printed order
                                  <tr key={index}>
                                    <td>{line.product}</td>
                                    <td className="num">{line.quantity}</td>
                                    <td className="num">{formatMoney(line.unitPrice)}</td>
                                    <td className="num">{line.discount}</td>
                                    <td className="num">{formatMoney(line.total)}</td>
                                  </tr>
                                ))}
                              </tbody>
                            </table>
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager offset={offset} limit={LIMIT} total={data.transactions.length} onChange={setOffset} />
          </section>
        </>
      )}
    </main>
  );
}
