import type { ScriptEnd } from '../domain/task-attempt.js';
import type { OutputCheck } from '../services/output.service.js';

export interface TaskEnv {
  TASK_ID: string;
  TASK_FILE: string;
  TASK_CLIENT: string;
  TASK_REPORT_TYPE: string;
  TASK_OUTPUT_DIR: string;
  TASK_HEADER_FILE: string;
}

/** How a script run ended (`ScriptEnd`), with its output checked and moved when asked for and it ended well. */
export interface ScriptOutcome extends ScriptEnd {
  output?: OutputCheck;
}
