import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of the memory probe (`memory-probe.mjs`): a process's own view of its memory, bytes. */
export interface ProbeSample {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, number>;
  /** The main thread's garbage-collection pauses since the process started, ms (all; major ones). */
  gcMs?: number;
  majorGcMs?: number;
}

/** The probe's samples of one process, oldest first (empty if it wrote none). */
export function probeSamples(dir: string, pid: number): ProbeSample[] {
  try {
    return readFileSync(join(dir, `${pid}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ProbeSample);
  } catch {
    return [];
  }
}

/** The sample closest to the wall-clock time `t` (ms since the epoch). */
export function probeAt(samples: ProbeSample[], t: number): ProbeSample | undefined {
  let best: ProbeSample | undefined;
  for (const s of samples) if (!best || Math.abs(s.t - t) < Math.abs(best.t - t)) best = s;
  return best;
}
