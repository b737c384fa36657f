import type { OutputCheck } from '../services/output.service.js';

export interface TaskEnv {
  TASK_ID: string;
  TASK_FILE: string;
  TASK_CLIENT: string;
  TASK_REPORT_TYPE: string;
  TASK_OUTPUT_DIR: string;
  TASK_HEADER_FILE: string;
}

/** How a script run ended: an exit code, or killed at the timeout. */
export interface ScriptOutcome {
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
  /** Its output checked and moved, when asked for and the script ended well. */
  output?: OutputCheck;
}
