/**
 * bench:assets — image uploads and downloads on production builds (`node dist/server.js`),
 * against direct S3 PutObject/GetObject on the same local S3 server (s3rver), in the same run:
 *
 *   - 1 MiB PNGs uploaded and downloaded direct to S3 (the reference), direct to the asset service
 *     (with an internal token, as the router sends it), through a bare Fastify + reply-from proxy
 *     (bench/router/bare-proxy.mjs: Node's cost of the hop alone) and through the router (a
 *     Connect context token of a tenant installed in a throw-away directory database);
 *   - each run measures the S3 reference first, then the service, the bare proxy, the router;
 *     median of BENCH_RUNS runs; CPU per MiB of the answering processes, the proxy's apart
 *     (steadier than MiB/s under load);
 *   - then rounds of 4 concurrent ~10 MiB uploads through the router, with the RSS of the asset
 *     service and of the router sampled.
 *
 *   npm run bench:assets      (builds asset and router first; local Postgres + Redis)
 *
 * The asset service's permission questions go to a local stand-in that allows them (the router
 * in production mode calls Atlassian hosts only); the router caches those answers anyway.
 * This mode replaces the former ROUTER_URL mode against a running stack: the router path is now
 * measured on production builds in the same run as its references.
 *
 * Env: BENCH_IMAGES (per side and run, default 32), BENCH_CONCURRENCY (default 4), BENCH_RUNS
 * (default 3), BENCH_BIG_ROUNDS (default 5), BENCH_DEADLINE_MS (default 300 000),
 * BENCH_CPU_PROF=<dir> (CPU profiles of the router and the asset service), BENCH_SERVICE_ENTRY /
 * BENCH_ROUTER_ENTRY (another build, e.g. of the previous commit, to compare), BENCH_REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PERMISSION_CHECK_PATH } from '@rt/confluence';
import { createS3Client } from '@rt/storage';
import { createTestDatabase, internalToken, mintConnectToken, noisePng, startLocalS3 } from '@rt/testing';
import {
  cpuMs,
  freePort,
  installTenant,
  Processes,
  requireBuilds,
  routerEnv,
  rssBytes,
  waitFor,
} from '../shared/stack.js';

/** Benchmark knobs (not turbo task inputs: the benchmark runs on demand, never cached). */
const env: Record<string, string | undefined> = process.env;
// Node 20 runs the benchmark; the SDK's notice about Node 22 is known (images use Node 24).
env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const IMAGES = Number(env.BENCH_IMAGES ?? 32);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 4);
const RUNS = Number(env.BENCH_RUNS ?? 3);
const BIG_ROUNDS = Number(env.BENCH_BIG_ROUNDS ?? 5);
const DEADLINE_MS = Number(env.BENCH_DEADLINE_MS ?? 300_000);
const SERVICE_ENTRY = env.BENCH_SERVICE_ENTRY ?? 'services/asset/dist/server.js';
const ROUTER_ENTRY = env.BENCH_ROUTER_ENTRY ?? 'services/router/dist/server.js';
const MiB = 1024 * 1024;
const bucket = 'rt-bench-assets';
const secret = randomBytes(32).toString('base64');
const accountId = 'bench-admin';
const started = Date.now();

/** ~1 MiB. */
const png1MiB = () => noisePng(512, 682, 'bench');
/** Just under 10 MiB, the default upload cap of the router and the service. */
const png10MiB = () => noisePng(1024, 3400, 'bench');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const mib = (bytes: number) => +(bytes / MiB).toFixed(1);

/** Runs `task` for each item with bounded concurrency; returns MiB/s over the wall time. */
async function timed<T>(items: T[], bytes: (item: T) => number, task: (item: T) => Promise<void>) {
  const t0 = performance.now();
  let next = 0;
  let total = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        if (Date.now() - started > DEADLINE_MS) throw new Error('benchmark deadline exceeded');
        const item = items[next++]!;
        await task(item);
        total += bytes(item);
      }
    }),
  );
  return total / MiB / ((performance.now() - t0) / 1000);
}

