import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  createDirectoryClient,
  createPgPool,
  createRegionalClient,
  type DirectoryDb,
  type PgPool,
  type RegionalDb,
  raiseWriteFence,
} from '@rt/db';
import { createLogger } from '@rt/http';
import { createRedis, JobProducer, type Redis } from '@rt/queue';
import { assetKey, createS3Client } from '@rt/storage';
import {
  createTestDatabase,
  type LocalS3,
  redisTestPrefix,
  startLocalS3,
  type TestDatabase,
  testRedisUrl,
} from '@rt/testing';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionHandle } from '../src/deps.js';
import { ASSET_GC_GRACE_MS, collectUnusedAssets, scheduleAssetGc } from '../src/jobs/asset-gc.js';
import { closeWorkerState, createWorkerDeps } from '../src/worker-state.js';
import { startWorkers } from '../src/workers.js';

const bucket = 'rt-test-asset-gc';
const HOUR = 3600_000;
let database: TestDatabase;
let directoryDatabase: TestDatabase;
let directory: DirectoryDb;
let s3server: LocalS3;
let s3: S3Client;
let pool: PgPool;
let db: RegionalDb;
let redis: Redis;
let region: RegionHandle;
const now = new Date('2026-11-25T12:00:00Z');

beforeAll(async () => {
  [database, directoryDatabase, s3server] = await Promise.all([
    createTestDatabase('regional', 'assetgc'),
    createTestDatabase('directory', 'assetgc'),
    startLocalS3({ buckets: [bucket] }),
  ]);
  directory = createDirectoryClient({ url: directoryDatabase.url, poolSize: 1 });
  pool = createPgPool({ url: database.url, poolSize: 3 });
  db = createRegionalClient({ url: database.url, poolSize: 1 });
  s3 = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3server.endpoint });
  redis = createRedis(testRedisUrl());
  region = {
    settings: {
      id: 'EU',
      awsRegion: 'eu-central-1',
      databaseUrl: database.url,
      redisUrl: testRedisUrl(),
      bucket,
      s3Endpoint: s3server.endpoint,
      baseUrl: 'http://127.0.0.1',
    },
    db,
    pool,
    s3,
    bucket,
  };
});

afterAll(async () => {
  redis?.disconnect();
  s3?.destroy();
  await db?.$disconnect();
  await directory?.$disconnect();
  await pool?.end();
  await s3server?.close();
  await database?.drop();
  await directoryDatabase?.drop();
});

/** Stores an asset as the asset service would: object + row, created `ageMs` before `now`. */
async function storeAsset(tenantId: string, ageMs: number): Promise<{ id: string; key: string }> {
  const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
  const key = assetKey(tenantId, sha);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(sha) }));
  const { rows } = await pool.query(
    `INSERT INTO assets (tenant_id, sha256, media_type, size, created_at)
     VALUES ($1, $2, 'image/png', 64, $3) RETURNING id`,
    [tenantId, sha, new Date(now.getTime() - ageMs)],
  );
  return { id: rows[0].id, key };
}

async function reference(tenantId: string, assetId: string): Promise<void> {
  await pool.query(
    `INSERT INTO asset_references (tenant_id, asset_id, document_type, document_id) VALUES ($1, $2, 'theme', $3)`,
    [tenantId, assetId, randomUUID()],
  );
}

const keys = async () =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);
const exists = async (id: string) =>
  (await pool.query('SELECT 1 FROM assets WHERE id = $1', [id])).rowCount === 1;

