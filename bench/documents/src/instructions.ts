/**
 * Instructions per request, counted by callgrind (Debian's `valgrind`): for a change too small
 * for a busy machine's timings, which swing by half between runs. The target runs in a process
 * of its own under callgrind with instrumentation off, so it warms up (JIT, caches) at a fraction
 * of its speed rather than a fiftieth; then each window of requests is counted on its own and
 * dumped, after one window that is not. Only the main thread is counted (the thread that
 * answers): the garbage collector's helper threads vary by 15% from run to run. Repeatable to
 * about 1%.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { type Processes, waitFor } from '../../shared/stack.js';

export interface InstructionCount {
  /** Script started under callgrind (as `Processes.start` starts it). */
  script: string;
  env: Record<string, string>;
  port: number;
  /** Path and headers of the request counted. */
  path: string;
  headers: Record<string, string>;
  connections: number;
  /** Requests before counting starts. */
  warmup: number;
  /** Requests per counted window. */
  window: number;
  windows: number;
}

/** Instructions of the main thread per request, one figure per window. */
export async function instructionsPerRequest(processes: Processes, o: InstructionCount): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rt-callgrind-'));
  // vgdb, through which callgrind_control reaches the process, names its pipes after these.
  const who = {
    USER: process.env.USER ?? 'bench',
    LOGNAME: process.env.LOGNAME ?? 'bench',
    HOST: hostname(),
  };
  const control = (pid: number, ...args: string[]) => {
    const r = spawnSync('callgrind_control', [...args, String(pid)], {
      env: { ...process.env, ...who },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`callgrind_control ${args.join(' ')}: ${r.stderr || r.error}`);
  };
  const child = processes.start(o.script, { ...o.env, ...who, PORT: String(o.port) }, [
    'valgrind',
    '--tool=callgrind',
    '--instr-atstart=no',
    '--separate-threads=yes',
    // V8 writes its machine code at run time.
    '--smc-check=all',
    `--callgrind-out-file=${join(dir, 'cg.%p')}`,
  ]);
  try {
    const url = `http://127.0.0.1:${o.port}${o.path}`;
    await waitFor(url, o.headers, 180_000);
    const send = async (amount: number) => {
      const r = await autocannon({ url, connections: o.connections, amount, headers: o.headers });
      const good = r['2xx'] + r['3xx'];
      if (good !== amount) throw new Error(`${url}: ${amount - good} of ${amount} answers were not 2xx/3xx`);
    };
    await send(o.warmup);
    control(child.pid, '--instr=on');
    // Switching instrumentation on translates the code again (and V8 may still tier some of it
    // up): one window more, not counted.
    await send(o.window);
    const counts: number[] = [];
    for (let w = 1; w <= o.windows; w++) {
      control(child.pid, '--zero');
      await send(o.window);
      control(child.pid, '--dump');
      // Part w of the profile, thread 1 (the main thread).
      const text = await readFile(join(dir, `cg.${child.pid}.${w}-01`), 'utf8');
      const summary = /^summary:\s+(\d+)/m.exec(text);
      if (!summary) throw new Error(`no summary in callgrind's part ${w}`);
      counts.push(Math.round(Number(summary[1]) / o.window));
    }
    return counts;
  } finally {
    child.kill('SIGTERM');
    await new Promise((ok) => (child.exitCode !== null ? ok(null) : child.once('exit', ok)));
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `BENCH_INSTRUCTIONS=1 npm run bench:documents`: a cached layout read through the router against
 * the bare route, in instructions per request (median of three windows; `BENCH_WINDOW` requests
 * each, default 10 000, after `BENCH_WARMUP`, default 15 000).
 */
export async function reportInstructions(
  processes: Processes,
  o: {
    freePort: () => Promise<number>;
    connections: number;
    bare: { env: Record<string, string>; path: string };
    router: { env: Record<string, string>; path: string; headers: Record<string, string> };
  },
): Promise<void> {
  const common = {
    connections: o.connections,
    warmup: Number(process.env.BENCH_WARMUP ?? 15_000),
    window: Number(process.env.BENCH_WINDOW ?? 10_000),
    windows: 3,
  };
  const bare = await instructionsPerRequest(processes, {
    ...common,
    script: 'bench/documents/bare.mjs',
    env: o.bare.env,
    port: await o.freePort(),
    path: o.bare.path,
    headers: {},
  });
  const router = await instructionsPerRequest(processes, {
    ...common,
    script: 'services/router/dist/server.js',
    env: o.router.env,
    port: await o.freePort(),
    path: o.router.path,
    headers: o.router.headers,
  });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(
    `\nbench:documents (instructions) — callgrind, main thread, ${common.window} requests per window after ${common.warmup}, median of ${common.windows} windows, ${o.connections} connections\n`,
  );
  console.log('| target | instructions per request (median) | × bare | all windows |');
  console.log('|---|---:|---:|---|');
  for (const [name, counts] of [
    ['bare Fastify, constant JSON (reference)', bare],
    ['layout by id, cached — through the router', router],
  ] as const) {
    console.log(
      `| ${name} | ${median(counts)} | ${(median(counts) / median(bare)).toFixed(2)} | ${counts.join(', ')} |`,
    );
  }
}
