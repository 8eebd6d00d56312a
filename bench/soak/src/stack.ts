import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from '@rt/db';
import { createRedis } from '@rt/queue';

/** One process of the running stack, named as `npm start` names its log files. */
export interface StackProcess {
  label: string;
  pid: number;
}

/** The local stack of `npm start`, run as a child process on the soak's own ports and databases. */
export interface SoakStack {
  euUrl: string;
  usUrl: string;
  directoryDatabaseUrl: string;
  /** The launcher (embedded s3rver, FIT signer) and every service process, by label. */
  processes(): StackProcess[];
  /** Whether the launcher is still running. */
  alive(): boolean;
  /** The launcher's output so far (start-up lines, unexpected exits). */
  output(): string;
  stop(): Promise<number | null>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter(Boolean);
  } catch {
    return [];
  }
};

/** `eu-layout`, `us-router`, … from a service process's command line and environment. */
function labelOf(pid: number): string | undefined {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const service = /services\/([a-z-]+)\/(?:src\/server\.ts|dist\/server\.js)/.exec(cmdline)?.[1];
    if (!service) return undefined;
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const region = environ.find((v) => v.startsWith('REGION='))?.slice('REGION='.length);
    return `${(region ?? '?').toLowerCase()}-${service}`;
  } catch {
    return undefined;
  }
}

/**
 * Starts `packages/devstack/src/cli.ts` — the very command `npm start` runs, so the same
 * processes a developer runs: the launcher with the embedded S3 server and the local FIT signer,
 * then per region the router, layout, theme, asset, residency-migration and worker (with `built`,
 * from their production builds, as `npm start -- --built` and the images run them). It gets its
 * own ports, databases, Redis databases and state directory, so neither a developer's stack nor
 * a test's is disturbed, and everything is dropped afterwards.
 */
export async function startSoakStack(options: {
  root: string;
  adminUrl: string;
  redisUrl: string;
  redisDbs: [number, number];
  env: Record<string, string>;
  /** Services from their production builds (`npm start -- --built`), else from source. */
  built: boolean;
}): Promise<SoakStack> {
  const eu = Number(process.env.BENCH_EU_PORT ?? 28080);
  const ports = { eu, us: eu + 10, s3: eu + 950, forgeSigner: eu + 970 };
  const suffix = process.pid.toString(36);
  const databases = {
    directory: `rt_soak_dir_${suffix}`,
    eu: `rt_soak_eu_${suffix}`,
    us: `rt_soak_us_${suffix}`,
  };
  const databaseUrl = (name: string) => {
    const url = new URL(options.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  // The soak owns these two Redis databases: queues left over by an earlier, killed run would
  // otherwise be picked up by this stack's workers.
  for (const db of options.redisDbs) {
    const url = new URL(options.redisUrl);
    url.pathname = `/${db}`;
    const redis = createRedis(url.toString());
    await redis.flushdb();
    redis.disconnect();
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'rt-soak-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    EU_ROUTER_PORT: String(ports.eu),
    US_ROUTER_PORT: String(ports.us),
    S3_PORT: String(ports.s3),
    FORGE_SIGNER_PORT: String(ports.forgeSigner),
    STACK_STATE_DIR: stateDir,
    DIRECTORY_DATABASE: databases.directory,
    EU_DATABASE: databases.eu,
    US_DATABASE: databases.us,
    EU_REDIS_DB: String(options.redisDbs[0]),
    US_REDIS_DB: String(options.redisDbs[1]),
    REDIS_URL: options.redisUrl,
    DATABASE_ADMIN_URL: options.adminUrl,
    ...options.env,
  };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      'packages/devstack/src/cli.ts',
      ...(options.built ? ['--built'] : []),
    ],
    { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const seen = new Map<number, string>();
  const processes = (): StackProcess[] => {
    if (child.pid && child.exitCode === null) {
      seen.set(child.pid, 'launcher');
      for (const pid of children(child.pid)) {
        const label = seen.get(pid) ?? labelOf(pid);
        if (label) seen.set(pid, label);
      }
    }
    return [...seen].map(([pid, label]) => ({ pid, label }));
  };

  const deadline = Date.now() + 180_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      const logs = join(stateDir, 'logs');
      throw new Error(`the stack did not come up (logs in ${logs}):\n${output}`);
    }
    await sleep(250);
  }
  processes();

  let stopped: Promise<number | null> | undefined;
  return {
    euUrl: `http://127.0.0.1:${ports.eu}`,
    usUrl: `http://127.0.0.1:${ports.us}`,
    directoryDatabaseUrl: databaseUrl(databases.directory),
    processes,
    alive: () => child.exitCode === null,
    output: () => output,
    stop() {
      stopped ??= (async () => {
        let code = child.exitCode;
        if (code === null) {
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          code = await exited;
          clearTimeout(timer);
        }
        // Services stop by themselves when their launcher dies (RT_PARENT_PID); make sure.
        for (const [pid, label] of seen) {
          if (label === 'launcher' || labelOf(pid) !== label) continue; // gone (or the pid reused)
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        for (const db of Object.values(databases)) await dropDatabase(databaseUrl(db)).catch(() => undefined);
        if (!process.env.BENCH_KEEP_STATE) rmSync(stateDir, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
}