/** Samples the RSS of processes every 10 ms while `work` runs; returns each one's peak. */
async function peakRssDuring(pids: number[], work: () => Promise<void>): Promise<number[]> {
  // Resets VmHWM so that it holds the peak of this phase (kernel: clear_refs "5").
  await Promise.all(pids.map((pid) => writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined)));
  const peaks = pids.map(() => 0);
  let done = false;
  const sampler = (async () => {
    while (!done) {
      for (const [i, pid] of pids.entries()) peaks[i] = Math.max(peaks[i]!, await rssBytes(pid));
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    await work();
  } finally {
    done = true;
    await sampler;
  }
  return Promise.all(pids.map(async (pid, i) => Math.max(peaks[i]!, await rssBytes(pid, 'VmHWM'))));
}

/** Answers the asset service's permission questions as the router would for an admin. */
async function startPermissionOracle(): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const ok = req.method === 'POST' && req.url === PERMISSION_CHECK_PATH;
      res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
      res.end(ok ? '{"allowed":true}' : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

async function main() {
  if (!env.BENCH_SERVICE_ENTRY || !env.BENCH_ROUTER_ENTRY) requireBuilds(['asset', 'router']);
  const cleanup: Array<() => Promise<unknown>> = [];
  const processes = new Processes(env.BENCH_CPU_PROF);
  // node:http with keep-alive, like the S3 client of the reference (fetch costs the client
  // noticeably more CPU, which this process shares with the servers).
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  try {
    const tmp = await mkdtemp(join(tmpdir(), 'rt-bench-assets-'));
    cleanup.unshift(() => rm(tmp, { recursive: true, force: true }));
    const s3server = await startLocalS3({ buckets: [bucket] });
    cleanup.unshift(() => s3server.close());
    const regional = await createTestDatabase('regional', 'benchassets');
    cleanup.unshift(() => regional.drop());
    const directory = await createTestDatabase('directory', 'benchassetsdir');
    cleanup.unshift(() => directory.drop());
    const oracle = await startPermissionOracle();
    cleanup.unshift(() => new Promise((ok) => oracle.server.close(ok)));
    const s3 = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3server.endpoint });
    cleanup.unshift(async () => s3.destroy());
    const tenant = await installTenant(directory.url);

    const [servicePort, routerPort, barePort] = await Promise.all([freePort(), freePort(), freePort()]);
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    const routerUrl = `http://127.0.0.1:${routerPort}`;
    const common: Record<string, string> = {
      HOST: '127.0.0.1',
      REGION: 'EU',
      REGIONS: 'EU',
      REGION_EU_DATABASE_URL: regional.url,
      REGION_EU_REDIS_URL: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13',
      REGION_EU_S3_BUCKET: bucket,
      REGION_EU_S3_ENDPOINT: s3server.endpoint,
      REGION_EU_BASE_URL: routerUrl,
      INTERNAL_TOKEN_SECRET: secret,
      DIRECTORY_DATABASE_URL: directory.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const service = processes.start(SERVICE_ENTRY, {
      ...common,
      PORT: String(servicePort),
      ROUTER_INTERNAL_URL: oracle.url,
    });
    const router = processes.start(ROUTER_ENTRY, {
      ...routerEnv({
        common,
        port: routerPort,
        tenant,
        services: { asset: serviceUrl },
        accessLogDir: join(tmp, 'access-log'),
      }),
      ROUTER_INTERNAL_URL: routerUrl,
    });
    // The hop's reference: Fastify + @fastify/reply-from and nothing else, passing the internal token.
    const bare = processes.start('bench/router/bare-proxy.mjs', {
      PORT: String(barePort),
      UPSTREAM: serviceUrl,
    });
    const bareUrl = `http://127.0.0.1:${barePort}`;
    cleanup.unshift(() => processes.stopAll());
    await Promise.all([
      waitFor(`${serviceUrl}/readyz`),
      waitFor(`${routerUrl}/readyz`),
      waitFor(`${bareUrl}/readyz`),
    ]);

    // A context token (qsh `context-qsh`), as AP.context.getToken() gives the front end; internal
    // tokens live 60 s, so one is minted per request (cheap), as the router does.
    const jwt = `JWT ${mintConnectToken({ ...tenant, accountId, context: true, expiresInSeconds: 3600 })}`;
    const paths = {
      service: {
        base: serviceUrl,
        authorization: () => `Bearer ${internalToken(secret, tenant.tenantId, 'EU', { sub: accountId })}`,
      },
      bare: {
        base: bareUrl,
        authorization: () => `Bearer ${internalToken(secret, tenant.tenantId, 'EU', { sub: accountId })}`,
      },
      router: { base: routerUrl, authorization: () => jwt },
    };
    const PATHS = ['service', 'bare', 'router'] as const;
    type Path = keyof typeof paths;

    const call = (path: Path, method: string, url: string, headers: Record<string, string>, body?: Buffer) =>
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = httpRequest(
          `${paths[path].base}${url}`,
          { method, headers: { ...headers, authorization: paths[path].authorization() }, agent },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const upload = async (path: Path, body: Buffer) => {
      const res = await call(
        path,
        'POST',
        '/api/v1/assets',
        { 'content-type': 'image/png', 'content-length': String(body.length) },
        body,
      );
      if (res.status !== 201) throw new Error(`upload via ${path}: ${res.status} ${res.body}`);
      return JSON.parse(res.body.toString()) as { id: string; size: number };
    };
    const download = async (path: Path, { id, size }: { id: string; size: number }) => {
      const res = await call(path, 'GET', `/api/v1/assets/${id}`, {});
      if (res.status !== 200 || res.body.length !== size)
        throw new Error(`download via ${path}: ${res.status}`);
    };
    /** The proxy in front of the service on a path (its CPU is shown apart). */
    const proxyOf: Record<Path, number | undefined> = {
      service: undefined,
      bare: bare.pid,
      router: router.pid,
    };
    const pidsOf = (path: Path) => [service.pid, ...(proxyOf[path] ? [proxyOf[path]] : [])];

    // Untimed warm-up of every path (JIT, pools, the router's tenant and token caches).
    for (const path of PATHS) {
      const assets = await Promise.all(Array.from({ length: 4 }, () => upload(path, png1MiB())));
      await Promise.all(assets.map((a) => download(path, a)));
    }
    const idle = { service: await rssBytes(service.pid), router: await rssBytes(router.pid) };

    type Figures = { mibPerSecond: number; cpuMsPerMiB: number; proxyCpuMsPerMiB: number };
    interface Run {
      directPut: number;
      directGet: number;
      upload: Record<Path, Figures>;
      download: Record<Path, Figures>;
    }
    const runs: Run[] = [];
    /** Throughput and CPU per MiB of the processes that answer `path`. */
    const measure = async <T>(
      path: Path,
      items: T[],
      bytes: (item: T) => number,
      task: (item: T) => Promise<void>,
    ) => {
      const proxy = proxyOf[path];
      const before = await cpuMs(pidsOf(path));
      const proxyBefore = proxy ? await cpuMs([proxy]) : 0;
      const mibPerSecond = await timed(items, bytes, task);
      const total = items.reduce((n, item) => n + bytes(item), 0) / MiB;
      return {
        mibPerSecond,
        cpuMsPerMiB: ((await cpuMs(pidsOf(path))) - before) / total,
        proxyCpuMsPerMiB: proxy ? ((await cpuMs([proxy])) - proxyBefore) / total : 0,
      };
    };
    for (let run = 0; run < RUNS; run++) {
      const images = Array.from({ length: IMAGES }, png1MiB);
      const directPut = await timed(
        images.map((body, i) => ({ body, key: `bench/direct/${run}/${i}` })),
        (x) => x.body.length,
        async ({ body, key }) => {
          await s3.send(
            new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'image/png' }),
          );
        },
      );
      const uploaded: Record<Path, Array<{ id: string; size: number }>> = {
        service: [],
        bare: [],
        router: [],
      };
      const uploads = {} as Record<Path, Figures>;
      for (const path of PATHS) {
        const bodies = Array.from({ length: IMAGES }, png1MiB);
        uploads[path] = await measure(
          path,
          bodies,
          (b) => b.length,
          async (body) => {
            uploaded[path].push(await upload(path, body));
          },
        );
      }
      const directGet = await timed(
        images.map((body, i) => ({ size: body.length, key: `bench/direct/${run}/${i}` })),
        (x) => x.size,
        async ({ key }) => {
          const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          await out.Body!.transformToByteArray();
        },
      );
      const downloads = {} as Record<Path, Figures>;
      for (const path of PATHS) {
        downloads[path] = await measure(
          path,
          uploaded[path],
          (a) => a.size,
          (a) => download(path, a),
        );
      }
      runs.push({ directPut, directGet, upload: uploads, download: downloads });
    }
    const afterThroughput = { service: await rssBytes(service.pid), router: await rssBytes(router.pid) };

    // Memory: rounds of 4 concurrent ~10 MiB uploads through the router; "flat" means the RSS
    // after each round does not climb and the peak stays well below 4 × 10 MiB of buffered bodies.
    const big: string[] = [];
    for (let round = 0; round < BIG_ROUNDS; round++) {
      const bodies = Array.from({ length: 4 }, png10MiB);
      const before = [await rssBytes(service.pid), await rssBytes(router.pid)];
      const peak = await peakRssDuring([service.pid, router.pid], async () => {
        await Promise.all(bodies.map((b) => upload('router', b)));
      });
      const after = [await rssBytes(service.pid), await rssBytes(router.pid)];
      big.push(
        `#${round + 1} service ${mib(before[0]!)} → ${mib(peak[0]!)} → ${mib(after[0]!)}, ` +
          `router ${mib(before[1]!)} → ${mib(peak[1]!)} → ${mib(after[1]!)}`,
      );
    }

    const m = (pick: (r: Run) => number) => median(runs.map(pick));
    const row = (side: 'upload' | 'download', path: Path, reference: (r: Run) => number) => {
      const mibs = m((r) => r[side][path].mibPerSecond);
      const ratio = m((r) => r[side][path].mibPerSecond / reference(r));
      const all = runs.map((r) => r[side][path].mibPerSecond.toFixed(0)).join(', ');
      const cpu = m((r) => r[side][path].cpuMsPerMiB).toFixed(1);
      const proxyCpu = proxyOf[path] ? m((r) => r[side][path].proxyCpuMsPerMiB).toFixed(1) : '-';
      const name = {
        service: 'direct to the asset service',
        bare: 'through a bare Fastify + reply-from proxy (the hop’s reference)',
        router: 'through the router',
      }[path];
      return `| ${side}, ${name} | ${mibs.toFixed(1)} | ${ratio.toFixed(2)} | ${all} | ${cpu} | ${proxyCpu} |`;
    };
    const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
    const lines = [
      `\nbench:assets — production builds (${SERVICE_ENTRY}, ${ROUTER_ENTRY}), ${IMAGES} × ` +
        `${(png1MiB().length / MiB).toFixed(2)} MiB PNGs per side and run, ${CONCURRENCY} in flight, ` +
        `median of ${RUNS} runs, Node ${process.version}, load average ${load}\n`,
      '| path | MiB/s (median) | × direct S3 (same run) | all runs MiB/s | server CPU ms/MiB | of which the proxy |',
      '|---|---:|---:|---|---:|---:|',
      `| upload, direct S3 PutObject (reference) | ${m((r) => r.directPut).toFixed(1)} | 1.00 | ${runs.map((r) => r.directPut.toFixed(0)).join(', ')} | - | - |`,
      row('upload', 'service', (r) => r.directPut),
      row('upload', 'bare', (r) => r.directPut),
      row('upload', 'router', (r) => r.directPut),
      `| download, direct S3 GetObject (reference) | ${m((r) => r.directGet).toFixed(1)} | 1.00 | ${runs.map((r) => r.directGet.toFixed(0)).join(', ')} | - | - |`,
      row('download', 'service', (r) => r.directGet),
      row('download', 'bare', (r) => r.directGet),
      row('download', 'router', (r) => r.directGet),
      '',
      `RSS (MiB) idle after warm-up → after the throughput runs: service ${mib(idle.service)} → ` +
        `${mib(afterThroughput.service)}, router ${mib(idle.router)} → ${mib(afterThroughput.router)}`,
      '4 concurrent ~10 MiB uploads through the router per round, RSS before → peak → after (MiB):',
      ...big.map((b) => `  ${b}`),
      '',
      'goal: through the router, downloads ≥ 0.8× and uploads ≥ 0.5× direct S3; RSS flat under the 10 MiB rounds.',
      `wall time ${((Date.now() - started) / 1000).toFixed(0)} s`,
    ];
    console.log(lines.join('\n'));
  } finally {
    agent.destroy();
    for (const step of cleanup) await step().catch((err) => console.error(err));
  }
}

await main();
