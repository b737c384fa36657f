import { type FormEvent, useState } from 'react';
import { api, query } from '../api.js';
import { BarChart } from '../components/BarChart.js';
import { type Column, DataTable, DateTimeButton, ListTable } from '../components/DataTable.js';
import { DownloadLinks } from '../components/DownloadLinks.js';
import { TextField } from '../components/Field.js';
import { Loaded } from '../components/Status.js';
import { type AsyncState, useAsync } from '../components/useAsync.js';
import { useI18n } from '../i18n/index.js';
import type { SalesImportRun, SalesReject, SalesSchedule } from '../types.js';

const REJECTS_SHOWN = 100;

/** Past imports, newest first: rows imported per import as a chart, then the list; a row opens its rejected rows. */
export function SalesImports({ imports }: { imports: AsyncState<{ total: number; items: SalesImportRun[] }> }) {
  const { t, label, formatNumber, formatDateTime } = useI18n();
  const [selected, setSelected] = useState<SalesImportRun>();
  const rejected = (run: SalesImportRun) => run.files.reduce((sum, file) => sum + file.rejected, 0);
  const columns: Column<SalesImportRun>[] = [
    { header: 'jobs.created', cell: (run) => <DateTimeButton at={run.startedAt} onClick={() => setSelected(run)} /> },
    { header: 'orchestrator.trigger', cell: (run) => label('trigger', run.trigger) },
    {
      header: 'common.status',
      cell: (run) => <span className={`badge badge-${run.status}`}>{label('runStatus', run.status)}</span>,
    },
    {
      header: 'sales.files',
      cell: (run) =>
        run.files.map((file) => `${label('salesKind', file.kind)} ${formatNumber(file.inserted)}`).join(' · ') +
        (run.error ? ` · ${run.error}` : ''),
    },
    { header: 'sales.rejected', numeric: true, cell: (run) => formatNumber(rejected(run)) },
  ];
  return (
    <section aria-labelledby="imports-title">
      <h2 id="imports-title">{t('sales.imports')}</h2>
      <Loaded state={imports}>
        {({ items }) =>
          items.length === 0 ? (
            <p data-testid="imports-empty">{t('sales.noImports')}</p>
          ) : (
            <>
              <div className="charts">
                <BarChart
                  title={t('sales.importsChart')}
                  format={formatNumber}
                  bars={[...items]
                    .slice(0, 20)
                    .reverse()
                    .map((run) => ({
                      label: formatDateTime(run.startedAt),
                      value: run.files.reduce((sum, file) => sum + file.inserted, 0),
                      tone: rejected(run) > 0 ? 'warn' : 'default',
                    }))}
                />
              </div>
              <DataTable testId="imports" columns={columns} rows={items} rowKey={(run) => run.runId} />
            </>
          )
        }
      </Loaded>
      {selected && <ImportRejects run={selected} />}
    </section>
  );
}

const REJECT_COLUMNS: Column<SalesReject>[] = [
  { header: 'sales.line', numeric: true, cell: (reject) => reject.lineNumber },
  { header: 'sales.file', cell: (reject) => reject.kind },
  { header: 'sales.reason', cell: (reject) => `${reject.reason} · ${reject.message}` },
  { header: 'sales.rawLine', className: 'path', cell: (reject) => reject.rawLine },
];

/** An import's rejected rows with their reasons (the first hundred here, every one in the CSV). */
function ImportRejects({ run }: { run: SalesImportRun }) {
  const { t, formatDateTime } = useI18n();
  const path = `/api/sales/imports/${encodeURIComponent(run.runId)}/rejects`;
  const rejects = useAsync(
    () => api<{ total: number; items: SalesReject[] }>(`${path}${query({ limit: REJECTS_SHOWN })}`),
    [path],
  );
  return (
    <section aria-labelledby="rejects-title" data-testid="rejects">
      <h3 id="rejects-title">{t('sales.rejects', { when: formatDateTime(run.startedAt) })}</h3>
      <DownloadLinks links={[{ href: `${path}.csv${query({ sep: ';' })}`, label: 'sales.rejectsCsv' }]} />
      <Loaded state={rejects}>
        {({ items, total }) =>
          total === 0 ? (
            <p>{t('sales.noRejects')}</p>
          ) : (
            <>
              <p>{t('common.total', { count: total })}</p>
              <DataTable columns={REJECT_COLUMNS} rows={items} rowKey={(reject) => reject.id} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

/** Recurring imports of the URLs in the import form: saved with a cron pattern, listed with their next run. */
export function SalesSchedules({
  urls,
  attempt,
}: {
  urls: Record<string, string>;
  attempt(action: () => Promise<unknown>): Promise<void>;
}) {
  const { t, formatDateTime } = useI18n();
  const [draft, setDraft] = useState({ name: '', cron: '0 3 * * *', timezone: '' });
  const schedules = useAsync(() => api<{ items: SalesSchedule[] }>('/api/sales/schedules'), []);
  const save = (event: FormEvent) => {
    event.preventDefault();
    const chosen = Object.fromEntries(Object.entries(urls).filter(([, url]) => url.trim() !== ''));
    return attempt(async () => {
      await api('/api/sales/schedules', {
        method: 'POST',
        body: {
          name: draft.name,
          cron: draft.cron,
          urls: chosen,
          ...(draft.timezone ? { timezone: draft.timezone } : {}),
        },
      });
      schedules.reload();
    });
  };
  const remove = (schedule: SalesSchedule) =>
    attempt(async () => {
      await api(`/api/sales/schedules/${encodeURIComponent(schedule.id)}`, { method: 'DELETE' });
      schedules.reload();
    });
  const columns: Column<SalesSchedule>[] = [
    { header: 'sales.scheduleName', cell: (schedule) => schedule.name },
    {
      header: 'sales.cron',
      cell: (schedule) => `${schedule.cron}${schedule.timezone ? ` (${schedule.timezone})` : ''}`,
    },
    { header: 'sales.nextRun', cell: (schedule) => (schedule.nextRunAt ? formatDateTime(schedule.nextRunAt) : '—') },
    { header: 'sales.lastRun', cell: (schedule) => (schedule.lastRunAt ? formatDateTime(schedule.lastRunAt) : '—') },
    {
      cell: (schedule) => (
        <button type="button" className="secondary" onClick={() => remove(schedule)}>
          {t('sales.remove')}
        </button>
      ),
    },
  ];
  return (
    <section aria-labelledby="schedules-title">
      <h2 id="schedules-title">{t('sales.schedules')}</h2>
      <form className="period" onSubmit={save} aria-label={t('sales.schedule')}>
        <TextField
          label="sales.scheduleName"
          name="name"
          required
          value={draft.name}
          onChange={(name) => setDraft({ ...draft, name })}
        />
        <TextField
          label="sales.cron"
          name="cron"
          required
          value={draft.cron}
          onChange={(cron) => setDraft({ ...draft, cron })}
        />
        <TextField
          label="sales.timezone"
          name="timezone"
          placeholder="Africa/Casablanca"
          value={draft.timezone}
          onChange={(timezone) => setDraft({ ...draft, timezone })}
        />
        <button type="submit">{t('sales.schedule')}</button>
      </form>
      <ListTable
        state={{ ...schedules, data: schedules.data && { items: schedules.data.items } }}
        table={{ testId: 'schedules', columns, rowKey: (schedule) => schedule.id }}
      />
      {schedules.data?.items.length === 0 && <p>{t('sales.noSchedules')}</p>}
    </section>
  );
}
