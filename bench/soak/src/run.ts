/**
 * Soak: mixed traffic against the real two-region local stack — the processes `npm start`
 * runs (per region router, layout, theme, asset, residency-migration, worker; the launcher with
 * the embedded s3rver and FIT signer), real Postgres and Redis; only Atlassian is faked (install
 * keys, Confluence), as in the tests.
 *
 *   npm run bench:soak                 5 minutes, 48 connections
 *   npm run bench:soak -- --short      45 s, a quick check
 *   npm run bench:soak -- --source     the services from source (tsx) instead of their builds
 *   npm run bench:soak -- --reference  also the reference stack, in the same sitting (below)
 *
 * Traffic: connections split over the EU and US routers, no think time, each request to a
 * random tenant (installed through the `installed` hook; homes in both regions, so half the
 * requests cross regions): ~85% reads (a layout by id — 80% one of the site's three layouts in
 * use, 20% any acknowledged one —, the layouts of a scope, a space's resolved theme; 40% of them
 * with If-None-Match), ~9.5% layout creates, 5% updates with
 * If-Match, 0.5% image uploads. At 40% of the run another tenant, under the same traffic, is
 * migrated EU → US through Atlassian's hooks (schedule → start → status → commit); its writes
 * may be answered 503 TENANT_MIGRATING, nothing else is expected. Afterwards every acknowledged
 * create and update is read back and must show its acknowledged version and name.
 *
 * Reports throughput (total, by kind), errors, p50/p99, the RSS of every process of the stack
 * over time (growth > 10% between 30 s and the end is flagged), the migration's timeline, and
 * no-lost-write. Knobs: BENCH_SECONDS (300; --short 45), BENCH_CONNECTIONS (48), BENCH_TENANTS
 * (250; the router limits each tenant to RATE_LIMIT_PER_MINUTE = 1200 per region, so the
 * tenants must be enough for the rate: 250 stay under it up to about 4 000 req/s), BENCH_EU_PORT (28080), BENCH_HEAPSNAPSHOT=eu-layout,…
 * (those processes write a heap snapshot at 30 s and at the end into BENCH_DIAGNOSTIC_DIR,
 * default .soak-heap/; compare two with src/heap-diff.ts), BENCH_NODE_OPTIONS (more Node options for
 * every process of the stack, e.g. --perf-basic-prof for `perf record`).
 * Reference: the stack of revision b336cf9, whose `npm start` served 263–347 req/s of such traffic
 * (32 connections, 60 s) on the sitting the throughput goal was set in. With --reference the soak
 * measures it in this sitting: the same soak against that revision's own stack (prepared once
 * outside the repository: git archive, npm ci), then against this one, BENCH_RUNS pairs (1; the
 * order alternates), and judges the goal on the median ratio (src/reference.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createPgPool } from '@rt/db';
import { exampleThemeTokens } from '@rt/documents';
import { uniquePng } from '@rt/testing';
import { Pool } from 'undici';
import { FakeAtlassian, SOAK_SPACE, type SoakTenant } from './atlassian.js';
import { probeAt, probeSamples } from './memory.js';
import { REFERENCE_REVISION, runWithReference, type SoakResult } from './reference.js';
import { cpuSeconds, machineCpu, RssSampler, rssMiB } from './rss.js';
import { type SoakStack, startSoakStack } from './stack.js';
import { KINDS, Ledger, layoutBody, Recorder, runConnection, type TrafficContext } from './traffic.js';

const root = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    source: { type: 'boolean', default: false },
    reference: { type: 'boolean', default: false },
  },
});
if (args.reference)
  process.exit(
    await runWithReference({
      root,
      script: fileURLToPath(import.meta.url),
      source: args.source,
      short: args.short,
    }),
  );
/** The tree whose stack is soaked: this one, or the reference's (`--reference` sets it for its child). */
const STACK_ROOT = process.env.BENCH_STACK_ROOT ?? root;
const SECONDS = Number(process.env.BENCH_SECONDS ?? (args.short ? 45 : 300));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 48);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 250);
const BASELINE_SECONDS = Math.min(30, Math.round(SECONDS / 3));
const MIGRATION_AT = Math.round(SECONDS * 0.4);
/** Processes (labels, e.g. `eu-layout`) that write heap snapshots at the baseline and the end. */
const HEAPSNAPSHOT = (process.env.BENCH_HEAPSNAPSHOT ?? '').split(',').filter(Boolean);
const DIAGNOSTIC_DIR = resolve(process.env.BENCH_DIAGNOSTIC_DIR ?? join(root, '.soak-heap'));
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The reference's figures from the sitting the goal was set in; `--reference` measures it in this one. */
const REFERENCE = { low: 263, high: 347 };

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** Runs `task` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/** A call of the public API during set-up and verification (not measured). */
async function api(base: string, tenant: SoakTenant, method: string, path: string, body?: string | Buffer) {
  const headers: Record<string, string> = { authorization: tenant.authorization };
  if (body !== undefined) headers['content-type'] = Buffer.isBuffer(body) ? 'image/png' : 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: Buffer.isBuffer(body) ? new Uint8Array(body) : body } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function expectStatus(p: ReturnType<typeof api>, status: number, what: string) {
  const res = await p;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A tenant's documents before the soak: a default theme, a theme assigned to the soak's space
 * (the other space resolves to the default), two site layouts and one of the space.
 */
async function seedTenant(base: string, tenant: SoakTenant, index: number, ledger: Ledger, assets = 0) {
  const images: string[] = [];
  for (let i = 0; i < assets; i++) {
    const asset = await expectStatus(
      api(base, tenant, 'POST', '/api/v1/assets', uniquePng(1_000_000 + index * 100 + i)),
      201,
      'seed asset',
    );
    images.push(asset.id as string);
    ledger.assets.push({ id: asset.id as string, tenant: index });
  }
  const theme = (name: string) =>
    JSON.stringify({
      name,
      tokens: exampleThemeTokens(),
      ...(images[0] ? { images: { logo: { $asset: images[0] } } } : {}),
    });
  const site = await expectStatus(api(base, tenant, 'POST', '/api/v1/themes', theme('Site')), 201, 'theme');
  await expectStatus(api(base, tenant, 'PUT', `/api/v1/themes/${site.id}/default`), 200, 'default theme');
  const space = await expectStatus(api(base, tenant, 'POST', '/api/v1/themes', theme('Docs')), 201, 'theme');
  await expectStatus(
    api(base, tenant, 'PUT', `/api/v1/spaces/${SOAK_SPACE}/theme`, JSON.stringify({ themeId: space.id })),
    200,
    'space theme',
  );
  for (const [n, scope] of ['site', 'site', `space:${SOAK_SPACE}`].entries()) {
    const name = `seed-${n}`;
    const layout = await expectStatus(
      api(base, tenant, 'POST', '/api/v1/layouts', layoutBody(name, scope)),
      201,
      'layout',
    );
    ledger.ack({
      id: layout.id as string,
      tenant: index,
      scope,
      version: layout.version as number,
      name,
      owner: -1,
    });
  }
}

/** Atlassian's side of a residency migration EU → US: schedule → start → status … → commit. */
async function migrate(atlassian: FakeAtlassian, stack: SoakStack, tenant: SoakTenant, t0: number) {
  const at = () => (performance.now() - t0) / 1000;
  const migrationId = randomUUID();
  const window = {
    startTime: new Date().toISOString(),
    endTime: new Date(Date.now() + 3600_000).toISOString(),
    location: 'US',
    migrationId,
  };
  const timeline: Array<[string, number]> = [];
  const step = async (name: string, body?: Record<string, unknown>, query = '') => {
    const res = await atlassian.hook(stack.euUrl, tenant, name, body, query);
    if (res.status !== 200)
      throw new Error(`/dare-migration/${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await step('schedule', window);
  timeline.push(['schedule', at()]);
  // The pre-copy runs while the site keeps working, as between Atlassian's schedule and start.
  await sleep(5000);
  await step('start', window);
  timeline.push(['start (writes frozen)', at()]);
  let polls = 0;
  for (const until = performance.now() + 120_000; ; ) {
    const status = await step('status', undefined, `?migrationId=${migrationId}`);
    polls++;
    if (status.status === 'ready-to-commit') break;
    if (status.status === 'failed' || performance.now() > until)
      throw new Error(`migration did not become ready: ${JSON.stringify(status)}`);
    await sleep(250);
  }
  timeline.push([`ready-to-commit (${polls} status polls)`, at()]);
  const committed = await step('commit', { migrationId });
  timeline.push([`commit (${committed.state})`, at()]);
  return timeline;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------

const hardStop = setTimeout(
  () => {
    say('soak timed out');
    process.exit(2);
  },
  (SECONDS + 600) * 1000,
);
hardStop.unref();

say(
  `soak: ${SECONDS} s, ${CONNECTIONS} connections, ${TENANTS} tenants + 1 migrating; ${STACK_ROOT === root ? 'this stack' : `the stack in ${STACK_ROOT}`}, services ${args.source ? 'from source (tsx)' : 'from their builds (node dist/…)'}; node ${process.version}, ${cpus().length} CPUs, load ${loadavg()}`,
);
const atlassian = await new FakeAtlassian().start();
const memoryDir = mkdtempSync(join(tmpdir(), 'rt-soak-memory-'));
const nodeOptions = [
  `--import=${pathToFileURL(join(root, 'bench/soak/src/memory-probe.mjs')).href}`,
  ...(HEAPSNAPSHOT.length ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${DIAGNOSTIC_DIR}`] : []),
  // Diagnostics of the caller's choosing for every process of the stack (e.g. --perf-basic-prof).
  ...(process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean),
];
if (HEAPSNAPSHOT.length) mkdirSync(DIAGNOSTIC_DIR, { recursive: true });
let stack: SoakStack | undefined;
const pools: Pool[] = [];
let exitCode = 0;
try {
  stack = await startSoakStack({
    root: STACK_ROOT,
    adminUrl: ADMIN_URL,
    redisUrl: REDIS_URL,
    redisDbs: [8, 9],
    // The services as they run in production (`node dist/…`, built by `npm start -- --built`);
    // --source runs them from TypeScript through tsx, as `npm start` does.
    built: !args.source,
    env: {
      CONNECT_INSTALL_KEYS_URL: atlassian.keys.url,
      // Every process of the stack reports its own memory (heap, external) next to its RSS.
      NODE_OPTIONS: nodeOptions.join(' '),
      RT_SOAK_MEMORY_DIR: memoryDir,
    },
  });
  const s = stack;
  say(`stack up: EU ${s.euUrl}, US ${s.usUrl}; ${s.processes().length} processes`);
  // Which allocator the services run on, as the launcher said (it changes their RSS).
  const allocator = /^services allocate with .*$/m.exec(s.output())?.[0];
  if (allocator) say(allocator);

  // Tenants: homes alternate EU/US; the migrating tenant is homed in EU.
  const ttl = SECONDS + 900;
  const tenants: SoakTenant[] = [];
  const run = randomUUID().slice(0, 6);
  for (let i = 0; i < TENANTS; i++) {
    const home = i % 2 === 0 ? 'EU' : 'US';
    tenants.push(await atlassian.install(`soak-${run}-${i}`, home === 'EU' ? s.euUrl : s.usUrl, home, ttl));
  }
  const migrant = tenants.length;
  tenants.push(await atlassian.install(`soak-${run}-migrating`, s.euUrl, 'EU', ttl));
  const directory = createPgPool({ url: s.directoryDatabaseUrl, poolSize: 1 });
  const homes = await directory.query<{ home_region: string; n: number }>(
    'SELECT home_region, count(*)::int AS n FROM tenants GROUP BY 1 ORDER BY 1',
  );
  say(`tenants installed: ${homes.rows.map((r) => `${r.n} in ${r.home_region}`).join(', ')}`);
  const ledger = new Ledger(tenants.length);
  const homeUrl = (t: SoakTenant) => (t.homeRegion === 'EU' ? s.euUrl : s.usUrl);
  await inParallel(
    tenants.map((t, i) => [t, i] as const),
    8,
    ([t, i]) => seedTenant(homeUrl(t), t, i, ledger, i === migrant ? 20 : 0),
  );
  say(`seeded: ${ledger.layouts.size} layouts, ${tenants.length * 2} themes, ${ledger.assets.length} images`);

  // Every process asked /readyz once, as a readiness probe does before traffic reaches it: the
  // checks open each service's database clients (Prisma's query compiler alone is ~80 MiB at its
  // first query), so a process whose first query would otherwise come mid-soak — the
  // residency-migration service at the migration — is measured in its steady state.
  const ready: string[] = [];
  for (const url of [s.euUrl, s.usUrl]) {
    const port = Number(new URL(url).port);
    for (let offset = 0; offset <= 5; offset++) {
      const res = await fetch(`http://127.0.0.1:${port + offset}/readyz`).catch(() => undefined);
      await res?.arrayBuffer();
      ready.push(String(res?.status ?? 'no answer'));
    }
  }
  say(`readiness of the 12 services: ${ready.join(' ')}`);

  for (const url of [s.euUrl, s.usUrl])
    pools.push(new Pool(url, { connections: Math.ceil(CONNECTIONS / 2), pipelining: 1 }));
  const t0 = performance.now();
  const t0Wall = Date.now();
  const recorder = new Recorder(t0);
  const ctx: TrafficContext = {
    pools,
    tenants,
    migrant,
    // One and a half times a plain tenant's share, so the freeze meets a steady stream of
    // writes while the tenant stays under its rate limit (at 250 tenants: up to ~3 000 req/s).
    migrantShare: 1.5 / tenants.length,
    ledger,
    recorder,
    stopAt: t0 + SECONDS * 1000,
    uploadSeed: { next: 1 },
  };
  const sampler = new RssSampler(() => s.processes(), t0);
  sampler.start(5000);
  const machine0 = machineCpu();
  const driverRss: number[] = [];
  const driverCpu0 = cpuSeconds(process.pid) ?? 0;
  const snapshot = (when: string) => {
    for (const p of s.processes()) {
      if (!HEAPSNAPSHOT.includes(p.label)) continue;
      say(`  heap snapshot of ${p.label} (pid ${p.pid}, ${when}) → ${DIAGNOSTIC_DIR}`);
      process.kill(p.pid, 'SIGUSR2');
    }
  };
  const baselineTimer = setTimeout(() => snapshot(`${BASELINE_SECONDS} s`), BASELINE_SECONDS * 1000);
  const progress = setInterval(() => {
    const done = [...recorder.count.values()].reduce((a, b) => a + b, 0);
    const errors = [...recorder.errors.values()].reduce((a, b) => a + b, 0);
    driverRss.push(rssMiB(process.pid) ?? 0);
    say(
      `  ${fmt((performance.now() - t0) / 1000)} s: ${done} requests (${fmt(done / ((performance.now() - t0) / 1000))} req/s), ${errors} errors, ${recorder.frozen.count} frozen, load ${loadavg()}`,
    );
  }, 15_000);

  const migration = (async () => {
    await sleep(MIGRATION_AT * 1000);
    return migrate(atlassian, s, tenants[migrant]!, t0);
  })();
  const connections = Array.from({ length: CONNECTIONS }, (_, i) => runConnection(i, ctx));
  await Promise.all(connections);
  const elapsed = (performance.now() - t0) / 1000;
  const endWall = Date.now();
  clearInterval(progress);
  clearTimeout(baselineTimer);
  sampler.stop();
  const machine1 = machineCpu();
  const driverCpu1 = cpuSeconds(process.pid) ?? 0;
  snapshot('end');
  const loadAtEnd = loadavg();
  let timeline: Array<[string, number]> = [];
  let migrationError = '';
  try {
    timeline = await migration;
  } catch (err) {
    migrationError = (err as Error).message;
  }

  // ------------------------------------------------------------------ read back every write
  const lost: string[] = [];
  let verified = 0;
  const layouts = [...ledger.layouts.values()];
  await inParallel(layouts, 32, async (doc) => {
    const base = Math.random() < 0.5 ? s.euUrl : s.usUrl;
    const res = await api(base, tenants[doc.tenant]!, 'GET', `/api/v1/layouts/${doc.id}`);
    if (res.status === 200 && res.body.version === doc.version && res.body.name === doc.name) verified++;
    else
      lost.push(
        `layout ${doc.id} (tenant ${doc.tenant}): acknowledged v${doc.version} "${doc.name}", read ${res.status} v${res.body.version} "${res.body.name}"`,
      );
  });
  let assetsVerified = 0;
  await inParallel(ledger.assets, 16, async (asset) => {
    const res = await fetch(`${Math.random() < 0.5 ? s.euUrl : s.usUrl}/api/v1/assets/${asset.id}`, {
      headers: { authorization: tenants[asset.tenant]!.authorization },
    });
    await res.arrayBuffer();
    if (res.status === 200) assetsVerified++;
    else lost.push(`asset ${asset.id} (tenant ${asset.tenant}): read ${res.status}`);
  });
  const migrantHome = await directory.query<{ home_region: string }>(
    'SELECT home_region FROM tenants WHERE client_key = $1',
    [tenants[migrant]!.clientKey],
  );
  await directory.end();

  // ------------------------------------------------------------------ report
  const total = [...recorder.count.values()].reduce((a, b) => a + b, 0);
  const errorsTotal = [...recorder.errors.values()].reduce((a, b) => a + b, 0);
  const all: number[] = [];
  const rows = KINDS.map((kind) => {
    const lat = recorder.latencies.get(kind)!;
    // Not push(...lat): a kind has hundreds of thousands of samples at this rate, more
    // arguments than a call may take.
    for (const ms of lat) all.push(ms);
    const sorted = Float64Array.from(lat).sort();
    const errors = [...recorder.errors]
      .filter(([k]) => k.startsWith(`${kind} `))
      .reduce((a, [, n]) => a + n, 0);
    const n = recorder.count.get(kind)!;
    return [
      kind,
      String(n),
      `${fmt((100 * n) / total, 1)}%`,
      fmt(n / elapsed, 1),
      String(recorder.notModified.get(kind)),
      String(errors),
      fmt(percentile(sorted, 50), 1),
      fmt(percentile(sorted, 99), 1),
    ];
  });
  const sortedAll = Float64Array.from(all).sort();
  rows.push([
    'all',
    String(total),
    '100%',
    fmt(total / elapsed, 1),
    String([...recorder.notModified.values()].reduce((a, b) => a + b, 0)),
    String(errorsTotal),
    fmt(percentile(sortedAll, 50), 1),
    fmt(percentile(sortedAll, 99), 1),
  ]);
  say(
    `\n## Soak: ${fmt(elapsed)} s, ${CONNECTIONS} connections over both routers, ${TENANTS} tenants + 1 migrating`,
  );
  say(
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); load at the end ${loadAtEnd}\n`,
  );
  say(table(['kind', 'requests', 'share', 'req/s', '304', 'errors', 'p50 ms', 'p99 ms'], rows));
  const rate = total / elapsed;
  say(
    `\nthroughput ${fmt(rate)} req/s = ${fmt(rate / REFERENCE.high, 1)}–${fmt(rate / REFERENCE.low, 1)}× the reference's ${REFERENCE.low}–${REFERENCE.high} req/s (${REFERENCE_REVISION}, 32 connections, 60 s, on another sitting; goal ≥ 5×; \`--reference\` measures it in this sitting)`,
  );
  // The last bucket is a partial one (the connections' final requests).
  const perBucket = recorder.buckets
    .slice(0, Math.floor(elapsed / 5))
    .map((n) => fmt((n ?? 0) / 5))
    .join(' ');
  say(`req/s per 5 s: ${perBucket}`);

  say(`\nerrors (any answer not expected): ${errorsTotal}`);
  for (const [key, n] of [...recorder.errors].sort((a, b) => b[1] - a[1])) say(`  ${n} × ${key}`);
  for (const sample of recorder.errorSamples) say(`  e.g. ${sample}`);

  say('\nmigration of the other tenant (EU → US through /dare-migration hooks, under the same traffic):');
  for (const [name, at] of timeline) say(`  ${fmt(at, 1).padStart(6)} s  ${name}`);
  if (migrationError) say(`  FAILED: ${migrationError}`);
  say(`  home region afterwards: ${migrantHome.rows[0]?.home_region}`);
  say(
    `  503 TENANT_MIGRATING to its writes: ${recorder.frozen.count}` +
      (recorder.frozen.count
        ? ` (${fmt(recorder.frozen.first / 1000, 1)}–${fmt(recorder.frozen.last / 1000, 1)} s)`
        : '') +
      '; to any other tenant: counted as errors above',
  );

  const base = sampler.at(BASELINE_SECONDS);
  const end = sampler.samples.at(-1)!;
  const marks = [
    BASELINE_SECONDS,
    ...[60, 120, 180, 240].filter((m) => m > BASELINE_SECONDS && m < elapsed - 15),
  ];
  const columns = marks.map((m) => sampler.at(m));
  let flagged = 0;
  const labels = [...new Set(sampler.samples.flatMap((x) => [...x.rss.keys()]))].sort((a, b) =>
    a === 'launcher' ? -1 : b === 'launcher' ? 1 : a.localeCompare(b),
  );
  const first = sampler.samples[0]!;
  const cpuShare = (label: string) =>
    `${fmt((100 * ((end.cpu.get(label) ?? Number.NaN) - (first.cpu.get(label) ?? Number.NaN))) / (end.at - first.at))}%`;
  const rssRows = labels.map((label) => {
    const b = base.rss.get(label) ?? Number.NaN;
    const e = end.rss.get(label) ?? Number.NaN;
    const peak = Math.max(...sampler.samples.map((x) => x.rss.get(label) ?? 0));
    const growth = (100 * (e - b)) / b;
    const flag = !(Math.abs(growth) <= 10);
    if (flag) flagged++;
    return [
      label,
      ...columns.map((c) => fmt(c.rss.get(label) ?? Number.NaN)),
      fmt(e),
      fmt(peak),
      `${growth >= 0 ? '+' : ''}${fmt(growth, 1)}%${flag ? ' !' : ''}`,
      cpuShare(label),
    ];
  });
  const sum = (x: { rss: Map<string, number> }) => [...x.rss.values()].reduce((a, b) => a + b, 0);
  rssRows.push([
    'all processes',
    ...columns.map((c) => fmt(sum(c))),
    fmt(sum(end)),
    '',
    `${fmt((100 * (sum(end) - sum(base))) / sum(base), 1)}%`,
    `${fmt((100 * ([...end.cpu.values()].reduce((a, b) => a + b, 0) - [...first.cpu.values()].reduce((a, b) => a + b, 0))) / (end.at - first.at))}%`,
  ]);
  say(
    `\nRSS (MiB) of every process of the stack, sampled every 5 s (! = more than ±10% from ${BASELINE_SECONDS} s to the end):`,
  );
  say(
    table(
      [
        'process',
        ...columns.map((c) => `${fmt(c.at)} s`),
        `end ${fmt(end.at)} s`,
        'peak',
        'growth',
        'CPU (of one core)',
      ],
      rssRows,
    ),
  );
  // Where the machine's CPU went during the traffic, per request: each kind of service (both
  // regions), this driver, the shared PostgreSQL and Redis, and the rest (kernel, other processes).
  const span = end.at - first.at;
  const budget = new Map<string, number>();
  const charge = (group: string, seconds: number) => budget.set(group, (budget.get(group) ?? 0) + seconds);
  for (const label of labels)
    charge(
      label.replace(/^(eu|us)-/, ''),
      (end.cpu.get(label) ?? Number.NaN) - (first.cpu.get(label) ?? Number.NaN),
    );
  charge('soak driver', driverCpu1 - driverCpu0);
  charge('postgres', machine1.postgres - machine0.postgres);
  charge('redis', machine1.redis - machine0.redis);
  const busy = machine1.busy - machine0.busy;
  charge('rest of the machine', busy - [...budget.values()].reduce((a, b) => a + b, 0));
  charge('machine, busy', busy);
  const budgetUs = Object.fromEntries(
    [...budget].map(([group, seconds]) => [group, (seconds * 1e6) / total]),
  );
  say(
    `\nCPU by part during the traffic (${fmt(span)} s, ${cpus().length} cores; per request of the ${total}):`,
  );
  say(
    table(
      ['part', 'of one core', 'µs per request'],
      [...budget].map(([group, seconds]) => [
        group,
        `${fmt((100 * seconds) / span)}%`,
        fmt(budgetUs[group]!),
      ]),
    ),
  );
  // Where the memory is, as each process sees itself: live JS objects, the heap V8 reserved
  // (young generation included), memory outside the heap.
  const mib = (bytes: number | undefined) => (bytes === undefined ? '?' : fmt(bytes / 1048576));
  const pair = (a: number | undefined, b: number | undefined) => `${mib(a)} → ${mib(b)}`;
  const memoryRows = s
    .processes()
    .sort((a, b) => labels.indexOf(a.label) - labels.indexOf(b.label))
    .map((p) => {
      const samples = probeSamples(memoryDir, p.pid);
      const a = probeAt(samples, t0Wall + BASELINE_SECONDS * 1000);
      const b = probeAt(samples, endWall);
      const outside = (x: typeof a) => (x ? x.rss - x.heapTotal - x.external : undefined);
      // Pauses between the two samples, as a share of the wall time between them.
      const gcShare = (key: 'gcMs' | 'majorGcMs') =>
        a?.[key] !== undefined && b?.[key] !== undefined && b.t > a.t
          ? `${fmt((100 * (b[key] - a[key])) / (b.t - a.t), 1)}%`
          : '?';
      return [
        p.label,
        pair(a?.rss, b?.rss),
        pair(a?.heapUsed, b?.heapUsed),
        pair(a?.heapTotal, b?.heapTotal),
        pair(a?.spaces.new_space, b?.spaces.new_space),
        pair(a?.external, b?.external),
        pair(outside(a), outside(b)),
        `${gcShare('gcMs')} (${gcShare('majorGcMs')})`,
      ];
    });
  say(
    `\nmemory as each process sees itself (MiB, ${BASELINE_SECONDS} s → end; process.memoryUsage, v8 heap spaces):`,
  );
  say(
    table(
      [
        'process',
        'RSS',
        'heap used (live+garbage)',
        'heap reserved',
        'of it young gen',
        'external',
        'RSS outside heap',
        'GC pauses (major)',
      ],
      memoryRows,
    ),
  );
  say(
    `soak driver (this process, not part of the stack): RSS ${driverRss.map((m) => fmt(m)).join(' ')} MiB, CPU ${fmt((100 * ((cpuSeconds(process.pid) ?? 0) - driverCpu0)) / elapsed)}% of one core`,
  );

  say(
    `\nno lost write: ${verified}/${layouts.length} acknowledged layouts read back with their acknowledged version and name; ${assetsVerified}/${ledger.assets.length} images`,
  );
  for (const line of lost.slice(0, 10)) say(`  LOST ${line}`);
  if (process.env.BENCH_RESULT_FILE) {
    const result: SoakResult = {
      rate,
      errors: errorsTotal,
      lost: lost.length,
      migrationCommitted: !migrationError && migrantHome.rows[0]?.home_region === 'US',
      rssFlagged: flagged,
      cpuPerRequestUs: budgetUs,
    };
    writeFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify(result));
  }
  const verdicts = [
    ['throughput ≥ 5× the reference (its figures from another sitting)', rate >= 5 * REFERENCE.high],
    ['0 unexpected answers', errorsTotal === 0],
    ['migration committed, tenant homed in US', !migrationError && migrantHome.rows[0]?.home_region === 'US'],
    ['RSS within ±10% (30 s → end)', flagged === 0],
    ['no lost write', lost.length === 0],
  ] as const;
  say('');
  for (const [what, ok] of verdicts) say(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  if (errorsTotal || lost.length || migrationError) exitCode = 1;
} catch (err) {
  say(`soak failed: ${(err as Error).stack ?? err}`);
  if (stack) say(stack.output().slice(-3000));
  exitCode = 1;
} finally {
  for (const p of pools) await p.close().catch(() => undefined);
  await stack?.stop();
  await atlassian.close();
  rmSync(memoryDir, { recursive: true, force: true });
}
process.exit(exitCode);
