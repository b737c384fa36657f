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
  /** Its script was killed because the service stopped: the file was left as it was (the next run takes it). */
  interrupted?: boolean;
  /** The service stopped before its script started: no attempt is recorded, the file is left as it was. */
  notStarted?: boolean;
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
  /**
   * Aborted when the service stops: the run claims no more tasks, and a task whose script is then killed (lost) is
   * left as it was for the next run instead of being recorded as failed.
   */
  stopSignal?: AbortSignal;
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
  /** Aborted when the run's cancellation is requested: no more tasks are claimed, running ones finish. */
  cancelSignal?: AbortSignal;
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
  /** The service stopped during the run (status `failed`, error `STOPPED: …`): the files not done wait for the next run. */
  stopped?: boolean;
}
