/**
 * What the benchmarks that run production builds share: free ports, service processes
 * (`node services/<name>/dist/server.js`, optionally CPU-profiled), readiness, the CPU time and
 * RSS of those processes from /proc, and an installed Connect tenant in a directory database
 * with the router environment that serves it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecretBox } from '@rt/auth';
import { createPgPool } from '@rt/db';
import { SERVICE_NODE_FLAGS } from '@rt/devstack';

/** The repository root (services are started from here). */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const freePort = () =>
  new Promise<number>((ok, fail) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });

/** Polls `url` until it answers 2xx (30 s at most, unless `timeoutMs` says otherwise). */
export async function waitFor(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<void> {
  for (let i = 0; i < timeoutMs / 100; i++) {
    try {
      if ((await fetch(url, { headers })).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Throws unless every `services/<name>` has its production build, naming the build command. */
export function requireBuilds(services: string[]): void {
  const missing = services.filter((s) => !existsSync(join(root, 'services', s, 'dist/server.js')));
  if (missing.length > 0) {
    const filters = missing.map((s) => `--filter=@rt/${s}`).join(' ');
    throw new Error(`no production build of ${missing.join(', ')}: run npx turbo run build ${filters}`);
  }
}

/**
 * The processes a benchmark starts: `node <script>` from the repository root (a service's build
 * with SERVICE_NODE_FLAGS, as its image starts it, but on glibc's malloc) with only the given
 * environment (plus PATH, NODE_ENV=production, LOG_LEVEL as in production — `info`, the default
 * the deployed services run with; BENCH_LOG_LEVEL changes it — and NODE_OPTIONS from
 * BENCH_NODE_OPTIONS); stdout is drained as a container runtime drains it (each service writes a
 * line per request there at `info`), stderr is kept for the report of an unexpected exit. `profileDir` makes
 * every `services/…` script write a CPU profile there. `BENCH_NODE_OPTIONS=--perf-basic-prof`
 * names JavaScript functions for `perf record -e cpu-clock -g -a` around a benchmark, which
 * samples without slowing the process down as V8's CPU profiler does.
 */
export class Processes {
  private readonly children: ChildProcess[] = [];
  constructor(private readonly profileDir?: string) {}

  /**
   * Starts `node <flags> script` with `env` on top of the benchmarks' own. `under` runs it under
   * another program (`['valgrind', '--tool=callgrind', …]`), which then gets the same environment.
   */
  start(
    script: string,
    env: Record<string, string>,
    under: readonly string[] = [],
  ): ChildProcess & { pid: number } {
    const profile =
      this.profileDir && script.startsWith('services/')
        ? ['--cpu-prof', `--cpu-prof-dir=${this.profileDir}`]
        : [];
    // A service's build (this checkout's or another's) starts with its image's V8 heap settings
    // (services/Dockerfile); on glibc's malloc, as these benchmarks always ran.
    const flags = script.endsWith('/dist/server.js') ? SERVICE_NODE_FLAGS : [];
    const [command, ...args] = under.length ? [...under, process.execPath] : [process.execPath];
    const child = spawn(command as string, [...args, ...profile, ...flags, script], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.resume();
    let err = '';
    child.stderr?.on('data', (d) => {
      err = (err + d).slice(-4000);
    });
    child.on('exit', (code) => {
      if (code && code !== 143) process.stderr.write(`${script} exited ${code}: ${err}\n`);
    });
    if (child.pid === undefined) throw new Error(`${script} did not start`);
    this.children.push(child);
    return child as ChildProcess & { pid: number };
  }

  /** SIGTERM to every process still running, and waits for each to exit (profiles are written then). */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await exited;
      }),
    );
  }
}

/** CPU time (user + system) of processes so far, in ms, from /proc (USER_HZ = 100). */
export async function cpuMs(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

/** VmRSS (current) or VmHWM (peak since start or the last reset) of a process, in bytes. */
export async function rssBytes(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
}

/** A Connect tenant installed in a directory database, and what the router needs to serve it. */
export interface InstalledTenant {
  tenantId: string;
  clientKey: string;
  sharedSecret: string;
  /** The router's ENCRYPTION_KEY the shared secret is sealed with. */
  encryptionKey: string;
}

/** Inserts one installed Connect tenant homed in EU (its Confluence at `baseUrl`). */
export async function installTenant(
  directoryUrl: string,
  baseUrl = 'https://bench.atlassian.net/wiki',
): Promise<InstalledTenant> {
  const encryptionKey = randomBytes(32).toString('base64');
  const clientKey = `bench-${randomUUID()}`;
  const sharedSecret = randomBytes(24).toString('hex');
  const pool = createPgPool({ url: directoryUrl, poolSize: 1 });
  try {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO tenants (client_key, base_url, home_region, shared_secret_enc)
       VALUES ($1, $2, 'EU', $3) RETURNING id`,
      [clientKey, baseUrl, new SecretBox(encryptionKey).seal(sharedSecret, clientKey)],
    );
    return { tenantId: rows[0]?.id as string, clientKey, sharedSecret, encryptionKey };
  } finally {
    await pool.end();
  }
}

/**
 * The environment of `services/router/dist/server.js` on `port` in front of the given services
 * (a service not named is pointed at the first one named), on top of the services' common one.
 */
export function routerEnv(options: {
  common: Record<string, string>;
  port: number;
  tenant: InstalledTenant;
  services: Partial<Record<'layout' | 'theme' | 'asset' | 'migration', string>>;
  accessLogDir: string;
}): Record<string, string> {
  const fallback = Object.values(options.services)[0] as string;
  const url = (s: keyof typeof options.services) => options.services[s] ?? fallback;
  return {
    ...options.common,
    PORT: String(options.port),
    APP_BASE_URL: `http://127.0.0.1:${options.port}`,
    ENCRYPTION_KEY: options.tenant.encryptionKey,
    LAYOUT_URL: url('layout'),
    THEME_URL: url('theme'),
    ASSET_URL: url('asset'),
    MIGRATION_URL: url('migration'),
    RATE_LIMIT_PER_MINUTE: '1000000000',
    // Where the deployed routers write it (the CDK stacks set it): stdout, drained here.
    ACCESS_LOG_SINK: 'stdout',
    ACCESS_LOG_DIR: options.accessLogDir,
  };
}
