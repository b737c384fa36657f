import { createInterface } from 'node:readline';
import type { HostReply, HostRunRequest } from './host-protocol.js';
import { killGroup, runProcess } from './process-runner.js';

// The spawner host: a small Node process of its own that starts the scripts (executables, and `.py` files when no
// warm Python runs them) on behalf of the orchestrator. Starting a child forks the calling process, and forking
// the service (hundreds of MB with its worker threads) costs several ms of its main thread per task; this process
// stays small. Requests arrive as JSON lines on stdin, replies leave as JSON lines on stdout (host-protocol.ts).

const running = new Map<number, number>();

const send = (reply: HostReply) => process.stdout.write(`${JSON.stringify(reply)}\n`);

// The orchestrator closed our stdin or died: no script outlives it.
const shutdown = () => {
  for (const pid of running.values()) killGroup(pid);
  process.exit(0);
};

process.stdout.on('error', shutdown);
const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  const request = JSON.parse(line) as HostRunRequest;
  void runProcess(request, (pid) => {
    running.set(request.id, pid);
    send({ type: 'started', id: request.id, pid });
  }).then((outcome) => {
    running.delete(request.id);
    send({ type: 'done', id: request.id, ...outcome });
  });
});
lines.on('close', shutdown);
send({ type: 'ready', pid: process.pid, version: process.version });
