/**
 * bench:documents — the document read path on production builds (`node dist/server.js`), against
 * a bare Fastify route answering the same JSON from a constant (measured in the same run):
 *
 *   - GET a layout by id, GET a scope's layouts (list), GET a space's resolved theme;
 *   - each direct to the service (with an internal token, as the router sends it) and through the
 *     router (a Connect context token of an installed tenant);
 *   - rounds of one run per target, three rounds, the median run of each target reported.
 *
 *   npm run bench:documents      (builds layout, theme and router first; local Postgres + Redis)
 *
 * Env: BENCH_DURATION (s per run, default 5), BENCH_CONNECTIONS (default 10), BENCH_ROUNDS
 * (default 3), BENCH_ROUTER=0 to skip the router, BENCH_CPU_PROF=<dir> (CPU profiles of the
 * services), DATABASE_ADMIN_URL, BENCH_REDIS_URL. BENCH_INSTRUCTIONS=1 counts instructions
 * instead (see instructions.ts; needs Debian's `valgrind`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgPool } from '@rt/db';
import {
  DocumentRepository,
  exampleLayoutContent,
  exampleThemeTokens,
  layoutKind,
  ThemeAssignments,
  themeKind,
} from '@rt/documents';
import { createTestDatabase, internalToken, mintConnectToken } from '@rt/testing';
import autocannon from 'autocannon';
import {
  cpuMs,
  freePort,
  installTenant,
  Processes,
  requireBuilds,
  routerEnv,
  rssBytes,
  waitFor,
} from '../../shared/stack.js';
import { reportInstructions } from './instructions.js';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const withRouter = process.env.BENCH_ROUTER !== '0';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const internalSecret = randomBytes(24).toString('hex');

/** BENCH_CPU_PROF=<dir> writes a CPU profile of every service process there (for analysis). */
const processes = new Processes(process.env.BENCH_CPU_PROF);
const start = (script: string, env: Record<string, string>) => processes.start(script, env);
const stopAll = () => processes.stopAll();

interface Target {
  name: string;
  url: string;
  headers: () => Record<string, string>;
  /** The server processes that answer it (their CPU time is charged to its requests). */
  pids: number[];
  /** The status class every answer must have (default 2xx). */
  expect?: '2xx' | '3xx';
}
interface Run {
  rps: number;
  /** CPU of the answering processes per request, µs: unlike req/s, not skewed by other load. */
  cpuUs: number;
  p50: number;
  p99: number;
  /** Answers outside the expected status class. */
  unexpected: number;
  errors: number;
}

/** Resident set size of a process, MiB. */
const rssMiB = async (pid: number) => Math.round((await rssBytes(pid)) / 1024 / 1024);

