import { readdirSync, readFileSync } from 'node:fs';

// Peak resident memory and CPU time of named processes on Linux. A process's own peak is the kernel's high-water mark
// (VmHWM, read at the end and, should the process be gone by then, taken from the last sample). The peak of its
// process tree (the process and its descendants: browsers, scripts) is the highest sampled sum of their PSS
// (proportional set size: a page shared by n processes counts 1/n in each), so that pages the processes of a
// browser share are not counted once per process as a sum of RSS would.

export interface WatchedProcess {
  name: string;
  pid: number;
}

export interface ProcessFigures {
  /** MB, each process alone: max(VmHWM at the end or last seen, highest sampled VmRSS). */
  process: Record<string, number>;
  /** MB, the PSS of the process and its descendants at the sampled instant where their sum was highest. */
  tree: Record<string, number>;
  /** CPU seconds (user + system) each process used from its start to the last sample, its threads included. */
  cpu_s: Record<string, number>;
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

/** utime + stime in seconds, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function pssKb(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function treeKb(pid: number, children: Map<number, number[]>): number {
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    total += pssKb(next);
    pending.push(...(children.get(next) ?? []));
  }
  return total;
}

/**
 * Samples every process's VmRSS each `intervalMs`, and its process tree each `treeIntervalMs` (walking /proc is
 * the costly part, so less often).
 */
export function startProcessSampler(processes: readonly WatchedProcess[], intervalMs = 200, treeIntervalMs = 1_000) {
  const ownPeak = new Map<string, number>();
  const treePeak = new Map<string, number>();
  const lastHwm = new Map<string, number>();
  const lastCpu = new Map<string, number>();
  let samples = 0;
  let lastTree = 0;
  const sample = () => {
    samples += 1;
    for (const { name, pid } of processes) {
      const memory = memoryKb(pid);
      if (!memory) continue;
      ownPeak.set(name, Math.max(ownPeak.get(name) ?? 0, memory.rss));
      lastHwm.set(name, memory.hwm);
      const cpu = cpuSeconds(pid);
      if (cpu !== null) lastCpu.set(name, cpu);
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
    stop(): ProcessFigures {
      clearInterval(timer);
      sample();
      const mb = (kb: number) => Math.round(kb / 102.4) / 10;
      return {
        process: Object.fromEntries(
          processes.map(({ name }) => [name, mb(Math.max(lastHwm.get(name) ?? 0, ownPeak.get(name) ?? 0))]),
        ),
        tree: Object.fromEntries(processes.map(({ name }) => [name, mb(treePeak.get(name) ?? 0)])),
        cpu_s: Object.fromEntries(processes.map(({ name }) => [name, Math.round((lastCpu.get(name) ?? 0) * 10) / 10])),
        samples,
      };
    },
  };
}
