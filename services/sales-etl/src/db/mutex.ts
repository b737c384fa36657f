export interface Mutex {
  run<T>(task: () => Promise<T> | T): Promise<T>;
}

/** Runs tasks one after the other, in the order they asked. */
export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T> | T): Promise<T> {
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
