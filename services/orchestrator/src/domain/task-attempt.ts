import { created, failed, noScript, REASONS, returnCodeReason, stopped, type TaskOutcome } from './reasons.js';

/**
 * One attempt at a registry file, as a state machine: claimed → script → output → load → ended. Each step's result
 * is an event; `nextAttempt` says what follows, and an ended attempt says what is written and how. Pure: the task
 * service does the I/O of each step and feeds its result in.
 */
export type TaskAttempt =
  /** The file's row is locked in the task's transaction; its script and source not yet looked up. */
  | { step: 'claimed'; facts: AttemptFacts }
  /** The script found and the source file there: the script is to run. */
  | { step: 'script'; facts: AttemptFacts }
  /** The script ended well: its output is to be found, checked and moved to "ready to load". */
  | { step: 'output'; facts: AttemptFacts }
  /** The output is in "ready to load": it is to be loaded. */
  | { step: 'load'; facts: AttemptFacts & { readyFile: string } }
  | EndedAttempt;

export interface EndedAttempt {
  step: 'ended';
  outcome: TaskOutcome;
  facts: AttemptFacts;
  /** How the end is written (see `TaskEndWrite`). */
  write: TaskEndWrite;
}

/**
 * - `in-task`: the registry status and the task run's end, in the task's transaction;
 * - `with-load`: already written, by the load's last statement;
 * - `relock`: the failed load aborted the transaction: rolled back, then written in a new one under the file's row
 *   lock taken again (if another runner took the file meanwhile, the task run only);
 * - `run-only`: the service stopped and killed the script: rolled back, the file left as it was (the next run takes
 *   it), only the task run closed;
 * - `forget`: nothing was attempted (the service stopped before the script started): rolled back, the task run
 *   removed.
 */
export type TaskEndWrite = 'in-task' | 'with-load' | 'relock' | 'run-only' | 'forget';

/** What the attempt learnt so far, kept with its task run. */
export interface AttemptFacts {
  script?: string;
  scriptMs?: number;
  exitCode?: number;
  stdoutTail?: string;
  stderrTail?: string;
  outputFile?: string;
  readyFile?: string;
  rowsLoaded?: number;
}

/** A task run's end as written: the outcome, the facts and the attempt's duration. */
export interface TaskRunEnd extends AttemptFacts {
  status: TaskOutcome['status'];
  reason?: string;
  detail?: string;
  durationMs: number;
}

/** How a script run ended: an exit code, or killed at the timeout (the script runners' answer). */
export interface ScriptEnd {
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** Why a script did not start or crashed, when known. */
  error?: string;
  /** The process that ran the script (a script host) died or hung: the script's end is unknown. */
  lost?: boolean;
  /** The script was never started: the service stopped while the task waited for a script slot. */
  notStarted?: boolean;
}

export type AttemptEvent =
  | {
      type: 'looked-up';
      /** The script's path, if one was found for the file's provider and client. */
      script?: string;
      /** Whether the registry row names a client (the output's name needs one). */
      hasClient: boolean;
      /** The source file: a file, absent, or outside the intake root. */
      source: 'file' | 'missing' | 'outside-root';
      sourcePath: string;
    }
  | (ScriptEnd & {
      type: 'script-ended';
      /** The service is stopping: a script lost now was killed by the stop, not by a fault. */
      stopping: boolean;
      timeoutMs: number;
    })
  | {
      type: 'output-checked';
      /** The output check's answer; none when the runner checked nothing (a fault of the orchestrator). */
      output?:
        | { ok: true; outputFile: string; readyFile: string }
        | { ok: false; reason: string; detail?: string; outputFile?: string };
    }
  | { type: 'loaded'; rows: number }
  | { type: 'load-failed'; error: string }
  /** An unexpected error of the orchestrator itself during a step. */
  | { type: 'crashed'; error: string };

export const claimedAttempt = (): TaskAttempt => ({ step: 'claimed', facts: {} });

