import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';

// Started by the pool's bootstrap, which has registered tsx: client modules may be TypeScript.

export interface WorkerRequest {
  id: number;
  script: string;
  /** Changes when the file changes, so an edited script is imported afresh. */
  version: string;
  context: Record<string, string>;
}

export type WorkerReply = { id: number; ok: true } | { id: number; ok: false; error: string };

/** The first message of a worker: loaded, ready for tasks (a task's timeout starts only then). */
export const WORKER_READY = 'script-worker-ready';

type Convert = (task: Record<string, string>) => unknown;
const loaded = new Map<string, Convert>();

async function conversionOf(script: string, version: string): Promise<Convert> {
  const key = `${script}\0${version}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const module = (await import(`${pathToFileURL(script).href}?v=${encodeURIComponent(version)}`)) as Record<
    string,
    unknown
  >;
  const convert = typeof module.default === 'function' ? module.default : module.convert;
  if (typeof convert !== 'function')
    throw new Error('the script exports no conversion function (default or "convert")');
  loaded.set(key, convert as Convert);
  return convert as Convert;
}

parentPort?.on('message', async (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    const convert = await conversionOf(request.script, request.version);
    await convert(request.context);
    reply = { id: request.id, ok: true };
  } catch (error) {
    reply = {
      id: request.id,
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  parentPort?.postMessage(reply);
});
parentPort?.postMessage(WORKER_READY);
