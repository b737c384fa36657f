import { useState } from 'react';
import { api } from '../api.js';
import { type Column, DataTable, DateTimeButton, ListTable, type TableSpec } from '../components/DataTable.js';
import { StartedJobProgress } from '../components/JobProgress.js';
import { PageHead } from '../components/PageHead.js';
import { Loaded } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useStartJob } from '../components/useStartJob.js';
import { useI18n } from '../i18n/index.js';
import type { OrchestratorRun, OrchestratorTaskRun } from '../types.js';

function CodeBadge({ prefix, code, className }: { prefix: string; code: string; className: string }) {
  const { label } = useI18n();
  return <span className={`badge ${className}`}>{label(prefix, code)}</span>;
}

const TASK_COLUMNS: Column<OrchestratorTaskRun>[] = [
  { header: 'registry.path', className: 'path', cell: (task) => task.filePath },
  {
    header: 'common.status',
    cell: (task) => <CodeBadge prefix="fileStatus" code={task.status} className={`status-${task.status}`} />,
  },
  { header: 'registry.reason', cell: (task) => `${task.reason ?? ''} ${task.detail ? `· ${task.detail}` : ''}` },
  { header: 'orchestrator.durationMs', numeric: true, cell: (task) => task.durationMs ?? '' },
];

function RunTasks({ runId }: { runId: string }) {
  const { t } = useI18n();
  const detail = useAsync(
    () => api<{ run: OrchestratorRun; tasks: OrchestratorTaskRun[] }>(`/api/orchestrator/runs/${runId}`),
    [runId],
  );
  return (
    <section aria-labelledby="tasks-title">
      <h2 id="tasks-title">{t('orchestrator.tasks')}</h2>
      <Loaded state={detail}>
        {({ tasks }) => (
          <DataTable
            testId="run-tasks"
            columns={TASK_COLUMNS}
            rows={tasks}
            rowKey={(task) => task.id}
            rowClassName={(task) => (task.status === 'ERROR' ? 'anomaly' : '')}
          />
        )}
      </Loaded>
    </section>
  );
}

export function OrchestratorPage() {
  const { label } = useI18n();
  const launch = useStartJob('/api/orchestrator/runs');
  const [selected, setSelected] = useState<string>();
  const runs = useAsync(() => api<{ items: OrchestratorRun[] }>('/api/orchestrator/runs?limit=50'), []);
  const table: TableSpec<OrchestratorRun> = {
    testId: 'runs',
    rowKey: (run) => run.id,
    rowClassName: (run) => (selected === run.id ? 'selected' : ''),
    columns: [
      {
        header: 'jobs.created',
        cell: (run) => <DateTimeButton at={run.startedAt} onClick={() => setSelected(run.id)} />,
      },
      { header: 'orchestrator.trigger', cell: (run) => label('trigger', run.trigger) },
      {
        header: 'common.status',
        cell: (run) => <CodeBadge prefix="runStatus" code={run.status} className={`badge-${run.status}`} />,
      },
      {
        header: 'orchestrator.counts',
        cell: (run) =>
          Object.entries(run.counts)
            .map(([key, count]) => `${label('fileStatus', key)}: ${count}`)
            .join(' · ') + (run.error ? ` · ${run.error}` : ''),
      },
    ],
  };
  return (
    <main id="main">
      <PageHead title="orchestrator.title" action={{ label: 'orchestrator.run', run: launch.start }} />
      <StartedJobProgress
        starter={launch}
        onEnd={() => {
          runs.reload();
          setSelected(launch.jobId);
        }}
      />
      <ListTable state={runs} table={table} />
      {selected && <RunTasks runId={selected} />}
    </main>
  );
}
