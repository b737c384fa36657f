// Messages between the orchestrator and a script host (the Node spawner process, or the warm Python interpreter),
// one JSON object per line: requests on the host's stdin, replies on its stdout.

export interface HostRunRequest {
  id: number;
  /** Executable (the Node spawner), or the `.py` file (the Python host runs it in a fork of itself). */
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  tailBytes: number;
}

export type HostReply =
  /** The host is up (first line it writes). */
  | { type: 'ready'; pid: number; version?: string }
  /** The script's process (and process group) id: the orchestrator kills the group itself if the host dies. */
  | { type: 'started'; id: number; pid: number }
  | {
      type: 'done';
      id: number;
      /** Exit code, or 128 + n for a process ended by signal n; 127 when it could not be started. */
      exitCode: number;
      timedOut: boolean;
      durationMs: number;
      stdout: string;
      stderr: string;
      error?: string;
    };