async function measure(target: Target): Promise<Run> {
  const before = await cpuMs(target.pids);
  const result = await autocannon({ url: target.url, connections, duration, headers: target.headers() });
  const cpu = (await cpuMs(target.pids)) - before;
  return {
    rps: Math.round(result.requests.average),
    cpuUs: Math.round((cpu * 1000) / Math.max(1, result.requests.total)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: result.requests.total - (result[target.expect ?? '2xx'] as number),
    errors: result.errors + result.timeouts,
  };
}

const median = (runs: Run[]): Run =>
  [...runs].sort((x, y) => x.rps - y.rps)[Math.floor(runs.length / 2)] as Run;

async function main(): Promise<void> {
  requireBuilds(['layout', 'theme', ...(withRouter ? ['router'] : [])]);
  const cleanup: (() => Promise<void>)[] = [];
  const tmp = await mkdtemp(join(tmpdir(), 'rt-bench-documents-'));
  cleanup.push(() => rm(tmp, { recursive: true, force: true }));
  try {
    const regional = await createTestDatabase('regional', 'benchdocs');
    cleanup.unshift(() => regional.drop());
    const directory = await createTestDatabase('directory', 'benchdocsdir');
    cleanup.unshift(() => directory.drop());

    // One installed Connect tenant: its id is the tenant of every document.
    const tenant = await installTenant(directory.url);
    const { tenantId, clientKey, sharedSecret } = tenant;

    const [layoutPort, themePort, routerPort, barePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const routerUrl = `http://127.0.0.1:${routerPort}`;
    const common: Record<string, string> = {
      REGION: 'EU',
      REGIONS: 'EU,US',
      HOST: '127.0.0.1',
      INTERNAL_TOKEN_SECRET: internalSecret,
      DIRECTORY_DATABASE_URL: directory.url,
      DB_POOL_SIZE: '10',
      ROUTER_INTERNAL_URL: routerUrl,
    };
    for (const r of ['EU', 'US']) {
      common[`REGION_${r}_DATABASE_URL`] = regional.url;
      common[`REGION_${r}_REDIS_URL`] = redisUrl;
      common[`REGION_${r}_S3_BUCKET`] = `rt-bench-${r.toLowerCase()}`;
      common[`REGION_${r}_BASE_URL`] = routerUrl;
    }
    // Documents, written before the services start (writes through them need a Confluence
    // user): 20 site layouts (the list), a theme assigned to space DOCS (the resolution).
    const seedPool = createPgPool({ url: regional.url, poolSize: 1 });
    const layouts = new DocumentRepository(seedPool, layoutKind);
    let layoutId = '';
    for (let i = 0; i < 20; i++) {
      const doc = await layouts.create(tenantId, {
        name: `Intranet page ${i}`,
        scope: 'site',
        fields: { content: exampleLayoutContent() },
      });
      if (i === 0) layoutId = doc.id;
    }
    const themes = new DocumentRepository(seedPool, themeKind);
    const theme = await themes.create(tenantId, {
      name: 'Corporate',
      scope: 'site',
      fields: { tokens: exampleThemeTokens(), images: {} },
    });
    await new ThemeAssignments(seedPool, themes).assignToSpace(tenantId, 'DOCS', theme.id);
    await seedPool.end();

    const layoutUrl = `http://127.0.0.1:${layoutPort}`;
    const themeUrl = `http://127.0.0.1:${themePort}`;
    const layout = start('services/layout/dist/server.js', { ...common, PORT: String(layoutPort) });
    const themeService = start('services/theme/dist/server.js', { ...common, PORT: String(themePort) });
    cleanup.unshift(stopAll);
    await Promise.all([waitFor(`${layoutUrl}/readyz`), waitFor(`${themeUrl}/readyz`)]);

    const bearer = () => ({ authorization: `Bearer ${internalToken(internalSecret, tenantId)}` });
    const sample = await (
      await fetch(`${layoutUrl}/api/v1/layouts/${layoutId}`, { headers: bearer() })
    ).text();

    const bare = start('bench/documents/bare.mjs', { PORT: String(barePort), BODY: sample });
    await waitFor(`http://127.0.0.1:${barePort}/constant`);

    const paths = {
      'layout by id': `/api/v1/layouts/${layoutId}`,
      'scope list (20 layouts)': '/api/v1/layouts?scope=site&limit=25',
      "space's resolved theme": '/api/v1/spaces/DOCS/theme',
    };
    // The same layout revalidated, as the typed client does: If-None-Match → 304, no body.
    const revalidated = 'layout by id, revalidated (If-None-Match → 304)';
    const conditional = { 'if-none-match': '"1"' };
    const serviceOf = (path: string) =>
      path.includes('/layouts')
        ? { url: layoutUrl, pid: layout.pid as number }
        : { url: themeUrl, pid: themeService.pid as number };
    const targets: Target[] = [
      {
        name: 'bare Fastify, constant JSON (reference)',
        url: `http://127.0.0.1:${barePort}/constant`,
        headers: () => ({}),
        pids: [bare.pid as number],
      },
      ...Object.entries(paths).map(([name, path]) => ({
        name: `${name} — direct to the service`,
        url: `${serviceOf(path).url}${path}`,
        headers: bearer,
        pids: [serviceOf(path).pid],
      })),
      {
        name: `${revalidated} — direct to the service`,
        url: `${layoutUrl}${paths['layout by id']}`,
        headers: () => ({ ...bearer(), ...conditional }),
        pids: [layout.pid as number],
        expect: '3xx',
      },
    ];

    if (withRouter) {
      const env = routerEnv({
        common,
        port: routerPort,
        tenant,
        services: { layout: layoutUrl, theme: themeUrl },
        accessLogDir: join(tmp, 'access-log'),
      });
      const router = start('services/router/dist/server.js', env);
      // A context token (qsh `context-qsh`), as AP.context.getToken() gives the front end.
      const token = mintConnectToken({ clientKey, sharedSecret, context: true, expiresInSeconds: 3600 });
      const jwt = () => ({ authorization: `JWT ${token}` });
      await waitFor(`${routerUrl}${paths['layout by id']}`, jwt());
      for (const [name, path] of Object.entries(paths)) {
        targets.push({
          name: `${name} — through the router`,
          url: `${routerUrl}${path}`,
          headers: jwt,
          pids: [router.pid as number, serviceOf(path).pid],
        });
      }
      if (process.env.BENCH_INSTRUCTIONS) {
        await reportInstructions(processes, {
          freePort,
          connections,
          bare: { env: { BODY: sample }, path: '/constant' },
          router: { env, path: paths['layout by id'], headers: jwt() },
        });
        return;
      }
      targets.push({
        name: `${revalidated} — through the router`,
        url: `${routerUrl}${paths['layout by id']}`,
        headers: () => ({ ...jwt(), ...conditional }),
        pids: [router.pid as number, layout.pid as number],
        expect: '3xx',
      });
    }

    // Warm-up of every target (JIT, pools, caches), not counted.
    for (const t of targets) await autocannon({ url: t.url, connections, duration: 1, headers: t.headers() });
    const services = { layout: layout.pid as number, theme: themeService.pid as number };
    const rssBefore = { layout: await rssMiB(services.layout), theme: await rssMiB(services.theme) };
    const runs = new Map<Target, Run[]>(targets.map((t) => [t, []]));
    for (let round = 0; round < rounds; round++) {
      for (const t of targets) runs.get(t)?.push(await measure(t));
    }

    const reference = median(runs.get(targets[0] as Target) as Run[]);
    const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
    console.log(
      `\nbench:documents — production builds, ${connections} connections, ${duration} s per run, median of ${rounds} runs, Node ${process.version}, body ${sample.length} bytes, load average ${load}\n`,
    );
    console.log(
      '| target | req/s (median) | × bare | server CPU µs/req | bare CPU ÷ this | p50 ms | p99 ms | all runs req/s | unexpected status | errors |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|');
    let failed = false;
    for (const t of targets) {
      const all = runs.get(t) as Run[];
      const m = median(all);
      const bad = all.reduce((n, r) => n + r.unexpected + r.errors, 0);
      failed ||= bad > 0;
      console.log(
        `| ${t.name} | ${m.rps} | ${(m.rps / reference.rps).toFixed(2)} | ${m.cpuUs} | ${(reference.cpuUs / Math.max(1, m.cpuUs)).toFixed(2)} | ${m.p50} | ${m.p99} | ${all.map((r) => r.rps).join(', ')} | ${all.reduce((n, r) => n + r.unexpected, 0)} | ${all.reduce((n, r) => n + r.errors, 0)} |`,
      );
    }
    console.log(
      `\nRSS after warm-up → at the end: layout ${rssBefore.layout} → ${await rssMiB(services.layout)} MiB, theme ${rssBefore.theme} → ${await rssMiB(services.theme)} MiB`,
    );
    console.log(
      '\ngoal: through the router ≥ 0.50× the bare route. Server CPU per request is charged to the processes that answer (router + service through the router); on a busy machine it is the steadier comparison.',
    );
    if (failed) process.exitCode = 1;
  } finally {
    for (const step of cleanup) await step().catch((err) => console.error(err));
  }
}

main().catch(async (err) => {
  console.error(err);
  await stopAll().catch(() => undefined);
  process.exit(1);
});
