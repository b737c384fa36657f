import { api } from '../api.js';
import { useI18n } from '../i18n/index.js';
import type { Job } from '../types.js';
import { Status } from './Status.js';
import { useJob } from './useJob.js';
import type { JobStarter } from './useStartJob.js';

/** A job's stage in the chosen language (a code the dictionaries do not know is shown as sent), then the item at hand. */
export function useProgressText(): (progress: Job['progress']) => string {
  const { t, has } = useI18n();
  return ({ stage, params, message }) => {
    const key = `job.stage.${stage}`;
    return [has(key) ? t(key, params) : stage, message].filter(Boolean).join(' · ');
  };
}

export function JobStatusBadge({ status }: { status: Job['status'] }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status}`}>{t(`job.${status}`)}</span>;
}

/** A live progress bar with per-item errors, for a job started from the page. */
export function JobProgress({ jobId, onEnd }: { jobId?: string; onEnd?: (job: Job) => void }) {
  const { t } = useI18n();
  const progressText = useProgressText();
  const { job, log } = useJob(jobId, onEnd);
  if (!jobId) return null;
  const done = job?.progress.done ?? 0;
  const total = job?.progress.total ?? 0;
  const running = job && (job.status === 'queued' || job.status === 'running');
  return (
    <section
      className="job"
      aria-label={t('job.progress')}
      data-testid="job-progress"
      data-status={job?.status}
      data-steps={log.length}
      data-seen={[...new Set(log.map((entry) => `${entry.progress.done}/${entry.progress.total}`))].join(' ')}
    >
      <div className="job-head">
        {job && <JobStatusBadge status={job.status} />}
        <span aria-live="polite" data-testid="job-counter">
          {done} / {total}
          {job ? ` · ${progressText(job.progress)}` : ''}
        </span>
        {running && (
          <button
            type="button"
            className="secondary"
            onClick={() => void api(`/api/jobs/${jobId}`, { method: 'DELETE' })}
          >
            {t('job.cancel')}
          </button>
        )}
      </div>
      <progress max={Math.max(total, 1)} value={done} aria-label={t('job.progress')} />
      {job && job.errors.length > 0 && (
        <details open className="job-errors">
          <summary>
            {t('job.errors')} ({job.errors.length})
          </summary>
          <ul>
            {job.errors.slice(0, 200).map((error) => (
              <li key={`${error.item}-${error.code}`}>
                <strong>{error.item}</strong> — {error.code}: {error.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** A job the page started: why it could not start, or its live progress. */
export function StartedJobProgress({ starter, onEnd }: { starter: JobStarter; onEnd?: (job: Job) => void }) {
  return (
    <>
      <Status error={starter.error} />
      <JobProgress jobId={starter.jobId} onEnd={onEnd} />
    </>
  );
}
