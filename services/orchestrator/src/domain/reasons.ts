import type { RegistryFileStatusName } from '@pharma/shared/contracts';

/** Error reasons written to `ops.file_registry.error_reason`: the original codes, plus the new checks. */
export const REASONS = {
  NO_SCRIPT_FOUND: 'NO_SCRIPT_FOUND',
  NO_SOURCE_FILE: 'NO_SOURCE_FILE',
  TIMEOUT: 'TIMEOUT',
  NO_OUTPUT_FILE: 'NO_OUTPUT_FILE',
  BAD_HEADER: 'BAD_HEADER',
  LOCKED: 'LOCKED',
  NO_SPACE: 'NO_SPACE',
  PATH_TOO_LONG: 'PATH_TOO_LONG',
  MOVE_FAILED: 'MOVE_FAILED',
  LOAD_FAILED: 'LOAD_FAILED',
  /** The process running the script (a script host) died or hung: the file is simply taken again by the next run. */
  RUNNER_LOST: 'RUNNER_LOST',
  /**
   * The service stopped while the script ran and killed it at the end of its stop grace. Only on the task run
   * (status ABANDONED): the file is left as it was, as after a crash, and the next run takes it.
   */
  STOPPED: 'STOPPED',
  /** A fault of the orchestrator itself (an unexpected error while checking, moving or recording a task). */
  INTERNAL: 'INTERNAL',
} as const;

export const returnCodeReason = (code: number) => `RETURN_CODE_${code}`;

/** The registry statuses a task writes (the registry's contract defines them all). */
export type TaskStatus = Extract<RegistryFileStatusName, 'PROCESSING' | 'CREATED' | 'ERROR'>;

export interface TaskOutcome {
  /** The registry status written; ABANDONED (task run only): the file was left as it was. */
  status: TaskStatus | 'ABANDONED';
  reason?: string;
  /** Human detail kept with the task run (header difference, error message). */
  detail?: string;
}

/** A missing script leaves the file PROCESSING (the original rule): it is taken again once a script exists. */
export const noScript = (): TaskOutcome => ({ status: 'PROCESSING', reason: REASONS.NO_SCRIPT_FOUND });
export const failed = (reason: string, detail?: string): TaskOutcome => ({ status: 'ERROR', reason, detail });
export const created = (): TaskOutcome => ({ status: 'CREATED' });
export const stopped = (detail: string): TaskOutcome => ({ status: 'ABANDONED', reason: REASONS.STOPPED, detail });
