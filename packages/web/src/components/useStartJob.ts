import { useCallback, useState } from 'react';
import { startJob } from '../api.js';

/**
 * A job the page starts by a POST to `path` (a refresh, a scan, a run, an import): the id to follow once started,
 * and the error when starting failed. `attempt` runs any other action of the page under the same error.
 */
export function useStartJob(path: string) {
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<Error>();
  const attempt = useCallback(async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure as Error);
    }
  }, []);
  const start = useCallback(
    (body?: unknown) => attempt(async () => setJobId((await startJob(path, body)).jobId)),
    [attempt, path],
  );
  return { jobId, error, start, attempt };
}

export type JobStarter = ReturnType<typeof useStartJob>;
