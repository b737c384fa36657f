import { useState } from 'react';
import { api, startJob } from '../api.js';
import { JobProgress } from '../components/JobProgress.js';
import { Status } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useI18n } from '../i18n/index.js';
import type { OrchestratorRun, OrchestratorTaskRun } from '../types.js';

function RunTasks({ runId }: { runId: string }) {
  const { t } = useI18n();
  const detail = useAsync(
    () => api<{ run: OrchestratorRun; tasks: OrchestratorTaskRun[] }>(`/api/orchestrator/runs/${runId}`),
    [runId],
  );
  return (
    <section aria-labelledby="tasks-title">
      <h2 id="tasks-title">{t('orchestrator.tasks')}</h2>
      <Status loading={detail.loading && !detail.data} error={detail.error} />
      {detail.data && (
        <div className="table-wrap">
          <table data-testid="run-tasks">
            <thead>
              <tr>
                <th scope="col">{t('registry.path')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('registry.reason')}</th>
                <th scope="col" className="num">
                  ms
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.data.tasks.map((task) => (
                <tr key={task.id} className={task.status === 'ERROR' ? 'anomaly' : ''}>
                  <td className="path">{task.filePath}</td>
                  <td>
                    <span className={`badge status-${task.status}`}>{task.status}</span>
                  </td>
                  <td>
                    {task.reason ?? ''} {task.detail ? `· ${task.detail}` : ''}
                  </td>
                  <td className="num">{task.durationMs ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function OrchestratorPage() {
  const { t } = useI18n();
  const [jobId, setJobId] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<Error>();
  const runs = useAsync(() => api<{ items: OrchestratorRun[] }>('/api/orchestrator/runs?limit=50'), []);
  return (
    <main id="main">
      <header className="page-head">
        <h1>{t('orchestrator.title')}</h1>
        <button
          type="button"
          onClick={async () => {
            setError(undefined);
            try {
              setJobId((await startJob('/api/orchestrator/runs')).jobId);
            } catch (failure) {
              setError(failure as Error);
            }
          }}
        >
          {t('orchestrator.run')}
        </button>
      </header>
      <Status error={error} />
      <JobProgress
        jobId={jobId}
        onEnd={() => {
          runs.reload();
          setSelected(jobId);
        }}
      />
      <Status loading={runs.loading && !runs.data} error={runs.error} />
      {runs.data && (
        <div className="table-wrap">
          <table data-testid="runs">
            <thead>
              <tr>
                <th scope="col">{t('jobs.created')}</th>
                <th scope="col">{t('orchestrator.trigger')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('orchestrator.counts')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((run) => (
                <tr key={run.id} className={selected === run.id ? 'selected' : ''}>
                  <td>
                    <button type="button" className="link" onClick={() => setSelected(run.id)}>
                      {new Date(run.startedAt).toLocaleString()}
                    </button>
                  </td>
                  <td>{run.trigger}</td>
                  <td>
                    <span className={`badge badge-${run.status}`}>{run.status}</span>
                  </td>
                  <td>
                    {Object.entries(run.counts)
                      .map(([key, count]) => `${key}: ${count}`)
                      .join(' · ')}
                    {run.error ? ` · ${run.error}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && <RunTasks runId={selected} />}
    </main>
  );
}
