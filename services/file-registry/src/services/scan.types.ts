import type { ParsedFilePath } from '../domain/file-path.parser.js';

export interface ScanTotals {
  seen: number;
  new: number;
  skippedByFilter: number;
  skippedByStructure: number;
  unstable: number;
  deleted: number;
}

export interface SkippedPath {
  path: string;
  reason: string;
  message: string;
}

export interface RegisteredFile extends ParsedFilePath {
  /** `file-<id>`; a file back on disk after DELETE adds its mtime, being a new fact about the same id. */
  messageId: string;
  id: number;
  filePath: string;
  registeredAt: string;
}

export type ScanStatus = 'succeeded' | 'failed' | 'locked';

export interface ScanResult {
  scanId: string;
  jobId?: string;
  correlationId?: string;
  root: string;
  status: ScanStatus;
  totals: ScanTotals;
  skippedByStructure: SkippedPath[];
  unstablePaths: string[];
  unreadable: { relativePath: string; error: string }[];
  /** Problems after the files were registered (e.g. events not published). */
  warnings: string[];
  error?: string;
  cancelled?: boolean;
  /** Time spent per stage, for operators chasing a slow scan. */
  stageMs: Partial<Record<ScanStage, number>>;
  startedAt: string;
  completedAt: string;
}

export type ScanStage = 'walking' | 'checking' | 'registering' | 'publishing';

export interface ScanHooks {
  onStage?(stage: ScanStage, message: string, files?: number): Promise<void> | void;
  /** Asked between stages; true stops the scan before anything is written. */
  isCancelled?(): Promise<boolean> | boolean;
}

/** Where a scan's facts go: NATS in the service, nowhere for a dry CLI run or a benchmark. */
export interface ScanEventSink {
  filesRegistered(files: readonly RegisteredFile[], correlationId?: string): Promise<void>;
  scanCompleted(result: ScanResult): Promise<void>;
}

export const emptyTotals = (): ScanTotals => ({
  seen: 0,
  new: 0,
  skippedByFilter: 0,
  skippedByStructure: 0,
  unstable: 0,
  deleted: 0,
});
