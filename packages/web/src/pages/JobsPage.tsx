import { useState } from 'react';
import { api } from '../api.js';
import { type Column, DataTable, DateTimeButton } from '../components/DataTable.js';
import { JobStatusBadge, useProgressText } from '../components/JobProgress.js';
import { Status } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useJob } from '../components/useJob.js';
import { useI18n } from '../i18n/index.js';
import type { Job, LayoutDump } from '../types.js';

/** How a customers refresh collected the list; staff also get the diagnostic bundle when one was kept. */
function ListPath({ job, staff }: { job: Job; staff: boolean }) {
  const { t } = useI18n();
  const path = job.result?.path;
  if (job.kind !== 'clients.refresh' || (path !== 'api' && path !== 'click')) return null;
  return (
    <p data-testid="job-path" data-path={path}>
      {t('jobs.path', { how: t(path === 'api' ? 'jobs.path.api' : 'jobs.path.click') })}
      {staff && job.result?.diagnostics ? (
        <>
          {' · '}
          <a href={`/api/jobs/${encodeURIComponent(job.id)}/diagnostics`} download data-testid="job-diagnostics">
            {t('jobs.diagnostics')}
          </a>
        </>
      ) : null}
    </p>
  );
}

/**
 * Staff only: the statements of a statements job that could not be read (rejected, or balances that do not add
 * up), each with its redacted layout dump. They come after the downloads, while the PDFs are parsed: reload.
 */
function LayoutDumps({ job }: { job: Job }) {
  const { t } = useI18n();
  const dumps = useAsync(
    () => api<{ items: LayoutDump[] }>(`/api/jobs/${encodeURIComponent(job.id)}/layout-dumps`),
    [job.id, job.status],
  );
  const items = dumps.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <details className="job-errors" data-testid="layout-dumps">
      <summary>
        {t('jobs.layoutDumps')} ({items.length})
      </summary>
      <button type="button" className="secondary" onClick={dumps.reload}>
        ↻
      </button>
      <ul>
        {items.map((dump) => (
          <li key={dump.url}>
            <strong>{dump.clientKey}</strong> {dump.from} → {dump.to} — {dump.outcome}
            {dump.producer ? ` · ${dump.producer}` : ''}
            {dump.via ? ` · ${dump.via}` : ''}
            {' · '}
            <a href={dump.url} download data-testid="layout-dump">
              {t('jobs.layoutDump')}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}

function JobLog({ jobId, staff }: { jobId: string; staff: boolean }) {
  const { t } = useI18n();
  const { job, log } = useJob(jobId);
  const progressText = useProgressText();
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">{t('jobs.log')}</h2>
      {job && <ListPath job={job} staff={staff} />}
      {job && staff && job.kind === 'statements.refresh' ? <LayoutDumps job={job} /> : null}
      <ol className="log" aria-live="polite" data-testid="job-log">
        {log.map((entry) => (
          <li key={`${entry.updatedAt}-${entry.progress.done}-${entry.status}`}>
            <time>{entry.updatedAt.slice(11, 19)}</time> <JobStatusBadge status={entry.status} /> {entry.progress.done}/
            {entry.progress.total} {progressText(entry.progress)}
            {entry.errors.length > 0 ? ` · ${entry.errors.length} ⚠` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function JobsPage({ kind, title, staff = false }: { kind?: string; title?: string; staff?: boolean }) {
  const { t, label } = useI18n();
  const [selected, setSelected] = useState<string>();
  const jobs = useAsync(() => api<{ items: Job[] }>(`/api/jobs?limit=100${kind ? `&kind=${kind}` : ''}`), [kind]);
  const columns: Column<Job>[] = [
    {
      header: 'jobs.created',
      cell: (job) => <DateTimeButton at={job.createdAt} onClick={() => setSelected(job.id)} />,
    },
    { header: 'jobs.kind', cell: (job) => label('jobKind', job.kind) },
    { header: 'common.status', cell: (job) => <JobStatusBadge status={job.status} /> },
    {
      header: 'job.progress',
      cell: (job) =>
        `${job.progress.done}/${job.progress.total} ${job.errors.length > 0 ? `· ${job.errors.length} ⚠` : ''}`,
    },
  ];
  return (
    <div className="split">
      <section aria-labelledby="jobs-title">
        <h2 id="jobs-title">{title ?? t('jobs.title')}</h2>
        <button type="button" className="secondary" onClick={jobs.reload}>
          ↻
        </button>
        {/* The table's frame shows while the first load runs. */}
        <Status loading={jobs.loading && !jobs.data} error={jobs.error} />
        <DataTable
          testId="jobs"
          columns={columns}
          rows={jobs.data?.items ?? []}
          rowKey={(job) => job.id}
          rowClassName={(job) => (selected === job.id ? 'selected' : '')}
        />
      </section>
      {selected ? <JobLog jobId={selected} staff={staff} /> : <p>{t('jobs.select')}</p>}
    </div>
  );
}

export function JobsMain({ staff = false }: { staff?: boolean }) {
  const { t } = useI18n();
  return (
    <main id="main">
      <h1>{t('jobs.title')}</h1>
      <JobsPage staff={staff} />
    </main>
  );
}
