import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase } from '@rt/db';

/** Root of the repository (the stack's working directory). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Options of {@link spawnStack}. */
export interface SpawnStackOptions {
  /** Short name used in database names and the state directory. */
  label: string;
  /** `--demo`: demo tenant + its fake Confluence. */
  demo?: boolean;
  /** Redis database indexes (EU, US) this stack owns, so its queues never meet another stack's. */
  redisDbs?: [number, number];
  /** Extra environment (e.g. CONNECT_INSTALL_KEYS_URL). */
  env?: Record<string, string>;
}

/** A `npm start` process on its own ports, databases, Redis databases and state directory. */
export interface SpawnedStack {
  process: ChildProcess;
  ports: { eu: number; us: number; s3: number; demoConfluence: number; forgeSigner: number };
  euUrl: string;
  usUrl: string;
  stateDir: string;
  env: Record<string, string>;
  databases: { directory: string; eu: string; us: string };
  /** Everything the CLI printed so far. */
  output(): string;
  /** Waits for "Press Ctrl-C to stop." (bounded); throws with the output if the stack dies. */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves with the CLI's exit code. */
  exited: Promise<number | null>;
  /** The stack's generated secrets (`secrets.json` of the state directory). */
  secrets(): { internalTokenSecret: string; encryptionKey: string; operatorTokenSecret: string };
  /** The demo tenant (after {@link ready} with `demo`). */
  demoTenant(): { clientKey: string; sharedSecret: string };
  /** Postgres URL of one of the stack's databases. */
  databaseUrl(name: string): string;
  /** SIGINT, wait for exit (SIGKILL after a grace period), drop databases, remove the state dir. */
  stop(): Promise<number | null>;
}

/** All descendants of a process (children first-level, then theirs). */
export function descendants(pid: number): number[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    const children = out
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter(Boolean);
    return children.flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
}

/** Whether a process is still alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns `packages/devstack/src/cli.ts` (what `npm start` runs) on random ports with its own
 * databases and state directory, so a developer's running stack is not disturbed.
 */
export function spawnStack(options: SpawnStackOptions): SpawnedStack {
  const suffix = randomBytes(3).toString('hex');
  const stateDir = mkdtempSync(join(tmpdir(), `rt-stack-${options.label}-`));
  const eu = 18080 + Math.floor(Math.random() * 900);
  const ports = { eu, us: eu + 10, s3: eu + 950, demoConfluence: eu + 960, forgeSigner: eu + 970 };
  const databases = {
    directory: `rt_t_${options.label}_dir_${suffix}`,
    eu: `rt_t_${options.label}_eu_${suffix}`,
    us: `rt_t_${options.label}_us_${suffix}`,
  };
  const [euDb, usDb] = options.redisDbs ?? [1, 2];
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    EU_ROUTER_PORT: String(ports.eu),
    US_ROUTER_PORT: String(ports.us),
    S3_PORT: String(ports.s3),
    DEMO_CONFLUENCE_PORT: String(ports.demoConfluence),
    FORGE_SIGNER_PORT: String(ports.forgeSigner),
    STACK_STATE_DIR: stateDir,
    DIRECTORY_DATABASE: databases.directory,
    EU_DATABASE: databases.eu,
    US_DATABASE: databases.us,
    EU_REDIS_DB: String(euDb),
    US_REDIS_DB: String(usDb),
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const child = spawn(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      'packages/devstack/src/cli.ts',
      ...(options.demo ? ['--demo'] : []),
    ],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const databaseUrl = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  let stopped: Promise<number | null> | undefined;
  // Every service process seen, so none outlives the test even if the CLI dies before it could
  // stop them (they are re-parented to init then and no longer show up as descendants).
  const seen = new Set<number>();
  const remember = () => {
    if (child.pid && child.exitCode === null) for (const pid of descendants(child.pid)) seen.add(pid);
  };
  // The last lines of every service log: why a stack did not come up.
  const logTails = () => {
    const dir = join(stateDir, 'logs');
    try {
      return readdirSync(dir)
        .map((f) => `\n--- ${f}\n${readFileSync(join(dir, f), 'utf8').split('\n').slice(-15).join('\n')}`)
        .join('');
    } catch {
      return '';
    }
  };

  return {
    process: child,
    ports,
    euUrl: `http://127.0.0.1:${ports.eu}`,
    usUrl: `http://127.0.0.1:${ports.us}`,
    stateDir,
    env,
    databases,
    output: () => output,
    exited,
    databaseUrl,
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes('Press Ctrl-C to stop.')) {
        remember();
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(
            `stack did not come up (${child.signalCode ?? child.exitCode}):\n${output}${logTails()}`,
          );
        await sleep(250);
      }
    },
    secrets: () => JSON.parse(readFileSync(join(stateDir, 'secrets.json'), 'utf8')),
    demoTenant: () => JSON.parse(readFileSync(join(stateDir, 'demo-tenant.json'), 'utf8')),
    stop() {
      stopped ??= (async () => {
        let code: number | null = child.exitCode;
        remember();
        if (code === null && child.pid && alive(child.pid)) {
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          code = await exited;
          clearTimeout(timer);
        }
        for (const pid of [...seen].filter(alive)) process.kill(pid, 'SIGKILL');
        for (const db of Object.values(databases)) {
          await dropDatabase(databaseUrl(db)).catch(() => undefined);
        }
        rmSync(stateDir, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
}

/** Polls a URL's `/readyz` until it answers 200 (bounded); returns the last answer. */
export async function waitReady(url: string, timeoutMs = 30_000): Promise<string> {
  let last = '';
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    last = res ? `${res.status} ${await res.text()}` : 'no answer';
    if (res?.status === 200) return last;
    await sleep(500);
  }
  return last;
}