describe('asset-gc', () => {
  it('deletes only unreferenced assets older than the grace period (row and object), idempotently', async () => {
    const t1 = randomUUID();
    const t2 = randomUUID();
    const oldUnused = await storeAsset(t1, ASSET_GC_GRACE_MS + HOUR);
    const oldUnusedOther = await storeAsset(t2, 3 * ASSET_GC_GRACE_MS);
    const oldUsed = await storeAsset(t1, ASSET_GC_GRACE_MS + HOUR);
    await reference(t1, oldUsed.id);
    const young = await storeAsset(t1, ASSET_GC_GRACE_MS - HOUR);

    const first = await collectUnusedAssets(region, now, { batchSize: 1 });
    expect(first).toMatchObject({ region: 'EU', deleted: 2 });
    expect(await exists(oldUnused.id)).toBe(false);
    expect(await exists(oldUnusedOther.id)).toBe(false);
    expect(await exists(oldUsed.id)).toBe(true);
    expect(await exists(young.id)).toBe(true);
    const left = await keys();
    expect(left).not.toContain(oldUnused.key);
    expect(left).not.toContain(oldUnusedOther.key);
    expect(left).toEqual(expect.arrayContaining([oldUsed.key, young.key]));

    expect(await collectUnusedAssets(region, now)).toMatchObject({ deleted: 0 });
    // Once the young one passes its grace period it goes too.
    const later = new Date(now.getTime() + 2 * HOUR);
    expect(await collectUnusedAssets(region, later)).toMatchObject({ deleted: 1 });
    expect(await keys()).not.toContain(young.key);
  });

  it('leaves the assets of a tenant whose writes are fenced (a migration is copying it away)', async () => {
    const tenant = randomUUID();
    const unused = await storeAsset(tenant, 2 * ASSET_GC_GRACE_MS);
    await raiseWriteFence(pool, tenant, randomUUID());
    const result = await collectUnusedAssets(region, now);
    expect(result.kept).toBeGreaterThanOrEqual(1);
    expect(await exists(unused.id)).toBe(true);
    expect(await keys()).toContain(unused.key);
  });

  it('runs as the maintenance task through BullMQ, skips migrating tenants, is scheduled once', async () => {
    const prefix = redisTestPrefix('assetgc');
    const tenant = randomUUID();
    const victim = await storeAsset(tenant, 2 * ASSET_GC_GRACE_MS);
    // A tenant being migrated: its unused asset is the migration's business, not the collector's.
    const migrating = await directory.tenant.create({
      data: { clientKey: `ck-${randomUUID()}`, baseUrl: 'https://x.atlassian.net', homeRegion: 'EU' },
    });
    await directory.migration.create({
      data: {
        tenantId: migrating.id,
        sourceRegion: 'EU',
        targetRegion: 'US',
        location: 'US',
        state: 'pre_copying',
      },
    });
    const spared = await storeAsset(migrating.id, 2 * ASSET_GC_GRACE_MS);
    const deps = createWorkerDeps({
      region: 'EU',
      directory,
      regions: new Map([['EU', region]]),
      redis,
      queuePrefix: prefix,
      logger: createLogger('worker-test', 'silent'),
      now: () => now,
    });
    const producer = new JobProducer('maintenance', { connection: redis, prefix });
    const events = new QueueEvents(producer.queue.name, { connection: redis.duplicate(), prefix });
    const workers = await startWorkers(deps);
    try {
      await events.waitUntilReady();
      const job = await producer.add('asset-gc', { task: 'asset-gc', region: 'EU' });
      const result = await job.waitUntilFinished(events, 20_000);
      expect(result).toMatchObject({ region: 'EU' });
      expect(result.deleted).toBeGreaterThanOrEqual(1);
      expect(await exists(victim.id)).toBe(false);
      expect(await exists(spared.id)).toBe(true);
      expect(await keys()).toContain(spared.key);

      await scheduleAssetGc(producer.queue, 'EU', 60_000);
      await scheduleAssetGc(producer.queue, 'EU', 120_000);
      const schedulers = await producer.queue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: 'asset-gc-EU', every: 120_000 });
    } finally {
      await workers.close();
      await closeWorkerState(deps);
      await events.close();
      await producer.queue.obliterate({ force: true });
      await producer.close();
    }
  });
});
