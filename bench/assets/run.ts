/**
 * Asset throughput and memory benchmark: upload and download of 1 MiB PNGs through the asset
 * service vs direct S3 PutObject/GetObject against the same local S3 server (s3rver), measured
 * in the same run; then the service's RSS while it takes 4 concurrent 10 MiB uploads at a time.
 *
 *   npx turbo run build --filter=@rt/asset     # production build (node dist/…), used when present
 *   npm run bench:assets                       # asset service started here, as a child process
 *   BENCH_SOURCE=1 npm run bench:assets        # the service from source (tsx) instead
 *   ROUTER_URL=http://127.0.0.1:8080 BENCH_AUTHORIZATION='JWT …' npm run bench:assets
 *
 * Loopback only, bounded: BENCH_RUNS runs (median reported) of IMAGES uploads + IMAGES
 * downloads per side with CONCURRENCY in flight, then BENCH_BIG_ROUNDS rounds of 4 concurrent
 * 10 MiB uploads with the service's RSS sampled. Needs the local Postgres (a throw-away
 * database is created and dropped).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Agent, createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer } from 'node:net';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PERMISSION_CHECK_PATH } from '@rt/confluence';
import { createS3Client } from '@rt/storage';
import { createTestDatabase, internalToken, noisePng, startLocalS3 } from '@rt/testing';

/** Benchmark knobs (not turbo task inputs: the benchmark runs on demand, never cached). */
const env: Record<string, string | undefined> = process.env;
const IMAGES = Number(env.BENCH_IMAGES ?? 32);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 4);
const RUNS = Number(env.BENCH_RUNS ?? 3);
const BIG_ROUNDS = Number(env.BENCH_BIG_ROUNDS ?? 5);
const DEADLINE_MS = Number(env.BENCH_DEADLINE_MS ?? 300_000);
const MiB = 1024 * 1024;
const bucket = 'rt-bench-assets';
const secret = randomBytes(32).toString('base64');
const tenantId = '11111111-2222-4333-8444-555555555555';
const started = Date.now();

/** ~1 MiB. */
const png1MiB = () => noisePng(512, 682, 'bench');
/** Just under 10 MiB, the service's default upload cap. */
const png10MiB = () => noisePng(1024, 3400, 'bench');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

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
  const seconds = (performance.now() - t0) / 1000;
  return { mibPerSecond: total / MiB / seconds, seconds, requests: items.length };
}

