import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FifoSlots } from '@pharma/shared/slots';
import { Piscina } from 'piscina';
import { DUMP_LAYOUT_ENTRY, type LayoutDumpOutcome } from './layout-dump.worker.js';
import { PARSE_ENTRY } from './parse.worker.js';
import type { ParseOutcome } from './parse-outcome.js';

export interface ParserPoolOptions {
  threads: number;
  /** Wall time one document may take; past it the worker running it is terminated. */
  timeoutMs: number;
  /** Heap a worker may use; past it the worker dies and the document is rejected as too large. */
  maxMemoryMb: number;
}

/** What the pool's threads run: the modules exporting the parse and the layout dump (`*_ENTRY` of `worker/`). */
export interface ParserEntries {
  parse: URL;
  dumpLayout: URL;
}

export interface ParserPool {
  parse(data: Uint8Array): Promise<ParseOutcome>;
  /** The redacted layout of a PDF (`src/pdf/layout-dump.ts`), in a parser thread with the same budgets. */
  dumpLayout(data: Uint8Array): Promise<LayoutDumpOutcome>;
  readonly queued: number;
  close(): Promise<void>;
}

/** A pool of parser threads with a per-document time and memory budget. */
export function createParserPool(
  { threads, timeoutMs, maxMemoryMb }: ParserPoolOptions,
  entries: ParserEntries = { parse: PARSE_ENTRY, dumpLayout: DUMP_LAYOUT_ENTRY },
): ParserPool {
  const parseFile = builtFile(entries.parse);
  const dumpLayoutFile = builtFile(entries.dumpLayout);
  const pool = new Piscina({
    filename: parseFile,
    minThreads: Math.min(1, threads),
    maxThreads: threads,
    idleTimeout: 60_000,
    resourceLimits: {
      maxOldGenerationSizeMb: maxMemoryMb,
      maxYoungGenerationSizeMb: Math.max(16, Math.round(maxMemoryMb / 8)),
    },
  });
  let closing = false;
  // Documents wait here, not in piscina's queue, so that the time budget only starts once a thread runs them.
  const slots = new FifoSlots(threads);
  return {
    get queued() {
      return slots.queued;
    },
    async parse(data) {
      const slot = await slots.acquire();
      try {
        return (await pool.run({ data }, { signal: AbortSignal.timeout(timeoutMs) })) as ParseOutcome;
      } catch (error) {
        if (closing) throw error;
        return failureOf(error, timeoutMs, maxMemoryMb);
      } finally {
        slot.release();
      }
    },
    async dumpLayout(data) {
      const slot = await slots.acquire();
      try {
        return (await pool.run(
          { data },
          { filename: dumpLayoutFile, signal: AbortSignal.timeout(timeoutMs) },
        )) as LayoutDumpOutcome;
      } catch (error) {
        if (closing) throw error;
        const failure = failureOf(error, timeoutMs, maxMemoryMb);
        return { ok: false, reason: failure.ok ? 'failed' : failure.reason };
      } finally {
        slot.release();
      }
    },
    async close() {
      closing = true;
      await pool.destroy();
    },
  };
}

function failureOf(error: unknown, timeoutMs: number, maxMemoryMb: number): ParseOutcome {
  const code = (error as { code?: string })?.code;
  const name = (error as { name?: string })?.name;
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR') {
    return { ok: false, code: 'TIMEOUT', reason: `parsing took longer than ${timeoutMs} ms` };
  }
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { ok: false, code: 'TOO_LARGE', reason: `parsing needed more than ${maxMemoryMb} MB` };
  }
  // The thread died on this document: the document is what has to be rejected, not the pool.
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, code: 'CORRUPT', reason: `the parser failed on this PDF: ${message.slice(0, 300)}` };
}

/** A worker module as a thread loads it: when the service runs from sources (tests), its built copy. */
function builtFile(entry: URL): string {
  const path = fileURLToPath(entry);
  if (path.endsWith('.js')) return path;
  const compiled = path.replace(/\.ts$/, '.js');
  if (existsSync(compiled)) return compiled;
  return compiled.replace(/([\\/])src([\\/])worker([\\/])([\w.-]+\.js)$/, '$1dist$2worker$3$4');
}
