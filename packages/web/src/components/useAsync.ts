import { useCallback, useEffect, useState } from 'react';

/** Where a load stands: `data` stays while a reload runs, `error` replaces it when the load fails. */
export interface AsyncState<T> {
  data?: T;
  error?: Error;
  loading: boolean;
}

/** Loads data for a page and reloads it when its inputs change or on demand. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<AsyncState<T>>({ loading: true });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists the inputs of `load`
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
