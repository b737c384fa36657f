/**
 * Commits of this service do not wait for the WAL flush (`synchronous_commit = off`, set per connection through
 * the URL): every task is idempotent (a re-run replaces its output and its loaded rows), so losing the last
 * fraction of a second of statuses in a database crash only means those files run again — while a flush per
 * task would double the per-task cost.
 */
export function withAsyncCommit(url: string): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${options ? `${options} ` : ''}-c synchronous_commit=off`);
  return parsed.toString();
}
