import { useEffect, useRef, useState } from 'react';
import type { Job } from '../types.js';

/** Follows a job over the gateway's SSE stream; the browser reconnects by itself if the stream drops. */
export function useJob(jobId: string | undefined, onEnd?: (job: Job) => void): { job?: Job; log: Job[] } {
  const [state, setState] = useState<{ job?: Job; log: Job[] }>({ log: [] });
  // The latest callback of the page, without restarting the stream when it changes.
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;
  useEffect(() => {
    setState({ log: [] });
    if (!jobId) return;
    const source = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/events`);
    const take = (event: MessageEvent<string>) => {
      const job = JSON.parse(event.data) as Job;
      setState((previous) => ({ job, log: [...previous.log, job].slice(-500) }));
      return job;
    };
    source.addEventListener('progress', (event) => take(event as MessageEvent<string>));
    source.addEventListener('end', (event) => {
      const job = take(event as MessageEvent<string>);
      source.close();
      onEndRef.current?.(job);
    });
    return () => source.close();
  }, [jobId]);
  return state;
}
