/**
 * Benchmark: data-residency migration EU → US of a seeded tenant (≈10 000 rows, 2 000 images,
 * ≥ 200 MB) against the naive baseline on the same data in the same run: `pg_dump | psql` of
 * the rows plus `rclone copy` of the objects (S3 provider pointed at the local s3rver).
 *
 *   npm run bench:migration            (loopback only; bounded by BENCH_TIMEOUT_S, default 900)
 *
 * The migration runs as on AWS: the target region's worker pulls rows from the source's export
 * endpoint (pre-copy of everything, then the delta at the freeze) and copies objects inside S3.
 * Goals: end to end ≤ 0.8× baseline; freeze window (start → ready-to-commit) ≤ 1 s after pre-copy.
 * Knobs: BENCH_LAYOUTS, BENCH_IMAGES, BENCH_IMAGE_BYTES, BENCH_CONCURRENCY (objects in flight,
 * default 16 like rclone's --transfers 16), BENCH_COPY=get-put (copy through the worker instead
 * of S3 CopyObject).
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDatabase } from '@rt/testing';
import { startWorkers } from '../../services/worker/src/workers.js';
import { MigrationEnv } from '../../services/worker/test/support/migration-env.js';

const run = promisify(execFile);
const LAYOUTS = Number(process.env.BENCH_LAYOUTS ?? 2985);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 2000);
const IMAGE_BYTES = Number(process.env.BENCH_IMAGE_BYTES ?? 105_000);
const timeout = setTimeout(
  () => {
    console.error('bench timed out');
    process.exit(2);
  },
  Number(process.env.BENCH_TIMEOUT_S ?? 900) * 1000,
);
timeout.unref();

const ms = (t: number) => `${(t / 1000).toFixed(2)} s`;
const since = (t: number) => performance.now() - t;

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

// s3rver in its own process, like a real S3 is outside the worker.
const s3Process = spawn(
  process.execPath,
  ['--conditions=development', '--import', 'tsx', new URL('./s3-server.ts', import.meta.url).pathname],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const s3Endpoint = await new Promise<string>((resolve) =>
  s3Process.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
);
const serverSideCopy = process.env.BENCH_COPY !== 'get-put';
const env = await MigrationEnv.create('bench', {
  s3Endpoint,
  tuning: {
    rowBatchSize: 1000,
    objectConcurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
    progressIntervalMs: 250,
    serverSideCopy,
  },
});
const baseline = await createTestDatabase('regional', 'benchbase');
try {
  console.log(`seeding: ${LAYOUTS} layouts (+revisions), 10 themes, ${IMAGES} images × ${IMAGE_BYTES} B …`);
  let t = performance.now();
  const seeded = await env.seedTenant('EU', {
    layouts: LAYOUTS,
    themes: 10,
    assets: IMAGES,
    assetBytes: IMAGE_BYTES,
  });
  console.log(
    `seeded ${seeded.rows} rows, ${seeded.objects} objects, ${(seeded.bytes / 1e6).toFixed(0)} MB in ${ms(since(t))}`,
  );

  // Baseline: pg_dump | psql of the same rows, then rclone copy of the same objects.
  const eu = env.config.regions[0]!;
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
  t = performance.now();
  await sh(
    `pg_dump --data-only --no-owner ${tables.map((x) => `-t ${x}`).join(' ')} '${eu.databaseUrl}' | psql -q -v ON_ERROR_STOP=1 '${baseline.url}'`,
  );
  const pgMs = since(t);
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
  t = performance.now();
  await sh(
    `rclone copy --transfers 16 --checkers 16 local:${eu.bucket}/tenants/${seeded.tenantId} local:${baseBucket}/tenants/${seeded.tenantId}`,
    rcloneEnv,
  );
  const rcloneMs = since(t);
  const { stdout } = await run('rclone', ['size', '--json', `local:${baseBucket}`], { env: rcloneEnv });
  const baseCopied = JSON.parse(stdout) as { count: number; bytes: number };
  if (baseCopied.count !== seeded.objects) throw new Error(`rclone copied ${baseCopied.count} objects`);

  // Ours: the real pipeline through the real worker (BullMQ), Atlassian-style schedule/start/commit.
  const workers = await startWorkers(env.deps);
  const t0 = performance.now();
  const m = await env.coordinator.schedule({
    tenantId: seeded.tenantId,
    externalId: 'bench',
    location: 'US',
    windowEnd: new Date(Date.now() + 3_600_000),
    origin: 'atlassian',
    autoCommit: false,
  });
  await env.waitFor(
    async () =>
      ((await env.coordinator.get(m.id))?.progress as { phase?: string } | undefined)?.phase === 'pre-copied',
    600_000,
    'pre-copy',
  );
  const preCopyMs = since(t0);
  const tStart = performance.now();
  await env.coordinator.start((await env.coordinator.get(m.id))!);
  const ready = await env.waitForState(m.id, ['ready_to_commit', 'failed'], 600_000);
  const freezeMs = since(tStart);
  if (ready.state !== 'ready_to_commit') throw new Error(`migration ${ready.state}: ${ready.errorMessage}`);
  await env.coordinator.commit(ready);
  const totalMs = since(t0);
  const report = (await env.coordinator.get(m.id))?.report as Record<string, unknown>;
  await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt, 600_000, 'cleanup');
  await workers.close();

  const baselineMs = pgMs + rcloneMs;
  const d = report.durations as Record<string, number>;
  console.log('\n| step | time |');
  console.log('|---|---|');
  console.log(`| baseline pg_dump \\| psql (${seeded.rows} rows) | ${ms(pgMs)} |`);
  console.log(
    `| baseline rclone copy (${seeded.objects} objects, ${(seeded.bytes / 1e6).toFixed(0)} MB, 16 transfers) | ${ms(rcloneMs)} |`,
  );
  console.log(`| **baseline total** | **${ms(baselineMs)}** |`);
  console.log(
    `| migration pre-copy (schedule → pre-copied, tenant live; ${serverSideCopy ? 'CopyObject + read-back sha256' : 'GET + sha256 + PUT'}) | ${ms(preCopyMs)} |`,
  );
  console.log(`| migration freeze window (start → ready-to-commit, incl. verify) | ${ms(freezeMs)} |`);
  console.log(
    `|  … rows delta / objects delta / verify (worker) | ${ms(d.copyRowsMs ?? 0)} / ${ms(d.copyObjectsMs ?? 0)} / ${ms(d.verifyMs ?? 0)} |`,
  );
  console.log(`| **migration end to end (schedule → committed)** | **${ms(totalMs)}** |`);
  console.log(`| ratio end to end / baseline | ${(totalMs / baselineMs).toFixed(2)}× (goal ≤ 0.8×) |`);
  console.log(`| freeze window goal ≤ 1 s | ${freezeMs <= 1000 ? 'met' : 'NOT met'} |`);
  console.log(
    `| rows moved during the freeze (changed / deleted since the pre-copy) | ${d.rowsChangedDuringFreeze ?? 0} / ${d.rowsDeletedDuringFreeze ?? 0} |`,
  );
  console.log(`| verified | rows ${report.rowsTotal}, objects ${report.objects}, bytes ${report.bytes} |`);
} finally {
  await env.close();
  await baseline.drop();
  s3Process.kill('SIGTERM');
}
process.exit(0);
