import { toError } from '@pharma/shared/errors';
import { compareHeader, describeDifference } from '../domain/header-check.js';
import { REASONS } from '../domain/reasons.js';
import { findOutput } from '../files/output-finder.js';
import { type MoveOptions, moveToReady } from '../files/safe-move.js';
import { openTable, type Row } from '../files/table-reader.js';

/** What to check after a script ended well: where its output is expected, what header it must have, where it goes. */
export interface OutputCheckRequest {
  finalDir: string;
  readyDir: string;
  task: { id: number; client: string; sourceFile: string };
  /** The target header's columns. */
  columns: readonly string[];
  move: MoveOptions;
}

export type OutputCheck =
  | {
      ok: true;
      outputFile: string;
      readyFile: string;
      header: Row;
      /** The rows below the header when the whole file was read (a small CSV); otherwise read from `readyFile`. */
      body?: Row[];
    }
  | { ok: false; reason: string; detail?: string; outputFile?: string };

/**
 * A script's output, checked and moved: found by the naming rule among the files written since `startedAt`, its
 * header equal to the target one, then moved to "ready to load" (`moveToReady`, files/safe-move.ts). Runs in a
 * script worker thread (consumers/script-worker.consumer.ts), off the service's main thread.
 */
export async function checkAndMoveOutput(request: OutputCheckRequest, startedAt: number): Promise<OutputCheck> {
  try {
    const output = findOutput(request.finalDir, request.task, startedAt);
    if (!output) return { ok: false, reason: REASONS.NO_OUTPUT_FILE };
    const outputFile = output.path;
    let table: Awaited<ReturnType<typeof openTable>>;
    try {
      table = await openTable(outputFile, output.size);
    } catch (error) {
      return {
        ok: false,
        reason: REASONS.BAD_HEADER,
        detail: `unreadable output: ${toError(error).message}`,
        outputFile,
      };
    }
    const difference = compareHeader(table.header, request.columns);
    if (difference)
      return { ok: false, reason: REASONS.BAD_HEADER, detail: describeDifference(difference), outputFile };
    const moved = await moveToReady(outputFile, request.readyDir, request.move);
    if (!moved.ok) return { ok: false, reason: moved.reason, detail: moved.detail, outputFile };
    return { ok: true, outputFile, readyFile: moved.path, header: table.header, body: table.body };
  } catch (error) {
    return { ok: false, reason: REASONS.INTERNAL, detail: toError(error).message };
  }
}
