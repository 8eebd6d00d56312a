/**
 * Router benchmark: autocannon against, in one sitting,
 *   (a) the upstream directly, (b) a bare Fastify + reply-from proxy — the reference (Node's
 *   floor for this job), (b') Fastify with the router's own upstream client and nothing else
 *   (what the router's hardening costs on the same client), (c) the router (edge checks,
 *   Connect JWT verify, tenant lookup, rate limit, access log, security headers, internal token,
 *   proxy) with 10 and 100 000 tenants in the directory, and (d) nginx proxy_pass when Debian's
 *   nginx is installed.
 * Each target is measured at 50 connections (throughput) and 10 connections (latency), every
 * timed run three times; the table shows the median of the three. "× bare" compares with the
 * bare proxy at the same connection count; "added p99" is the p99 over the upstream's own at the
 * same connection count. The router's warm runs are paired: the bare proxy keeps running, and
 * each router run is preceded or followed by a run of it (alternating), so the router's "× bare"
 * is the median of per-pair ratios — this machine's speed drifts by tens of percent over
 * minutes, which a reference measured once at the start would attribute to the router. Plus the cost of one directory lookup: Prisma vs the raw pg pool.
 *
 * Run: npm run bench:router   (builds the router first, then runs `node dist/server.js` as the
 * image does; needs local Postgres + Redis; nginx optional)
 * Loopback only; each run is bounded by BENCH_SECONDS (default 10); BENCH_RUNS (default 3); each
 * target first gets an untimed warm-up of BENCH_WARMUP_SECONDS (default 3). The router logs at
 * production's level, `info` (a line per request; BENCH_LOG_LEVEL changes it), to a pipe this
 * process drains, as a container runtime does.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecretBox } from '@rt/auth';
import { createDirectoryClient, createPgPool, dropDatabase, ensureDatabase, migrateDatabase } from '@rt/db';
import { SERVICE_NODE_FLAGS } from '@rt/devstack';
import { mintConnectToken } from '@rt/testing';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTION_COUNTS = (process.env.BENCH_CONNECTIONS ?? '50,10').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Untimed run before each target's timed runs, so every target is measured with its JIT warm. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const TENANT_COUNTS = (process.env.BENCH_TENANTS ?? '10,100000').split(',').map(Number);
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const PATH = '/api/v1/layouts/7f1e4c2a-0000-4000-8000-000000000001';

const dbUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = '/rt_bench_router';
  return u.toString();
})();

const freePort = () =>
  new Promise<number>((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });

const children: ChildProcess[] = [];
function start(cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Drained as a container runtime drains a service's stdout (its log lines).
  child.stdout?.resume();
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  child.on('exit', (code) => {
    if (code && code !== 143 && code !== 0)
      process.stderr.write(`${cmd} exited ${code}: ${err.slice(-2000)}\n`);
  });
  children.push(child);
  return child;
}
const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null) return;
  const done = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  await done;
};

async function waitFor(url: string, headers: Record<string, string> = {}): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return;
    } catch {}
    if (Date.now() > until) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** CPU time (user + system, ms) of processes and their direct children, from /proc. */
