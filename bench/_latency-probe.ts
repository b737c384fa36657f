// Measures how an HTTP endpoint answers while other work runs: one request at a time, a short pause between two,
// every answer timed from the request to the last byte of its body.

export interface LatencySummary {
  count: number;
  errors: number;
  /** Up to five distinct error descriptions (status code or failure), with how often each happened. */
  error_kinds: Record<string, number>;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

export interface LatencyProbe {
  /** Stops after the request in flight and summarises the successful answers; errors are counted apart. */
  stop(): Promise<LatencySummary>;
}

export interface LatencyProbeOptions {
  url: string;
  headers?: Record<string, string>;
  /** Pause between the end of one request and the start of the next. */
  pauseMs?: number;
  /** A request still unanswered after this long counts as an error. */
  timeoutMs?: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function startLatencyProbe({
  url,
  headers = {},
  pauseMs = 100,
  timeoutMs = 30_000,
}: LatencyProbeOptions): LatencyProbe {
  const latencies: number[] = [];
  const errorKinds = new Map<string, number>();
  let errors = 0;
  let stopped = false;
  const fail = (kind: string) => {
    errors += 1;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  };
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - started);
        else fail(`HTTP ${response.status}`);
      } catch (error) {
        fail((error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (error as Error).message);
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const sorted = [...latencies].sort((a, b) => a - b);
      const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
      return {
        count: latencies.length + errors,
        errors,
        error_kinds: Object.fromEntries([...errorKinds].slice(0, 5)),
        p50_ms: round(percentile(sorted, 50)),
        p95_ms: round(percentile(sorted, 95)),
        p99_ms: round(percentile(sorted, 99)),
        max_ms: round(sorted.at(-1) ?? null),
      };
    },
  };
}
