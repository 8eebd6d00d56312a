import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RegionSettings } from '@rt/config';
import {
  createDirectoryClient,
  createPgPool,
  createRegionalClient,
  type DirectoryDb,
  type PgPool,
} from '@rt/db';
import { createLogger } from '@rt/http';
import { createRedis, type Redis } from '@rt/queue';
import { assetKey, createS3Client, listTenantObjects } from '@rt/storage';
import { createTestDatabase, type LocalS3, startLocalS3, type TestDatabase } from '@rt/testing';
import type { RegionHandle, WorkerDeps } from '../../src/deps.js';
import { closeWorkerState, createWorkerDeps, type WorkerResources } from '../../src/worker-state.js';

/** A mutable clock the tests move forward. */
export class TestClock {
  constructor(public current: Date) {}
  now = (): Date => new Date(this.current);
  set(date: Date): void {
    this.current = date;
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 24 * 3600 * 1000);
  }
}

/** Two regions (EU, US) with real Postgres databases and buckets, plus a directory. */
export interface World {
  directoryUrl: string;
  regionUrls: Record<string, string>;
  buckets: Record<string, string>;
  s3Endpoint: string;
  redisUrl: string;
  directory: DirectoryDb;
  regions: Map<string, RegionHandle>;
  redis: Redis;
  clock: TestClock;
  /** Worker deps for the given home region (their state is closed with the world). */
  deps(region: string, overrides?: Partial<WorkerResources>): WorkerDeps;
  close(): Promise<void>;
}

/** Creates the world: 3 test databases, s3rver with two buckets, a Redis connection to `redisUrl`. */
export async function createWorld(options: {
  label: string;
  redisUrl: string;
  queuePrefix?: string;
  s3?: LocalS3;
}): Promise<World> {
  const dbs: TestDatabase[] = await Promise.all([
    createTestDatabase('directory', `${options.label}d`),
    createTestDatabase('regional', `${options.label}eu`),
    createTestDatabase('regional', `${options.label}us`),
  ]);
  const [dir, eu, us] = dbs as [TestDatabase, TestDatabase, TestDatabase];
  const buckets = { EU: 'rt-assets-eu', US: 'rt-assets-us' };
  const s3server = options.s3 ?? (await startLocalS3({ buckets: Object.values(buckets) }));
  const regionUrls: Record<string, string> = { EU: eu.url, US: us.url };
  const regions = new Map<string, RegionHandle>();
  for (const id of ['EU', 'US'] as const) {
    const settings: RegionSettings = {
      id,
      awsRegion: id === 'EU' ? 'eu-central-1' : 'us-east-1',
      databaseUrl: regionUrls[id] as string,
      redisUrl: options.redisUrl,
      bucket: buckets[id],
      s3Endpoint: s3server.endpoint,
      baseUrl: `https://${id.toLowerCase()}.example.test`,
    };
    const conn = { url: settings.databaseUrl!, poolSize: 4 };
    regions.set(id, {
      settings,
      db: createRegionalClient(conn),
      pool: createPgPool(conn),
      s3: createS3Client(settings),
      bucket: settings.bucket,
    });
  }
  const directory = createDirectoryClient({ url: dir.url, poolSize: 4 });
  const redis = createRedis(options.redisUrl);
  const clock = new TestClock(new Date('2026-01-01T10:00:00.000Z'));
  const logger = createLogger('worker-test', 'silent');
  const built: WorkerDeps[] = [];
  return {
    directoryUrl: dir.url,
    regionUrls,
    buckets,
    s3Endpoint: s3server.endpoint,
    redisUrl: options.redisUrl,
    directory,
    regions,
    redis,
    clock,
    deps(region, overrides = {}) {
      const deps = createWorkerDeps({
        region,
        directory,
        regions,
        redis,
        queuePrefix: options.queuePrefix,
        logger,
        now: clock.now,
        ...overrides,
      });
      built.push(deps);
      return deps;
    },
    async close() {
      for (const deps of built.splice(0)) await closeWorkerState(deps);
      await directory.$disconnect();
      for (const r of regions.values()) {
        await r.db.$disconnect();
        await r.pool.end();
        r.s3.destroy();
      }
      redis.disconnect();
      if (!options.s3) await s3server.close();
      await Promise.all(dbs.map((d) => d.drop()));
    },
  };
}

/** Creates a tenant row in the directory. */
export async function createTenant(
  db: DirectoryDb,
  input: { clientKey: string; homeRegion: string; state?: 'active' | 'uninstalled' },
): Promise<string> {
  const t = await db.tenant.create({
    data: {
      clientKey: input.clientKey,
      baseUrl: `https://${input.clientKey}.atlassian.net/wiki`,
      sharedSecretEnc: Buffer.from('sealed-secret-bytes'),
      homeRegion: input.homeRegion,
      state: input.state ?? 'active',
    },
  });
  return t.id;
}

/** How much data to seed for a tenant in one region. */
export interface SeedShape {
  layouts: number;
  revisionsPerLayout: number;
  themes: number;
  spaceThemes: number;
  assets: number;
  references: number;
}