/** VmHWM (peak) or VmRSS (current) of a process, in bytes. */
async function rssOf(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): Promise<number | null> {
  if (!pid) return null;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return m ? Number(m[1]) * 1024 : null;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service at ${url} did not become ready`);
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

/** The asset service as a child process: the production build when present, else the source. */
function startService(port: number, config: Record<string, string>): { child: ChildProcess; build: string } {
  // BENCH_SERVICE_ENTRY: another build of the service (e.g. of the previous commit), to compare.
  const dist = env.BENCH_SERVICE_ENTRY ?? 'services/asset/dist/server.js';
  const fromSource = env.BENCH_SOURCE === '1' || !existsSync(dist);
  // e.g. BENCH_SERVICE_ARGS=--cpu-prof to profile the service side only.
  const extra = (env.BENCH_SERVICE_ARGS ?? '').split(' ').filter(Boolean);
  const args = fromSource
    ? [...extra, '--conditions=development', '--import', 'tsx', 'services/asset/src/server.ts']
    : [...extra, dist];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...config,
    },
  });
  return { child, build: fromSource ? 'source (tsx)' : `production (node ${dist})` };
}

/** CPU time (user + system) a process has used so far, in ms; null without a local child. */
async function cpuMsOf(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * 10 : null; // USER_HZ is 100 on Linux
}

/** Samples a process's RSS every 10 ms while `work` runs; returns the highest sample. */
async function peakRssDuring(pid: number | undefined, work: () => Promise<void>): Promise<number | null> {
  if (!pid) {
    await work();
    return null;
  }
  // Resets VmHWM so that it holds the peak of this phase (kernel: clear_refs "5").
  await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
  let peak = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, (await rssOf(pid, 'VmRSS')) ?? 0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    await work();
  } finally {
    done = true;
    await sampler;
  }
  const hwm = (await rssOf(pid, 'VmHWM')) ?? 0;
  return Math.max(peak, hwm);
}

const mib = (bytes: number | null) => (bytes === null ? null : +(bytes / MiB).toFixed(1));

async function main() {
  const s3server = await startLocalS3({ buckets: [bucket] });
  const database = await createTestDatabase('regional', 'bench');
  const oracle = await startPermissionOracle();
  const s3 = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3server.endpoint });
  let child: ChildProcess | undefined;
  // node:http with keep-alive, like the S3 client of the reference (fetch costs the client
  // noticeably more CPU, which this process shares with s3rver).
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  let build = 'router';
  try {
    let baseUrl = env.ROUTER_URL?.replace(/\/+$/, '');
    if (!baseUrl) {
      const port = await freePort();
      ({ child, build } = startService(port, {
        HOST: '127.0.0.1',
        REGION: 'EU',
        REGIONS: 'EU',
        REGION_EU_DATABASE_URL: database.url,
        REGION_EU_REDIS_URL: 'redis://127.0.0.1:6379',
        REGION_EU_S3_BUCKET: bucket,
        REGION_EU_S3_ENDPOINT: s3server.endpoint,
        REGION_EU_BASE_URL: 'http://127.0.0.1',
        INTERNAL_TOKEN_SECRET: secret,
        DIRECTORY_DATABASE_URL: database.url,
        ROUTER_INTERNAL_URL: oracle.url,
      }));
      baseUrl = `http://127.0.0.1:${port}`;
      await waitReady(baseUrl);
    }
    const pid = child?.pid;
    const idleRss = await rssOf(pid, 'VmRSS');
    // Internal tokens live 60 s: mint one per request (cheap) unless a router credential is given.
    const authorization = () =>
      env.BENCH_AUTHORIZATION ?? `Bearer ${internalToken(secret, tenantId, 'EU', { sub: 'bench-admin' })}`;
    const call = (method: string, path: string, headers: Record<string, string>, body?: Buffer) =>
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = httpRequest(`${baseUrl}${path}`, { method, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    const upload = async (body: Buffer) => {
      const res = await call(
        'POST',
        '/api/v1/assets',
        {
          authorization: authorization(),
          'content-type': 'image/png',
          'content-length': String(body.length),
        },
        body,
      );
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${res.body}`);
      return JSON.parse(res.body.toString()) as { id: string; size: number; sha256: string };
    };

    type Run =
      | 'directPut'
      | 'directGet'
      | 'upload'
      | 'download'
      | 'uploadCpuMsPerMiB'
      | 'downloadCpuMsPerMiB';
    const runs: Array<Record<Run, number>> = [];
    for (let run = 0; run < RUNS; run++) {
      // Each service figure is measured right after its reference, so both see the same load.
      const images = Array.from({ length: IMAGES }, png1MiB);
      const uploadImages = Array.from({ length: IMAGES }, png1MiB);
      const directPut = await timed(
        images.map((body, i) => ({ body, key: `bench/direct/${run}/${i}` })),
        (x) => x.body.length,
        async ({ body, key }) => {
          await s3.send(
            new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'image/png' }),
          );
        },
      );
      const ids: Array<{ id: string; size: number }> = [];
      const cpuBeforeUpload = await cpuMsOf(pid);
      const serviceUpload = await timed(
        uploadImages,
        (b) => b.length,
        async (body) => {
          const asset = await upload(body);
          ids.push({ id: asset.id, size: asset.size });
        },
      );
      const uploadCpuMs = ((await cpuMsOf(pid)) ?? 0) - (cpuBeforeUpload ?? 0);
      const directGet = await timed(
        images.map((body, i) => ({ size: body.length, key: `bench/direct/${run}/${i}` })),
        (x) => x.size,
        async ({ key }) => {
          const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          await out.Body!.transformToByteArray();
        },
      );
      const cpuBeforeDownload = await cpuMsOf(pid);
      const serviceDownload = await timed(
        ids,
        (x) => x.size,
        async ({ id, size: expected }) => {
          const res = await call('GET', `/api/v1/assets/${id}`, { authorization: authorization() });
          if (res.status !== 200 || res.body.length !== expected) throw new Error(`download: ${res.status}`);
        },
      );
      const downloadCpuMs = ((await cpuMsOf(pid)) ?? 0) - (cpuBeforeDownload ?? 0);
      const totalMiB = (uploadImages.reduce((n, b) => n + b.length, 0) / MiB) as number;
      runs.push({
        uploadCpuMsPerMiB: uploadCpuMs / totalMiB,
        downloadCpuMsPerMiB: downloadCpuMs / totalMiB,
        directPut: directPut.mibPerSecond,
        directGet: directGet.mibPerSecond,
        upload: serviceUpload.mibPerSecond,
        download: serviceDownload.mibPerSecond,
      });
    }
    const throughputRss = await rssOf(pid, 'VmRSS');

    // Memory: rounds of 4 concurrent ~10 MiB uploads; "flat" means the RSS after each round
    // does not climb and the peak stays well below 4 × 10 MiB of buffered bodies.
    const big: Array<{ beforeMiB: number | null; peakMiB: number | null; afterMiB: number | null }> = [];
    for (let round = 0; round < BIG_ROUNDS; round++) {
      const bodies = Array.from({ length: 4 }, png10MiB);
      const before = await rssOf(pid, 'VmRSS');
      const peak = await peakRssDuring(pid, async () => {
        await Promise.all(bodies.map((b) => upload(b)));
      });
      big.push({ beforeMiB: mib(before), peakMiB: mib(peak), afterMiB: mib(await rssOf(pid, 'VmRSS')) });
    }

    const m = (k: keyof (typeof runs)[number]) => median(runs.map((r) => r[k]));
    // CPU per MiB is the figure least disturbed by other load on the machine.
    const row = (name: string, service: number, direct: number, cpu: number) =>
      `| ${name} | ${service.toFixed(1)} | ${direct.toFixed(1)} | ${(service / direct).toFixed(2)} | ${pid ? cpu.toFixed(1) : '-'} |`;
    const lines = [
      `asset service: ${build}; via ${env.ROUTER_URL ? 'router' : 'the asset service directly'}; ` +
        `${IMAGES} × ${(png1MiB().length / MiB).toFixed(2)} MiB per side, ${CONCURRENCY} in flight, median of ${RUNS}`,
      '',
      '| path | service MiB/s | direct S3 MiB/s | ratio | service CPU ms/MiB |',
      '|---|---|---|---|---|',
      row('upload', m('upload'), m('directPut'), m('uploadCpuMsPerMiB')),
      row('download', m('download'), m('directGet'), m('downloadCpuMsPerMiB')),
      '',
      `service RSS: idle ${mib(idleRss)} MiB, after the throughput runs ${mib(throughputRss)} MiB`,
      '4 concurrent ~10 MiB uploads per round (MiB): ' +
        big.map((b, i) => `#${i + 1} ${b.beforeMiB} → peak ${b.peakMiB} → ${b.afterMiB}`).join('; '),
    ];
    console.log(lines.join('\n'));
    console.log(
      JSON.stringify(
        {
          build,
          runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, +v.toFixed(1)]))),
          bigUploads: big,
          wallSeconds: +((Date.now() - started) / 1000).toFixed(1),
        },
        null,
        2,
      ),
    );
  } finally {
    agent.destroy();
    child?.kill('SIGTERM');
    s3.destroy();
    oracle.server.close();
    await s3server.close();
    await database.drop();
  }
}

await main();
