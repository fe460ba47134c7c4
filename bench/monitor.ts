import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clkTck: number | undefined;
/** Clock ticks per second of /proc/<pid>/stat CPU times. */
function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

export interface MemoryReading {
  rssMb: number;
  hwmMb: number;
}

/** Current and peak resident set size of a process, from /proc/<pid>/status (Linux). */
export function readMemory(pid: number): MemoryReading | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used so far, from /proc/<pid>/stat. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; fields after it are space separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

export interface Sample {
  atMs: number;
  rssMb: number;
}

/** Samples a process's RSS every `intervalMs` until stopped; keeps every sample. */
export class RssSampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();

  constructor(
    private readonly pid: number,
    intervalMs = 500,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample() {
    const m = readMemory(this.pid);
    if (m) this.samples.push({ atMs: Date.now() - this.started, rssMb: m.rssMb });
  }

  /** Stops sampling; returns the highest RSS seen. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.max(0, ...this.samples.map((s) => s.rssMb));
  }
}