/** 10 000 rows and 2 000 objects (the benchmark's tenant). */
export const BENCH_SHAPE: SeedShape = {
  layouts: 1500,
  revisionsPerLayout: 2,
  themes: 500,
  spaceThemes: 500,
  assets: 2000,
  references: 1999,
};

/** Rows a shape produces (incl. one tenant_settings row). */
export const rowsOf = (s: SeedShape): number =>
  s.layouts * (1 + s.revisionsPerLayout) + s.themes * 2 + s.spaceThemes + s.assets + s.references + 1;

/**
 * Seeds rows in every regional table and one object per asset under the tenant's prefix.
 * Set-based SQL (generate_series), so 10 000 rows take a moment, not minutes.
 */
export async function seedTenant(
  region: { pool: PgPool; s3: S3Client; bucket: string },
  tenantId: string,
  shape: SeedShape,
): Promise<{ rows: number; objects: number }> {
  const c = await region.pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO layouts (tenant_id, name, scope, content)
       SELECT $1, 'layout ' || g, 'site', jsonb_build_object('blocks', g) FROM generate_series(1, $2::int) g`,
      [tenantId, shape.layouts],
    );
    await c.query(
      `INSERT INTO layout_revisions (tenant_id, layout_id, version, name, scope, schema_version, content)
       SELECT l.tenant_id, l.id, v, l.name, l.scope, 1, l.content FROM layouts l, generate_series(1, $2::int) v
        WHERE l.tenant_id = $1`,
      [tenantId, shape.revisionsPerLayout],
    );
    await c.query(
      `INSERT INTO themes (tenant_id, name, tokens) SELECT $1, 'theme ' || g, '{}'::jsonb FROM generate_series(1, $2::int) g`,
      [tenantId, shape.themes],
    );
    await c.query(
      `INSERT INTO theme_revisions (tenant_id, theme_id, version, name, scope, schema_version, tokens, images)
       SELECT tenant_id, id, 1, name, scope, 1, tokens, images FROM themes WHERE tenant_id = $1`,
      [tenantId],
    );
    await c.query(
      `INSERT INTO space_themes (tenant_id, space_key, theme_id)
       SELECT $1, 'SP' || g, (SELECT id FROM themes WHERE tenant_id = $1 LIMIT 1) FROM generate_series(1, $2::int) g`,
      [tenantId, shape.spaceThemes],
    );
    await c.query(
      `INSERT INTO assets (tenant_id, sha256, media_type, size)
       SELECT t.id, encode(sha256((t.id::text || ':' || g)::bytea), 'hex'), 'image/png', 64
         FROM (SELECT $1::uuid AS id) t, generate_series(1, $2::int) g`,
      [tenantId, shape.assets],
    );
    await c.query(
      `INSERT INTO asset_references (tenant_id, asset_id, document_type, document_id)
       SELECT a.tenant_id, a.id, 'layout', l.id FROM
         (SELECT id, tenant_id, row_number() OVER (ORDER BY id) n FROM assets WHERE tenant_id = $1) a
         JOIN (SELECT id, row_number() OVER (ORDER BY id) n FROM layouts WHERE tenant_id = $1) l
           ON l.n = ((a.n - 1) % $3::int) + 1
        WHERE a.n <= $2::int`,
      [tenantId, shape.references, Math.max(1, shape.layouts)],
    );
    await c.query('INSERT INTO tenant_settings (tenant_id) VALUES ($1)', [tenantId]);
    await c.query('COMMIT');
    const { rows } = await c.query<{ sha256: string }>('SELECT sha256 FROM assets WHERE tenant_id = $1', [
      tenantId,
    ]);
    const body = Buffer.alloc(64, 7);
    const queue = rows.map((r) => assetKey(tenantId, r.sha256));
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let key = queue.pop(); key; key = queue.pop()) {
          await region.s3.send(
            new PutObjectCommand({ Bucket: region.bucket, Key: key, Body: body, ContentType: 'image/png' }),
          );
        }
      }),
    );
    return { rows: rowsOf(shape), objects: rows.length };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** Rows of a tenant in every tenant table of a region. */
export async function countRows(pool: PgPool, tenantId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM layouts WHERE tenant_id = $1) + (SELECT count(*) FROM layout_revisions WHERE tenant_id = $1)
          + (SELECT count(*) FROM themes WHERE tenant_id = $1) + (SELECT count(*) FROM theme_revisions WHERE tenant_id = $1)
          + (SELECT count(*) FROM space_themes WHERE tenant_id = $1) + (SELECT count(*) FROM assets WHERE tenant_id = $1)
          + (SELECT count(*) FROM asset_references WHERE tenant_id = $1) + (SELECT count(*) FROM tenant_settings WHERE tenant_id = $1) AS n`,
    [tenantId],
  );
  return Number(rows[0]?.n);
}

/** Objects under a tenant's prefix in a bucket. */
export async function countObjects(s3: S3Client, bucket: string, tenantId: string): Promise<number> {
  let n = 0;
  for await (const page of listTenantObjects(s3, bucket, tenantId)) n += page.length;
  return n;
}
