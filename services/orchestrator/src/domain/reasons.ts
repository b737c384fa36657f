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
} as const;

export const returnCodeReason = (code: number) => `RETURN_CODE_${code}`;

export type TaskStatus = 'PROCESSING' | 'CREATED' | 'ERROR';

export interface TaskOutcome {
  status: TaskStatus;
  reason?: string;
  /** Human detail kept with the task run (header difference, error message). */
  detail?: string;
}

/** A missing script leaves the file PROCESSING (the original rule): it is taken again once a script exists. */
export const noScript = (): TaskOutcome => ({ status: 'PROCESSING', reason: REASONS.NO_SCRIPT_FOUND });
export const failed = (reason: string, detail?: string): TaskOutcome => ({ status: 'ERROR', reason, detail });
export const created = (): TaskOutcome => ({ status: 'CREATED' });
