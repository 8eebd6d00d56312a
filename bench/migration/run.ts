/**
 * Benchmark: data-residency migration of a tenant built like a real one, against the stock
 * tools on the same stores in the same run.
 *
 *   npm run bench:migration            (loopback only; bounded by BENCH_TIMEOUT_S, default 1500)
 *   BENCH_IMAGES=20000 BENCH_RUNS=1 npm run bench:migration     (10× the images)
 *
 * The tenant is created THROUGH THE API, as customers create it: the layout, theme and asset
 * services run here on the EU region's database and bucket and are called over HTTP with the
 * router's internal token — BENCH_LAYOUTS layouts of 12 blocks (each with its first revision and
 * an image reference), BENCH_THEMES themes with a logo, space themes, and BENCH_IMAGES PNGs of
 * about BENCH_IMAGE_BYTES uploaded through the asset service (stripped, hashed, stored).
 *
 * Each of BENCH_RUNS runs (median reported):
 *   1. stock tools: `pg_dump | psql` of the tenant's tables into a scratch database plus
 *      `rclone copy` (16 transfers, server-side copy) of its objects to another bucket;
 *   2. whole copy EU → US with `/start` right after `/schedule` (schedule → ready-to-commit:
 *      rows, objects, verification), then commit;
 *   3. freeze window US → EU: schedule, wait for the pre-copy, then start → ready-to-commit,
 *      then commit — so the next run starts from EU again with the same tenant.
 * The migration runs as on AWS: the target region's worker pulls rows from the source's export
 * endpoint and copies objects inside S3 (s3rver in its own process; its copies are proven by
 * their recomputed ETag against the MD5 recorded at upload, see S3_COPY_ETAG_IS_MD5).
 * Goals: whole copy ≤ 0.8× the stock tools; freeze window ≤ 1 s after the pre-copy.
 * Knobs: BENCH_CONCURRENCY (objects in flight, default 32), BENCH_SEED_CONCURRENCY (default 8).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

import { allowAllWritesForTests } from '@rt/auth';
import { createPgPool } from '@rt/db';
import { exampleLayoutContent, exampleThemeTokens } from '@rt/documents';
import type { Migration } from '@rt/residency';
import { createTestDatabase, internalToken, noisePng } from '@rt/testing';
import { buildApp as buildAssetApp } from '../../services/asset/src/app.js';
import { buildApp as buildLayoutApp } from '../../services/layout/src/app.js';
import { buildApp as buildThemeApp } from '../../services/theme/src/app.js';
import { startWorkers } from '../../services/worker/src/workers.js';
import { MigrationEnv } from '../../services/worker/test/support/migration-env.js';

const run = promisify(execFile);
const LAYOUTS = Number(process.env.BENCH_LAYOUTS ?? 10_000);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 2000);
const IMAGE_BYTES = Number(process.env.BENCH_IMAGE_BYTES ?? 102_400);
const THEMES = Number(process.env.BENCH_THEMES ?? 10);
const SPACE_THEMES = Number(process.env.BENCH_SPACE_THEMES ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 8);
const timeout = setTimeout(
  () => {
    console.error('bench timed out');
    process.exit(2);
  },
  Number(process.env.BENCH_TIMEOUT_S ?? 1500) * 1000,
);
timeout.unref();

const s = (t: number) => `${(t / 1000).toFixed(2)} s`;
const since = (t: number) => performance.now() - t;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function sh(cmd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-o', 'pipefail', '-c', cmd], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => {
      err += d;
    });
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} failed: ${err.slice(0, 500)}`)),
    );
  });
}

/** Runs `work` over 0 … n-1 with `concurrency` in flight. */
async function forEachIndex(n: number, concurrency: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

/** A distinct PNG of about `bytes` (random pixels, stored: incompressible like a photo). */
const photoPng = (bytes: number): Buffer => noisePng(200, Math.max(1, Math.round(bytes / (200 * 3 + 1))));

// s3rver in its own process, like a real S3 is outside the worker.
const s3Process = spawn(
  process.execPath,
  ['--conditions=development', '--import', 'tsx', new URL('./s3-server.ts', import.meta.url).pathname],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const s3Endpoint = await new Promise<string>((resolve) =>
  s3Process.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
);
const env = await MigrationEnv.create('bench', {
  s3Endpoint,
  tuning: {
    rowBatchSize: 2000,
    objectConcurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
    progressIntervalMs: 250,
    serverSideCopy: true,
    // s3rver recomputes a copy's ETag from the bytes it wrote (see the worker's pipeline test).
    etagProvesCopy: true,
  },
});
const scratch = await createTestDatabase('regional', 'benchbase');
const closers: (() => Promise<unknown>)[] = [];
try {
  // ---- the tenant, through the API ----
  const eu = env.config.regions.find((r) => r.id === 'EU')!;
  const euHandle = env.region('EU');
  const secret = randomBytes(32).toString('base64');
  const servicePool = createPgPool({ url: eu.databaseUrl!, poolSize: SEED_CONCURRENCY + 2 });
  closers.push(() => servicePool.end());
  const common = {
    internalTokenSecret: secret,
    db: euHandle.db,
    pool: servicePool,
    authorize: allowAllWritesForTests,
    logLevel: 'silent',
  };
  const apps = {
    layout: await buildLayoutApp(common),
    theme: await buildThemeApp(common),
    // Records each upload's MD5, as the local stack's asset service does (S3_COPY_ETAG_IS_MD5).
    asset: await buildAssetApp({
      ...common,
      s3: euHandle.s3,
      bucket: euHandle.bucket,
      assets: { recordMd5: true },
    }),
  };
  const urls: Record<string, string> = {};
  for (const [name, app] of Object.entries(apps)) {
    urls[name] = await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => app.close());
  }
  const tenant = await env.directory.tenant.create({
    data: { clientKey: `bench-${randomUUID()}`, baseUrl: 'https://bench.atlassian.net', homeRegion: 'EU' },
  });
  const tenantId = tenant.id;
  const api = async (service: string, method: string, path: string, body?: unknown, type?: string) => {
    const res = await fetch(`${urls[service]}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${internalToken(secret, tenantId, 'EU')}`,
        ...(body === undefined ? {} : { 'content-type': type ?? 'application/json' }),
      },
      ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as { id: string };
  };

  console.log(
    `seeding through the API: ${IMAGES} images × ~${IMAGE_BYTES} B, ${LAYOUTS} layouts × 12 blocks, ${THEMES} themes, ${SPACE_THEMES} space themes …`,
  );
  let t = performance.now();
  const assetIds: string[] = new Array(IMAGES);
  let bytes = 0;
  await forEachIndex(IMAGES, SEED_CONCURRENCY, async (i) => {
    const png = photoPng(IMAGE_BYTES);
    bytes += png.length;
    assetIds[i] = (await api('asset', 'POST', '/api/v1/assets', png, 'image/png')).id;
  });
  const imagesMs = since(t);
  t = performance.now();
  await api('theme', 'PUT', '/api/v1/settings', { allowSpaceThemes: true });
  const themeIds: string[] = [];
  for (let i = 0; i < THEMES; i++) {
    const color = `#${((i * 0x1f3a7) % 0xffffff).toString(16).padStart(6, '0')}`;
    const theme = await api('theme', 'POST', '/api/v1/themes', {
      name: `Theme ${i}`,
      tokens: exampleThemeTokens(color),
      ...(assetIds.length ? { images: { logo: { $asset: assetIds[i % assetIds.length] } } } : {}),
    });
    themeIds.push(theme.id);
  }
  for (let i = 0; i < SPACE_THEMES && themeIds.length; i++) {
    await api('theme', 'PUT', `/api/v1/spaces/SP${i}/theme`, { themeId: themeIds[i % themeIds.length] });
  }
  await forEachIndex(LAYOUTS, SEED_CONCURRENCY, async (i) => {
    const content = exampleLayoutContent(assetIds.length ? { hero: assetIds[i % assetIds.length] } : {});
    // The example has 4 blocks (5 with the hero): rich-text blocks make it 12.
    for (let k = content.blocks.length; k < 12; k++) {
      content.blocks.push({
        id: `text-${k}`,
        column: (k % 3) + 1,
        type: 'rich-text',
        body: `<p>Section ${k} of layout ${i}: team news, links and a short description.</p>`,
      } as (typeof content.blocks)[number]);
    }
    await api('layout', 'POST', '/api/v1/layouts', {
      name: `Layout ${i}`,
      scope: i % 3 === 0 ? 'site' : `space:SP${i % 50}`,
      content,
    });
  });
  const documentsMs = since(t);
  const counts = await euHandle.pool.query<{ t: string; n: number }>(
    `SELECT 'tenant_settings' t, count(*)::int n FROM tenant_settings WHERE tenant_id = $1
     UNION ALL SELECT 'layouts', count(*)::int FROM layouts WHERE tenant_id = $1
     UNION ALL SELECT 'layout_revisions', count(*)::int FROM layout_revisions WHERE tenant_id = $1
     UNION ALL SELECT 'themes', count(*)::int FROM themes WHERE tenant_id = $1
     UNION ALL SELECT 'theme_revisions', count(*)::int FROM theme_revisions WHERE tenant_id = $1
     UNION ALL SELECT 'space_themes', count(*)::int FROM space_themes WHERE tenant_id = $1
     UNION ALL SELECT 'assets', count(*)::int FROM assets WHERE tenant_id = $1
     UNION ALL SELECT 'asset_references', count(*)::int FROM asset_references WHERE tenant_id = $1`,
    [tenantId],
  );
  const rowTotal = counts.rows.reduce((a, r) => a + r.n, 0);
  console.log(
    `seeded in ${s(imagesMs)} (images) + ${s(documentsMs)} (documents): ${counts.rows.map((r) => `${r.t} ${r.n}`).join(', ')}; ${(bytes / 1e6).toFixed(0)} MB`,
  );
  for (const app of Object.values(apps)) await app.close();

  // ---- the runs ----
  const rcloneEnv: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG_LOCAL_TYPE: 's3',
    RCLONE_CONFIG_LOCAL_PROVIDER: 'Other',
    RCLONE_CONFIG_LOCAL_ENDPOINT: eu.s3Endpoint,
    RCLONE_CONFIG_LOCAL_ACCESS_KEY_ID: 'S3RVER',
    RCLONE_CONFIG_LOCAL_SECRET_ACCESS_KEY: 'S3RVER',
    RCLONE_CONFIG_LOCAL_FORCE_PATH_STYLE: 'true',
  };
  delete rcloneEnv.AWS_CA_BUNDLE;
  const baseBucket = 'rt-bench-baseline';
  await run('rclone', ['mkdir', `local:${baseBucket}`], { env: rcloneEnv });
  const tables = [
    'tenant_settings',
    'layouts',
    'layout_revisions',
    'themes',
    'theme_revisions',
    'space_themes',
    'assets',
    'asset_references',
  ];
  const workers = await startWorkers(env.deps);
  closers.push(() => workers.close());

  /** Polls the migration every 10 ms (the freeze is measured to that resolution). */
  const until = async (id: string, done: (m: Migration) => boolean, what: string, limitMs = 1_200_000) => {
    const end = Date.now() + limitMs;
    for (;;) {
      const m = await env.directory.migration.findUniqueOrThrow({ where: { id } });
      if (m.state === 'failed') throw new Error(`${what}: migration failed: ${m.errorMessage}`);
      if (done(m)) return m;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const commitAndClean = async (m: Migration) => {
    await env.coordinator.commit(m);
    await until(m.id, (x) => Boolean(x.cleanupDoneAt), 'cleanup');
  };

  interface RunResult {
    pg: number;
    rclone: number;
    whole: number;
    wholeReport: Record<string, number>;
    preCopy: number;
    freeze: number;
    freezeReport: Record<string, number>;
    verified: string;
  }
  const results: RunResult[] = [];
  for (let i = 1; i <= RUNS; i++) {
    // 1. The stock tools, from EU (where the tenant lives at the start of every run).
    await sh(`psql -q -v ON_ERROR_STOP=1 '${scratch.url}' -c 'TRUNCATE ${tables.join(', ')} CASCADE'`);
    t = performance.now();
    await sh(
      `pg_dump --data-only --no-owner ${tables.map((x) => `-t ${x}`).join(' ')} '${eu.databaseUrl}' | psql -q -v ON_ERROR_STOP=1 '${scratch.url}'`,
    );
    const pg = since(t);
    t = performance.now();
    await sh(
      `rclone copy --transfers 16 --checkers 16 local:${eu.bucket}/tenants/${tenantId} local:${baseBucket}/run${i}/tenants/${tenantId}`,
      rcloneEnv,
    );
    const rclone = since(t);
    const { stdout } = await run('rclone', ['size', '--json', `local:${baseBucket}/run${i}`], {
      env: rcloneEnv,
    });
    if ((JSON.parse(stdout) as { count: number }).count !== IMAGES) throw new Error('rclone copied too few');
    console.log(
      `run ${i}: stock tools ${s(pg + rclone)} (pg_dump | psql ${s(pg)}, rclone copy ${s(rclone)})`,
    );

    // 2. Whole copy EU → US, start right after schedule.
    t = performance.now();
    const whole = await env.coordinator.schedule({
      tenantId,
      externalId: `bench-${i}-eu-us`,
      location: 'US',
      windowEnd: new Date(Date.now() + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    await env.coordinator.start(whole);
    const wholeReady = await until(whole.id, (m) => m.state === 'ready_to_commit', 'whole copy');
    const wholeMs = since(t);
    const wholeRep = wholeReady.report as Record<string, unknown>;
    await commitAndClean(wholeReady);

    // 3. US → EU: pre-copy while live, then the freeze window.
    t = performance.now();
    const back = await env.coordinator.schedule({
      tenantId,
      externalId: `bench-${i}-us-eu`,
      location: 'EU',
      windowEnd: new Date(Date.now() + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    const preCopied = await until(
      back.id,
      (m) => (m.progress as { phase?: string } | null)?.phase === 'pre-copied',
      'pre-copy',
    );
    const preCopyMs = since(t);
    t = performance.now();
    await env.coordinator.start(preCopied);
    const backReady = await until(back.id, (m) => m.state === 'ready_to_commit', 'freeze');
    const freezeMs = since(t);
    const backRep = backReady.report as Record<string, unknown>;
    await commitAndClean(backReady);
    const r: RunResult = {
      pg,
      rclone,
      whole: wholeMs,
      wholeReport: wholeRep.durations as Record<string, number>,
      preCopy: preCopyMs,
      freeze: freezeMs,
      freezeReport: backRep.durations as Record<string, number>,
      verified: `rows ${backRep.rowsTotal}, objects ${backRep.objects}, ${((backRep.bytes as number) / 1e6).toFixed(0)} MB; proofs ${JSON.stringify(wholeRep.objectProofsDuringFreeze ?? {})}`,
    };
    results.push(r);
    const f = r.freezeReport;
    console.log(
      `run ${i}: whole copy ${s(wholeMs)} = ${(wholeMs / (pg + rclone)).toFixed(2)}× · pre-copy ${s(preCopyMs)} · freeze ${s(freezeMs)} (rows ${f.copyRowsMs} ms, objects ${f.copyObjectsMs} ms, verify ${f.verifyMs} ms) · ${r.verified}`,
    );
  }

  const med = (f: (r: RunResult) => number) => median(results.map(f));
  const stock = med((r) => r.pg + r.rclone);
  const whole = med((r) => r.whole);
  const freeze = med((r) => r.freeze);
  const w = (k: string) => med((r) => r.wholeReport[k] ?? 0);
  const fz = (k: string) => med((r) => r.freezeReport[k] ?? 0);
  console.log(
    `\ntenant: ${rowTotal} rows (${counts.rows.map((r) => `${r.t} ${r.n}`).join(', ')}), ${IMAGES} images, ${(bytes / 1e6).toFixed(0)} MB — median of ${results.length} run(s)`,
  );
  console.log('| step | median |');
  console.log('|---|---|');
  console.log(`| stock: pg_dump \\| psql | ${s(med((r) => r.pg))} |`);
  console.log(`| stock: rclone copy (16 transfers, server-side) | ${s(med((r) => r.rclone))} |`);
  console.log(`| **stock total** | **${s(stock)}** |`);
  console.log(
    `| **whole copy** (start right after schedule → ready-to-commit, verified) | **${s(whole)}** |`,
  );
  console.log(
    `|  … rows / objects / verify (worker) | ${s(w('copyRowsMs'))} / ${s(w('copyObjectsMs'))} / ${s(w('verifyMs'))} |`,
  );
  const ratios = results.map((r) => r.whole / (r.pg + r.rclone));
  console.log(`| ratio whole copy / stock (medians) | ${(whole / stock).toFixed(2)}× (goal ≤ 0.8×) |`);
  console.log(
    `| ratio per run (same run's stock tools) | ${ratios.map((x) => x.toFixed(2)).join(' / ')} (median ${median(ratios).toFixed(2)}×) |`,
  );
  console.log(`| pre-copy (schedule → pre-copied, tenant live) | ${s(med((r) => r.preCopy))} |`);
  console.log(
    `| **freeze window** after pre-copy (start → ready-to-commit) | **${s(freeze)}** (goal ≤ 1 s) |`,
  );
  console.log(
    `|  … rows delta / objects / verify (worker) | ${s(fz('copyRowsMs'))} / ${s(fz('copyObjectsMs'))} / ${s(fz('verifyMs'))} |`,
  );
  console.log(`| verified (last run) | ${results.at(-1)?.verified} |`);
} finally {
  for (const c of closers.reverse()) await c().catch(() => undefined);
  await env.close();
  await scratch.drop();
  s3Process.kill('SIGTERM');
}
process.exit(0);
