import { useState } from 'react';
import { startJob } from '../api.js';
import { JobProgress } from '../components/JobProgress.js';
import { Status } from '../components/Status.js';
import { useI18n } from '../i18n/index.js';
import { JobsPage } from './JobsPage.js';

export function OrchestratorPage() {
  const { t } = useI18n();
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<Error>();
  return (
    <main id="main">
      <header className="page-head">
        <h1>{t('orchestrator.title')}</h1>
        <button
          type="button"
          onClick={async () => {
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
      <JobProgress jobId={jobId} />
      <JobsPage kind="orchestrator.run" title={t('orchestrator.title')} />
    </main>
  );
}