const end = (facts: AttemptFacts, outcome: TaskOutcome, write: TaskEndWrite = 'in-task'): EndedAttempt => ({
  step: 'ended',
  outcome,
  facts,
  write,
});

export function nextAttempt(attempt: TaskAttempt, event: AttemptEvent): TaskAttempt {
  if (attempt.step === 'ended') throw new Error(`a task attempt already ended got ${event.type}`);
  if (event.type === 'crashed') return end(attempt.facts, failed(REASONS.INTERNAL, event.error));
  switch (attempt.step) {
    case 'claimed':
      if (event.type === 'looked-up') return afterLookup(event);
      break;
    case 'script':
      if (event.type === 'script-ended') return afterScript(attempt.facts, event);
      break;
    case 'output':
      if (event.type === 'output-checked') return afterOutputCheck(attempt.facts, event);
      break;
    case 'load':
      if (event.type === 'loaded') return end({ ...attempt.facts, rowsLoaded: event.rows }, created(), 'with-load');
      if (event.type === 'load-failed') {
        return end({ ...attempt.facts, rowsLoaded: 0 }, failed(REASONS.LOAD_FAILED, event.error), 'relock');
      }
      break;
  }
  throw new Error(`a task attempt at step ${attempt.step} got ${event.type}`);
}

function afterLookup(event: Extract<AttemptEvent, { type: 'looked-up' }>): TaskAttempt {
  if (!event.script || !event.hasClient) return end({}, noScript());
  const facts = { script: event.script };
  if (event.source === 'outside-root')
    return end(facts, failed(REASONS.NO_SOURCE_FILE, 'path outside the intake root'));
  if (event.source === 'missing') return end(facts, failed(REASONS.NO_SOURCE_FILE, event.sourcePath));
  return { step: 'script', facts };
}

function afterScript(before: AttemptFacts, event: Extract<AttemptEvent, { type: 'script-ended' }>): TaskAttempt {
  if (event.notStarted) return end(before, stopped(event.error ?? 'not started'), 'forget');
  const facts: AttemptFacts = {
    ...before,
    scriptMs: event.durationMs,
    exitCode: event.exitCode,
    stdoutTail: event.stdout,
    stderrTail: event.stderr,
  };
  if (event.lost && event.stopping) {
    return end(facts, stopped(`the service stopped: ${event.error ?? 'script killed'}`), 'run-only');
  }
  if (event.lost) return end(facts, failed(REASONS.RUNNER_LOST, event.error));
  if (event.timedOut) return end(facts, failed(REASONS.TIMEOUT, `no end after ${event.timeoutMs} ms`));
  if (event.exitCode !== 0) return end(facts, failed(returnCodeReason(event.exitCode), event.error));
  return { step: 'output', facts };
}

function afterOutputCheck(before: AttemptFacts, event: Extract<AttemptEvent, { type: 'output-checked' }>): TaskAttempt {
  const output = event.output;
  if (!output) return end(before, failed(REASONS.INTERNAL, 'the script runner checked no output'));
  const facts = { ...before, outputFile: output.outputFile };
  if (!output.ok) return end(facts, failed(output.reason, output.detail));
  return { step: 'load', facts: { ...facts, readyFile: output.readyFile } };
}

/** The task run's end of an ended attempt that took `durationMs`. */
export const taskRunEnd = (attempt: EndedAttempt, durationMs: number): TaskRunEnd => ({
  ...attempt.facts,
  status: attempt.outcome.status,
  reason: attempt.outcome.reason,
  detail: attempt.outcome.detail,
  durationMs,
});

/** The end written with the load's last statement: the attempt as it ends once `rows` are loaded. */
export const loadedTaskRunEnd = (
  attempt: Extract<TaskAttempt, { step: 'load' }>,
  rows: number,
  durationMs: number,
): TaskRunEnd => taskRunEnd(nextAttempt(attempt, { type: 'loaded', rows }) as EndedAttempt, durationMs);
