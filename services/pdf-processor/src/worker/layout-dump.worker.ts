import { isMainThread } from 'node:worker_threads';
import { buildLayoutDump, type LayoutDump } from '../pdf/layout-dump.js';

export type LayoutDumpOutcome = { ok: true; dump: LayoutDump } | { ok: false; reason: string };

// As in parse.worker.ts: pdfjs leaves promises of a broken document rejected with nobody listening.
if (!isMainThread) process.on('unhandledRejection', () => {});

/** This module, for the parser pool (the service imports it only to name it). */
export const DUMP_LAYOUT_ENTRY = new URL(import.meta.url);

/** Runs in a pool thread: the redacted layout of a statement PDF the parser could not read. */
export default async function dumpLayoutInWorker({ data }: { data: Uint8Array }): Promise<LayoutDumpOutcome> {
  try {
    return { ok: true, dump: await buildLayoutDump(data) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `pdfjs cannot read the PDF: ${message.slice(0, 300)}` };
  }
}