function cpuMs(pids: number[]): number {
  const all = new Set(pids);
  for (const pid of pids) {
    try {
      const kids = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
      for (const k of kids.split('\n').filter(Boolean)) all.add(Number(k));
    } catch {}
  }
  let ticks = 0;
  for (const pid of all) {
    try {
      const stat = execFileSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' });
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks * 10; // USER_HZ = 100
}

interface Row {
  target: string;
  tenants: string;
  connections: number;
  /** CPU of the proxy (router or nginx) per request, µs. */
  cpuUs?: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /**
   * Router rows: the median over the runs of req/s divided by that of the reference run just
   * before or after (the same minute of a machine whose speed drifts), and the median of p99
   * minus the reference's p99.
   */
  paired?: { ratio: number; addedP99: number; ratios: number[] };
}

async function cannon(
  target: string,
  tenants: string,
  url: string,
  tokens?: string[],
  amount?: number,
  proxyPids: number[] = [],
  connections = 50,
  seconds = SECONDS,
): Promise<Row> {
  let i = 0;
  const cpuBefore = cpuMs(proxyPids);
  const result = await autocannon({
    url: `${url}${PATH}`,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    requests: tokens
      ? [
          {
            setupRequest: (req: autocannon.Request) => {
              req.headers = { ...req.headers, authorization: `JWT ${tokens[i++ % tokens.length]}` };
              return req;
            },
          },
        ]
      : undefined,
  });
  const cpu = cpuMs(proxyPids) - cpuBefore;
  return {
    target,
    tenants,
    connections,
    cpuUs: proxyPids.length ? Math.round((cpu * 1000) / result.requests.total) : undefined,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** One row of the runs of one target at one connection count: medians, errors summed. */
function medianRow(runs: Row[]): Row {
  const of = (pick: (r: Row) => number | undefined) => median(runs.map((r) => pick(r) ?? 0));
  const first = runs[0]!;
  return {
    target: first.target,
    tenants: first.tenants,
    connections: first.connections,
    cpuUs: first.cpuUs === undefined ? undefined : of((r) => r.cpuUs),
    rps: of((r) => r.rps),
    p50: of((r) => r.p50),
    p99: of((r) => r.p99),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** {@link RUNS} timed runs of one target at each connection count; one row each, medians. */
async function measured(
  target: string,
  tenants: string,
  url: string,
  tokens?: string[],
  proxyPids: number[] = [],
): Promise<Row[]> {
  const rows: Row[] = [];
  if (WARMUP_SECONDS > 0) await cannon(target, tenants, url, tokens, undefined, [], 50, WARMUP_SECONDS);
  for (const connections of CONNECTION_COUNTS) {
    const runs: Row[] = [];
    for (let n = 0; n < RUNS; n++)
      runs.push(await cannon(target, tenants, url, tokens, undefined, proxyPids, connections));
    rows.push(medianRow(runs));
  }
  return rows;
}

/** A running control: where it listens, its process. */
interface Control {
  url: string;
  pid: number;
}

/**
 * {@link RUNS} rounds of one target and the reference at each connection count, the two back to
 * back (alternating which goes first): the machine's speed drifts over minutes, so each of the
 * target's runs is compared with a reference run of the same minute. Rows: the target's and the
 * reference's medians, the target's with its paired ratio.
 */
async function pairedMeasured(
  target: string,
  tenants: string,
  url: string,
  tokens: string[],
  proxyPids: number[],
  reference: Control,
): Promise<Row[]> {
  const rows: Row[] = [];
  if (WARMUP_SECONDS > 0) await cannon(target, tenants, url, tokens, undefined, [], 50, WARMUP_SECONDS);
  const refLabel = `bare fastify + reply-from (paired with the router, ${tenants} tenants)`;
  for (const connections of CONNECTION_COUNTS) {
    const own: Row[] = [];
    const ref: Row[] = [];
    for (let n = 0; n < RUNS; n++) {
      const mine = () => cannon(target, tenants, url, tokens, undefined, proxyPids, connections);
      const theirs = () =>
        cannon(refLabel, '-', reference.url, undefined, undefined, [reference.pid], connections);
      if (n % 2) {
        own.push(await mine());
        ref.push(await theirs());
      } else {
        ref.push(await theirs());
        own.push(await mine());
      }
    }
    const row = medianRow(own);
    const ratios = own.map((r, i) => r.rps / ref[i]!.rps);
    row.paired = {
      ratio: median(ratios),
      addedP99: median(own.map((r, i) => r.p99 - ref[i]!.p99)),
      ratios,
    };
    rows.push(medianRow(ref), row);
  }
  return rows;
}

const hasNginx = (() => {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Seeds `count` Connect tenants, each with its own sealed secret; returns their (clientKey, secret). */
async function seed(count: number, box: SecretBox): Promise<Array<[string, string]>> {
  const pool = createPgPool({ url: dbUrl, poolSize: 2 });
  await pool.query('TRUNCATE tenants CASCADE');
  const tenants: Array<[string, string]> = [];
  for (let start = 0; start < count; start += 5000) {
    const keys: string[] = [];
    const secrets: Uint8Array[] = [];
    for (let n = start; n < Math.min(count, start + 5000); n++) {
      const clientKey = `bench-${n.toString().padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
      const secret = randomBytes(24).toString('hex');
      tenants.push([clientKey, secret]);
      keys.push(clientKey);
      secrets.push(box.seal(secret, clientKey));
    }
    await pool.query(
      `INSERT INTO tenants (client_key, base_url, home_region, shared_secret_enc)
       SELECT k, 'https://' || k || '.atlassian.net/wiki', 'EU', s FROM unnest($1::text[], $2::bytea[]) AS t(k, s)`,
      [keys, secrets],
    );
  }
  await pool.query('ANALYZE tenants');
  await pool.end();
  return tenants;
}

/** Mean cost of one tenant lookup by clientKey: Prisma vs raw pg (sequential, warm pools). */
async function lookupCost(clientKeys: string[]): Promise<{ prismaUs: number; pgUs: number }> {
  const prisma = createDirectoryClient({ url: dbUrl, poolSize: 2 });
  const pool = createPgPool({ url: dbUrl, poolSize: 2 });
  const N = 3000;
  const time = async (fn: (k: string) => Promise<unknown>) => {
    for (let n = 0; n < 200; n++) await fn(clientKeys[n % clientKeys.length]!);
    const t0 = process.hrtime.bigint();
    for (let n = 0; n < N; n++) await fn(clientKeys[(n * 7919) % clientKeys.length]!);
    return Number(process.hrtime.bigint() - t0) / 1000 / N;
  };
  const prismaUs = await time((k) => prisma.tenant.findUnique({ where: { clientKey: k } }));
  const pgUs = await time((k) =>
    pool.query({
      name: 'bench_tenant',
      text: 'SELECT id, client_key, home_region, state::text, frozen_by_migration, revision, shared_secret_enc FROM tenants WHERE client_key = $1',
      values: [k],
    }),
  );
  await prisma.$disconnect();
  await pool.end();
  return { prismaUs: Math.round(prismaUs), pgUs: Math.round(pgUs) };
}

async function main() {
  const tmp = await mkdtemp(join(tmpdir(), 'rt-bench-router-'));
  await chmod(tmp, 0o777);
  await ensureDatabase(dbUrl);
  await migrateDatabase(dbUrl, 'directory');
  const encryptionKey = randomBytes(32).toString('base64');
  const box = new SecretBox(encryptionKey);
  const rows: Row[] = [];

  const upstreamPort = await freePort();
  start('node', [join(here, 'upstream.mjs')], { PORT: String(upstreamPort) });
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  await waitFor(`${upstream}/readyz`);

  rows.push(...(await measured('upstream direct', '-', upstream)));

  if (hasNginx) {
    const nginxPort = await freePort();
    const conf = (await readFile(join(here, 'nginx.conf.template'), 'utf8'))
      .replaceAll('{{DIR}}', tmp)
      .replaceAll('{{PORT}}', String(nginxPort))
      .replaceAll('{{UPSTREAM}}', String(upstreamPort));
    await writeFile(join(tmp, 'nginx.conf'), conf);
    const nginx = start('nginx', ['-c', join(tmp, 'nginx.conf'), '-p', tmp]);
    await waitFor(`http://127.0.0.1:${nginxPort}/`);
    rows.push(
      ...(await measured('nginx proxy_pass', '-', `http://127.0.0.1:${nginxPort}`, undefined, [nginx.pid!])),
    );
    await stop(nginx);
  }

  // The controls: the reference (reply-from), then the router's own upstream client alone. The
  // reference keeps running: each of the router's runs is paired with one of its own.
  const controls: Array<[label: string, file: string]> = [
    ['bare fastify + reply-from (reference)', 'bare-proxy.mjs'],
    ["fastify + the router's upstream client (no hardening)", 'client-proxy.mjs'],
  ];
  let reference: Control | undefined;
  for (const [label, file] of controls) {
    const port = await freePort();
    const control = start('node', [join(here, file)], { PORT: String(port), UPSTREAM: upstream });
    const controlUrl = `http://127.0.0.1:${port}`;
    await waitFor(`${controlUrl}/`);
    rows.push(...(await measured(label, '-', controlUrl, undefined, [control.pid!])));
    if (reference) await stop(control);
    else reference = { url: controlUrl, pid: control.pid! };
  }

  let lookups: { prismaUs: number; pgUs: number } | undefined;
  for (const count of TENANT_COUNTS) {
    const tenants = await seed(count, box);
    if (count === Math.max(...TENANT_COUNTS)) lookups = await lookupCost(tenants.map(([k]) => k));
    const tokens = tenants.map(([clientKey, sharedSecret]) =>
      mintConnectToken({ clientKey, sharedSecret, context: true, expiresInSeconds: 3600 }),
    );
    const routerPort = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      // Production's level (the deployed services run with the default): one line per request.
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      REGION: 'EU',
      REGIONS: 'EU,US',
      PORT: String(routerPort),
      INTERNAL_TOKEN_SECRET: randomBytes(24).toString('hex'),
      DIRECTORY_DATABASE_URL: dbUrl,
      DB_POOL_SIZE: '10',
      APP_BASE_URL: `http://127.0.0.1:${routerPort}`,
      ENCRYPTION_KEY: encryptionKey,
      LAYOUT_URL: upstream,
      THEME_URL: upstream,
      ASSET_URL: upstream,
      MIGRATION_URL: upstream,
      RATE_LIMIT_PER_MINUTE: '1000000000',
      // The cold pass over 100 000 tenants takes longer than the default 60 s TTL; 300 s keeps
      // "warm" meaning every record cached. In steady state a record read at least every 45 s
      // is revalidated by revision in batches and never reloaded (see TenantDirectory).
      TENANT_CACHE_TTL_SECONDS: '300',
      // Where the deployed routers write it (the CDK stacks set it): stdout, drained here.
      ACCESS_LOG_SINK: 'stdout',
      ACCESS_LOG_DIR: join(tmp, 'access-log'),
    };
    for (const r of ['EU', 'US']) {
      env[`REGION_${r}_DATABASE_URL`] = dbUrl;
      env[`REGION_${r}_REDIS_URL`] = REDIS_URL;
      env[`REGION_${r}_S3_BUCKET`] = `rt-bench-${r.toLowerCase()}`;
      env[`REGION_${r}_BASE_URL`] = `http://127.0.0.1:${routerPort}`;
    }
    const profile = process.env.BENCH_CPU_PROF
      ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [];
    const router = start(
      'node',
      // The production build, started as the image starts it (services/Dockerfile), V8's heap
      // settings included (on glibc's malloc, as this benchmark always ran).
      [...profile, ...SERVICE_NODE_FLAGS, 'services/router/dist/server.js'],
      env,
    );
    const url = `http://127.0.0.1:${routerPort}`;
    await waitFor(`${url}${PATH}`, { authorization: `JWT ${tokens[0]}` });
    // First pass: every tenant once, each a cache miss → directory query (cold cache).
    rows.push(
      await cannon(
        'router, first pass (cold cache, JIT warm-up)',
        count.toLocaleString('en'),
        url,
        tokens,
        Math.max(count, 1000),
        [router.pid!],
      ),
    );
    // Steady state: tokens cycle over all tenants, all cached.
    rows.push(
      ...(await pairedMeasured(
        'router, warm',
        count.toLocaleString('en'),
        url,
        tokens,
        [router.pid!],
        reference!,
      )),
    );
    await stop(router);
  }

  for (const c of children) await stop(c);
  await dropDatabase(dbUrl);
  await rm(tmp, { recursive: true, force: true });

  const referenceRow = (r: Row) =>
    rows.find((x) => x.target.startsWith('bare') && x.connections === r.connections);
  const direct = (r: Row) =>
    rows.find((x) => x.target.startsWith('upstream') && x.connections === r.connections);
  console.log(
    `\nrouter benchmark: ${SECONDS} s per timed run, median of ${RUNS} runs, node ${process.version}\n`,
  );
  console.log(
    `load average at the end: ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}\n`,
  );
  console.log(
    '| target | tenants | conns | req/s | × bare req/s | p50 ms | p99 ms | added p99 vs direct | added p99 vs bare | proxy CPU µs/req | non-2xx | errors |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const ref = referenceRow(r);
    const up = direct(r);
    const isUp = r.target.startsWith('upstream');
    const ratio = r.paired
      ? `**${r.paired.ratio.toFixed(2)}** (paired)`
      : ref
        ? (r.rps / ref.rps).toFixed(2)
        : '-';
    const addedP99 = r.paired ? `${r.paired.addedP99} (paired)` : ref && !isUp ? r.p99 - ref.p99 : '-';
    console.log(
      `| ${r.target} | ${r.tenants} | ${r.connections} | ${r.rps} | ${ratio} | ${r.p50} | ${r.p99} | ${up && !isUp ? r.p99 - up.p99 : '-'} | ${addedP99} | ${r.cpuUs ?? '-'} | ${r.non2xx} | ${r.errors} |`,
    );
  }
  // The goal's terms: the router's paired ratio at each tenant count, and how far apart they are.
  for (const connections of CONNECTION_COUNTS) {
    const warm = rows.filter((r) => r.paired && r.connections === connections);
    if (!warm.length) continue;
    const ratios = warm.map((r) => r.paired!.ratio);
    console.log(
      `\n${connections} connections: router × bare (paired) ${warm.map((r) => `${r.paired!.ratio.toFixed(2)} at ${r.tenants} tenants (pairs ${r.paired!.ratios.map((x) => x.toFixed(2)).join(', ')})`).join(', ')}; lowest / highest ${(Math.min(...ratios) / Math.max(...ratios)).toFixed(2)}`,
    );
  }
  if (lookups) {
    console.log(
      `\ndirectory lookup by clientKey (${Math.max(...TENANT_COUNTS).toLocaleString('en')} tenants, sequential): Prisma ${lookups.prismaUs} µs, raw pg ${lookups.pgUs} µs (×${(lookups.prismaUs / lookups.pgUs).toFixed(1)})`,
    );
  }
}

main().catch(async (err) => {
  console.error(err);
  for (const c of children) await stop(c).catch(() => undefined);
  process.exit(1);
});
