import client from 'prom-client';

// One registry per process (each service is its own process). Get-or-create keeps several apps built in
// one test process from registering a metric twice.
export const registry = client.register;

function getOrCreate<T>(name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function counter(name: string, help: string, labelNames: string[] = []) {
  return getOrCreate(name, () => new client.Counter({ name, help, labelNames }));
}

export function gauge(
  name: string,
  help: string,
  labelNames: string[] = [],
  collect?: (this: client.Gauge) => void | Promise<void>,
) {
  return getOrCreate(name, () => new client.Gauge({ name, help, labelNames, ...(collect ? { collect } : {}) }));
}

export function histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]) {
  return getOrCreate(name, () => new client.Histogram({ name, help, labelNames, ...(buckets ? { buckets } : {}) }));
}

let defaultsCollected = false;
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  client.collectDefaultMetrics({ register: registry });
}

/** Metrics every service shares, recorded by the shared messaging helpers. */
export const platformMetrics = {
  eventsHandled: () =>
    counter('pharma_events_handled_total', 'Events handled by outcome (ack, retry, rejected, given_up)', [
      'subject',
      'outcome',
    ]),
  eventSeconds: () =>
    histogram('pharma_event_handling_seconds', 'Time to handle one event', ['subject'], [0.005, 0.05, 0.25, 1, 5, 30]),
  rpcSeconds: () =>
    histogram(
      'pharma_rpc_handling_seconds',
      'Time to answer one request',
      ['subject', 'outcome'],
      [0.001, 0.01, 0.1, 1, 5],
    ),
  jobsFinished: () => counter('pharma_jobs_finished_total', 'Jobs that ended, by kind and status', ['kind', 'status']),
  jobSeconds: () =>
    histogram('pharma_job_duration_seconds', 'Job duration from creation to end', ['kind'], [1, 5, 15, 60, 300, 1800]),
};
