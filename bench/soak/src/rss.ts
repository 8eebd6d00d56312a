import { readdirSync, readFileSync } from 'node:fs';
import type { StackProcess } from './stack.js';

/** RSS of every process at one moment, in MiB, by label, and the CPU time it used so far. */
export interface RssSample {
  /** Seconds since the traffic started. */
  at: number;
  rss: Map<string, number>;
  /** User + system CPU seconds since the process started. */
  cpu: Map<string, number>;
}

/** User + system CPU seconds of a process (`utime` + `stime` of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in MiB (`VmRSS` of /proc), or undefined once it is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the RSS of every process of the stack at a fixed interval. */
export class RssSampler {
  readonly samples: RssSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly processes: () => StackProcess[],
    private readonly t0: number,
  ) {}

  sample(): RssSample {
    const rss = new Map<string, number>();
    const cpu = new Map<string, number>();
    for (const p of this.processes()) {
      const mib = rssMiB(p.pid);
      if (mib !== undefined) rss.set(p.label, mib);
      const seconds = cpuSeconds(p.pid);
      if (seconds !== undefined) cpu.set(p.label, seconds);
    }
    const s = { at: (performance.now() - this.t0) / 1000, rss, cpu };
    this.samples.push(s);
    return s;
  }

  start(intervalMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** The sample taken closest to `seconds` after the start. */
  at(seconds: number): RssSample {
    return this.samples.reduce((best, s) =>
      Math.abs(s.at - seconds) < Math.abs(best.at - seconds) ? s : best,
    );
  }
}

/** CPU seconds used so far by the machine's shared servers and by the whole machine. */
export interface MachineCpu {
  /** Busy CPU seconds of all cores (everything but idle and I/O wait, /proc/stat). */
  busy: number;
  /** All of PostgreSQL: live processes, and the postmaster's reaped children (backends that ended). */
  postgres: number;
  redis: number;
}

/** Reads /proc once: the machine's busy time and the CPU of the PostgreSQL and Redis servers. */
export function machineCpu(): MachineCpu {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  const busy = ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  let postgres = 0;
  let redis = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    if (comm === 'postgres') {
      postgres += own;
      // The postmaster (parent not a postgres process) carries its ended backends' time.
      if (!isPostgres(fields[1]!)) postgres += (Number(fields[13]) + Number(fields[14])) / 100;
    } else if (comm === 'redis-server') redis += own;
  }
  return { busy, postgres, redis };
}

function isPostgres(pid: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}
