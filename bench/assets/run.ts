/**
 * Asset throughput benchmark (issue 5): upload and download of 1 MiB PNGs through the asset
 * service vs direct S3 PutObject/GetObject against the same local S3 server (s3rver).
 *
 *   npm run bench:assets                       # asset service started here, as a child process
 *   ROUTER_URL=http://127.0.0.1:8080 BENCH_AUTHORIZATION='JWT …' npm run bench:assets
 *
 * Loopback only, one bounded run (IMAGES uploads + IMAGES downloads per side, CONCURRENCY in
 * flight). Reports MiB/s, the service/direct ratio and the service process's peak RSS (VmHWM).
 * Needs the local Postgres (a throw-away database is created and dropped).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '@rt/storage';
import { createTestDatabase, internalToken, startLocalS3 } from '@rt/testing';

/** Benchmark knobs (not turbo task inputs: the benchmark runs on demand, never cached). */
const env: Record<string, string | undefined> = process.env;
const IMAGES = Number(env.BENCH_IMAGES ?? 48);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 4);
const DEADLINE_MS = Number(env.BENCH_DEADLINE_MS ?? 120_000);
const MiB = 1024 * 1024;
const bucket = 'rt-bench-assets';
const secret = 'b'.repeat(40);
const tenantId = '11111111-2222-4333-8444-555555555555';
const started = Date.now();

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/** A distinct, valid ~1 MiB RGB PNG (noise, stored deflate) with a tEXt chunk to strip. */
function png1MiB(): Buffer {
  const width = 512;
  const height = 682;
  const raw = randomBytes((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Comment\0bench')),
    chunk('IDAT', deflateSync(raw, { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

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

async function main() {
  const s3server = await startLocalS3({ buckets: [bucket] });
  const database = await createTestDatabase('regional', 'bench');
  const s3 = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3server.endpoint });
  let child: ChildProcess | undefined;
  try {
    let baseUrl = env.ROUTER_URL?.replace(/\/+$/, '');
    if (!baseUrl) {
      const port = await freePort();
      child = spawn(
        process.execPath,
        ['--conditions=development', '--import', 'tsx', 'services/asset/src/server.ts'],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            NODE_ENV: 'production',
            LOG_LEVEL: 'warn',
            PORT: String(port),
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
          },
        },
      );
      baseUrl = `http://127.0.0.1:${port}`;
      await waitReady(baseUrl);
    }
    const idleRss = await rssOf(child?.pid, 'VmRSS');
    // Internal tokens live 60 s: mint one per request (cheap) unless a router credential is given.
    const authorization = () => env.BENCH_AUTHORIZATION ?? `Bearer ${internalToken(secret, tenantId)}`;

    const images = Array.from({ length: IMAGES }, png1MiB);
    const uploadImages = Array.from({ length: IMAGES }, png1MiB);
    const size = images[0]!.length;

    const directPut = await timed(
      images.map((body, i) => ({ body, key: `bench/direct/${i}` })),
      (x) => x.body.length,
      async ({ body, key }) => {
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'image/png' }),
        );
      },
    );
    const directGet = await timed(
      images.map((body, i) => ({ size: body.length, key: `bench/direct/${i}` })),
      (x) => x.size,
      async ({ key }) => {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        await out.Body!.transformToByteArray();
      },
    );

    const ids: Array<{ id: string; size: number }> = [];
    const serviceUpload = await timed(
      uploadImages,
      (b) => b.length,
      async (body) => {
        const res = await fetch(`${baseUrl}/api/v1/assets`, {
          method: 'POST',
          headers: { authorization: authorization(), 'content-type': 'image/png' },
          body,
        });
        if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
        const asset = (await res.json()) as { id: string; size: number; sha256: string };
        ids.push({ id: asset.id, size: asset.size });
      },
    );
    const serviceDownload = await timed(
      ids,
      (x) => x.size,
      async ({ id, size: expected }) => {
        const res = await fetch(`${baseUrl}/api/v1/assets/${id}`, {
          headers: { authorization: authorization() },
        });
        const bytes = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200 || bytes.length !== expected) throw new Error(`download: ${res.status}`);
        createHash('sha256').update(bytes);
      },
    );
    const rss = await rssOf(child?.pid, 'VmHWM');
    const report = {
      imageBytes: size,
      images: IMAGES,
      concurrency: CONCURRENCY,
      via: env.ROUTER_URL ? 'router' : 'asset service (direct)',
      upload: {
        serviceMiBps: +serviceUpload.mibPerSecond.toFixed(1),
        directS3MiBps: +directPut.mibPerSecond.toFixed(1),
        ratio: +(serviceUpload.mibPerSecond / directPut.mibPerSecond).toFixed(2),
      },
      download: {
        serviceMiBps: +serviceDownload.mibPerSecond.toFixed(1),
        directS3MiBps: +directGet.mibPerSecond.toFixed(1),
        ratio: +(serviceDownload.mibPerSecond / directGet.mibPerSecond).toFixed(2),
      },
      serviceIdleRssMiB: idleRss === null ? null : +(idleRss / MiB).toFixed(1),
      servicePeakRssMiB: rss === null ? null : +(rss / MiB).toFixed(1),
      benchProcessPeakRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
      wallSeconds: +((Date.now() - started) / 1000).toFixed(1),
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    child?.kill('SIGTERM');
    s3.destroy();
    await s3server.close();
    await database.drop();
  }
}

await main();
