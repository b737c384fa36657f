import { readdirSync, readFileSync } from 'node:fs';

// Peak resident memory of named processes on Linux. A process's own peak is the kernel's high-water mark
// (VmHWM, read at the end and, should the process be gone by then, taken from the last sample); the peak of its
// process tree (the process and its descendants: browsers, scripts) is the highest sampled sum of VmRSS.

export interface WatchedProcess {
  name: string;
  pid: number;
}

export interface RssPeaks {
  /** MB, each process alone: max(VmHWM at the end or last seen, highest sampled VmRSS). */
  process: Record<string, number>;
  /** MB, the process and its descendants at the sampled instant where their sum was highest. */
  tree: Record<string, number>;
  samples: number;
}

/** VmRSS and VmHWM in kB, or null once the process has ended. */
function memoryKb(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return null;
  }
}

/** Parent pid of every process, from /proc/<pid>/stat (the command name may hold spaces and parentheses). */
function parents(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // ended while we looked
    }
  }
  return children;
}

function treeKb(pid: number, children: Map<number, number[]>): number {
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    total += memoryKb(next)?.rss ?? 0;
    pending.push(...(children.get(next) ?? []));
  }
  return total;
}

/**
 * Samples every process's VmRSS each `intervalMs`, and its process tree each `treeIntervalMs` (walking /proc is
 * the costly part, so less often).
 */
export function startRssSampler(processes: readonly WatchedProcess[], intervalMs = 200, treeIntervalMs = 1_000) {
  const ownPeak = new Map<string, number>();
  const treePeak = new Map<string, number>();
  const lastHwm = new Map<string, number>();
  let samples = 0;
  let lastTree = 0;
  const sample = () => {
    samples += 1;
    for (const { name, pid } of processes) {
      const memory = memoryKb(pid);
      if (!memory) continue;
      ownPeak.set(name, Math.max(ownPeak.get(name) ?? 0, memory.rss));
      lastHwm.set(name, memory.hwm);
    }
    if (performance.now() - lastTree >= treeIntervalMs) {
      lastTree = performance.now();
      const children = parents();
      for (const { name, pid } of processes)
        treePeak.set(name, Math.max(treePeak.get(name) ?? 0, treeKb(pid, children)));
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): RssPeaks {
      clearInterval(timer);
      sample();
      const mb = (kb: number) => Math.round(kb / 102.4) / 10;
      return {
        process: Object.fromEntries(
          processes.map(({ name }) => [name, mb(Math.max(lastHwm.get(name) ?? 0, ownPeak.get(name) ?? 0))]),
        ),
        tree: Object.fromEntries(processes.map(({ name }) => [name, mb(treePeak.get(name) ?? 0)])),
        samples,
      };
    },
  };
}
