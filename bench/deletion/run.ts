// Benchmark (issue 7): purge of a 10 000-row, 2 000-object tenant by the worker's deletion vs
// `rclone purge` of the same prefix plus the equivalent SQL DELETEs. One bounded run, loopback
// only (local Postgres, local s3rver). Run: npm run bench:deletion
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { purgeNow, runDeletion } from '@rt/deletion';
import { JobProducer } from '@rt/queue';
import { redisTestPrefix, testRedisUrl } from '@rt/testing';
import { deletionContext } from '../../services/worker/src/jobs/deletion.js';
import {
  BENCH_SHAPE,
  countObjects,
  countRows,
  createTenant,
  createWorld,
  rowsOf,
  seedTenant,
} from '../../services/worker/test/support/world.js';

const run = promisify(execFile);
const BUDGET_MS = 180_000;
const started = performance.now();
const guard = setTimeout(() => {
  process.stderr.write('bench exceeded its time budget\n');
  process.exit(2);
}, BUDGET_MS);

const prefix = redisTestPrefix('bench-deletion');
const world = await createWorld({ label: 'bench', redisUrl: testRedisUrl(), queuePrefix: prefix });
const producer = new JobProducer('deletion', { connection: world.redis, prefix });
const eu = world.regions.get('EU');
if (!eu) throw new Error('no EU region');

const ms = (t0: number) => Math.round(performance.now() - t0);

try {
  // 1. Ours: operator purge → the deletion job (both regions scanned, EU holds the data).
  const ours = await createTenant(world.directory, {
    clientKey: 'bench-ours',
    homeRegion: 'EU',
    state: 'uninstalled',
  });
  let t0 = performance.now();
  const seededOurs = await seedTenant(eu, ours, BENCH_SHAPE);
  const seedMs = ms(t0);
  t0 = performance.now();
  const { deletion } = await purgeNow(world.directory, producer, { clientKey: 'bench-ours' }, world.clock);
  const outcome = await runDeletion(deletionContext(world.deps('EU')), deletion.id);
  const oursMs = ms(t0);
  if (outcome.status !== 'done') throw new Error(`deletion ended ${outcome.status}`);
  const oursLeft = {
    rows: await countRows(eu.pool, ours),
    objects: await countObjects(eu.s3, eu.bucket, ours),
  };

  // 2. Baseline: the same shape, removed by rclone purge + plain SQL DELETEs (children first).
  const base = await createTenant(world.directory, {
    clientKey: 'bench-base',
    homeRegion: 'EU',
    state: 'uninstalled',
  });
  await seedTenant(eu, base, BENCH_SHAPE);
  const env = { ...process.env };
  delete env.AWS_CA_BUNDLE;
  const remote = `:s3,provider=Other,env_auth=false,access_key_id=S3RVER,secret_access_key=S3RVER,endpoint='${world.s3Endpoint}',force_path_style=true:${eu.bucket}/tenants/${base}`;
  t0 = performance.now();
  await run('rclone', ['purge', remote], { env, timeout: 120_000 });
  const rcloneMs = ms(t0);
  t0 = performance.now();
  const c = await eu.pool.connect();
  try {
    await c.query('BEGIN');
    for (const table of [
      'asset_references',
      'assets',
      'space_themes',
      'theme_revisions',
      'themes',
      'layout_revisions',
      'layouts',
      'tenant_settings',
    ]) {
      await c.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [base]);
    }
    await c.query('COMMIT');
  } finally {
    c.release();
  }
  const sqlMs = ms(t0);
  const baseLeft = {
    rows: await countRows(eu.pool, base),
    objects: await countObjects(eu.s3, eu.bucket, base),
  };

  const baselineMs = rcloneMs + sqlMs;
  const lines = [
    `tenant: ${rowsOf(BENCH_SHAPE)} rows, ${seededOurs.objects} objects (64 B each) in EU; US scanned too (empty); seeding took ${seedMs} ms`,
    '',
    '| run | time (ms) | left afterwards |',
    '|---|---:|---|',
    `| ours: purgeNow + deletion job (objects + rows, both regions, receipt) | ${oursMs} | ${oursLeft.rows} rows, ${oursLeft.objects} objects |`,
    `| baseline: rclone purge of tenants/{id}/ | ${rcloneMs} | |`,
    `| baseline: SQL DELETEs (8 tables, one transaction) | ${sqlMs} | |`,
    `| baseline total | ${baselineMs} | ${baseLeft.rows} rows, ${baseLeft.objects} objects |`,
    `| **ratio ours / baseline** | **${(oursMs / baselineMs).toFixed(2)}×** | goal ≤ 1.0× |`,
    '',
    `total bench time ${ms(started)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  clearTimeout(guard);
  await producer.queue.obliterate({ force: true }).catch(() => undefined);
  await producer.close();
  await world.close();
}
