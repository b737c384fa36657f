import type { pg } from '@pharma/shared/db';
import type { Log } from '@pharma/shared/logger';
import type { RunnerConfig } from '../config.js';
import type { TaskOutcome } from '../domain/reasons.js';
import type { Task } from '../repositories/tasks.repository.js';
import type { ScriptRunner } from '../runner/script-runner.js';

export type RunTrigger = 'request' | 'schedule' | 'scan';
export type RunStatus = 'succeeded' | 'failed' | 'locked' | 'cancelled';

export interface TargetHeader {
  /** Absolute path of report_header.xlsx, handed to scripts as TASK_HEADER_FILE. */
  file: string;
  columns: readonly string[];
}

export interface TaskResult {
  task: Task;
  outcome: TaskOutcome;
  attempt: number;
  rowsLoaded?: number;
  durationMs: number;
  scriptMs?: number;
}

/** Where a run reports what happened; NATS events in the service, a collector in tests. */
export interface RunEvents {
  taskUpdated(runId: string, result: TaskResult): Promise<void>;
  runCompleted(result: RunResult, meta: { jobId?: string; correlationId?: string }): Promise<void>;
}

export interface RunDeps {
  pool: pg.Pool;
  config: RunnerConfig;
  runScript: ScriptRunner;
  header: TargetHeader;
  events: RunEvents;
  logger: Log;
}

export interface RunProgress {
  done: number;
  total: number;
  counts: Record<string, number>;
}

export interface RunRequest {
  runId: string;
  trigger: RunTrigger;
  jobId?: string;
  correlationId?: string;
  onTaskFinished?(result: TaskResult, progress: RunProgress): void;
  isCancelled?(): Promise<boolean>;
}

export interface RunFailure {
  filePath: string;
  status: string;
  reason: string;
  detail?: string;
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  tasks: number;
  counts: Record<string, number>;
  failures: RunFailure[];
  startedAt: string;
  completedAt: string;
  error?: string;
}
