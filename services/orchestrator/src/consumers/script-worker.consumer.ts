import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { checkAndMoveOutput, type OutputCheck, type OutputCheckRequest } from '../services/output.service.js';

// The code of each script worker thread (runner/worker-pool.ts): requests from the pool in, replies out. Started by
// the pool's bootstrap, which has registered tsx: client modules may be TypeScript.

/** This module, as the pool's workers load it (`.ts` from sources, `.js` once built). */
export const SCRIPT_WORKER_ENTRY = new URL(import.meta.url);

/**
 * A module script to run (then, given `check`, its output checked and moved), or only the check of what a script
 * run elsewhere wrote since `startedAt`.
 */
export type WorkerRequest =
  | {
      id: number;
      kind: 'convert';
      script: string;
      /** Changes when the file changes, so an edited script is imported afresh. */
      version: string;
      context: Record<string, string>;
      check?: OutputCheckRequest;
    }
  | { id: number; kind: 'check'; check: OutputCheckRequest; startedAt: number };

/** `scriptMs`: the conversion function's own time, measured here (no message passing in it). */
export type WorkerReply =
  | { id: number; ok: true; scriptMs?: number; output?: OutputCheck }
  | { id: number; ok: false; error: string; scriptMs?: number };

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

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'check') {
    return { id: request.id, ok: true, output: await checkAndMoveOutput(request.check, request.startedAt) };
  }
  const startedAt = Date.now();
  const started = performance.now();
  try {
    const convert = await conversionOf(request.script, request.version);
    await convert(request.context);
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      scriptMs: performance.now() - started,
    };
  }
  const scriptMs = performance.now() - started;
  const output = request.check && (await checkAndMoveOutput(request.check, startedAt));
  return { id: request.id, ok: true, scriptMs, ...(output ? { output } : {}) };
}

parentPort?.on('message', async (request: WorkerRequest) => {
  parentPort?.postMessage(await handle(request));
});
parentPort?.postMessage(WORKER_READY);
