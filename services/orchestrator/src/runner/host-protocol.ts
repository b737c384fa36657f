// Messages between the orchestrator and a script host (the Node spawner process, or the warm Python interpreter),
// one JSON object per line: requests on the host's stdin, replies on its stdout.

import type { ProcessRunOptions } from './process-runner.js';
import type { ScriptOutcome } from './script-outcome.js';

/** A script to run: `command` is an executable (the Node spawner) or the `.py` file (the Python host forks itself). */
export type HostRunRequest = ProcessRunOptions & { id: number };

export type HostReply =
  /** The host is up (first line it writes). */
  | { type: 'ready'; pid: number; version?: string }
  /** The script's process (and process group) id: the orchestrator kills the group itself if the host dies. */
  | { type: 'started'; id: number; pid: number }
  /** `exitCode`: 128 + n for a process ended by signal n; 127 when it could not be started. */
  | ({ type: 'done'; id: number } & Omit<ScriptOutcome, 'lost'>);
