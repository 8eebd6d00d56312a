import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { RegionSettings } from '@rt/config';
import { createDirectoryClient, createPgPool, createRegionalClient, type DirectoryDb } from '@rt/db';
import { publishTenantChangedToRegions } from '@rt/directory';
import { createLogger } from '@rt/http';
import { createRedis, type Redis } from '@rt/queue';
import { type Migration, MigrationCoordinator, MigrationJobs, type MigrationLimits } from '@rt/residency';
import { assetKey, createS3Client, ensureBucket } from '@rt/storage';
import {
  createTestDatabase,
  redisTestPrefix,
  startLocalS3,
  type TestDatabase,
  testRedisUrl,
} from '@rt/testing';
import { buildApp } from '../../src/app.js';
import type { RegionHandle, WorkerDeps } from '../../src/deps.js';
import type { MigrationTuning } from '../../src/migration/context.js';
import { listObjects } from '../../src/migration/objects.js';
import { checksumTenantRows } from '../../src/migration/rows.js';
import { closeWorkerState, createWorkerDeps } from '../../src/worker-state.js';

/** Everything a child-process worker needs to join a test's environment (passed as JSON). */
export interface WorkerTestConfig {
  directoryUrl: string;
  regions: RegionSettings[];
  redisUrl: string;
  prefix: string;
  /** Tuning of the worker's migration jobs (small batches give a test something to interrupt). */
  tuning?: Partial<MigrationTuning>;
  /** Key of region-export tokens, and each region's export endpoint (the env's export servers). */
  exportSecret: string;
  exportUrls: Record<string, string>;
}

/** Builds worker deps from a test config (in-process tests and the child-process entry). */
export function depsFromConfig(
  config: WorkerTestConfig,
  region = 'EU',
  options: { now?: () => Date } = {},
): WorkerDeps {
  // Only regions whose database URL the config holds get a handle, as in server.ts.
  const regions = new Map<string, RegionHandle>(
    config.regions.flatMap((settings) =>
      settings.databaseUrl
        ? [
            [
              settings.id,
              {
                settings,
                db: createRegionalClient({ url: settings.databaseUrl, poolSize: 2 }),
                pool: createPgPool({ url: settings.databaseUrl, poolSize: 6 }),
                s3: createS3Client(settings),
                bucket: settings.bucket,
              },
            ] as const,
          ]
        : [],
    ),
  );
  const own = config.regions.find((r) => r.id === region);
  return createWorkerDeps(
    {
      region,
      directory: createDirectoryClient({ url: config.directoryUrl, poolSize: 4 }),
      regions,
      regionTable: config.regions,
      // The same exportUrls object: the tests fill it in once the export endpoints listen.
      regionExport: { exportSecret: config.exportSecret, exportUrls: config.exportUrls },
      redis: createRedis(own?.redisUrl ?? config.redisUrl),
      queuePrefix: config.prefix,
      logger: createLogger('worker-test', process.env.TEST_LOG_LEVEL ?? 'silent'),
      now: options.now ?? (() => new Date()),
    },
    { tuning: config.tuning },
  );
}

/** Closes what {@link depsFromConfig} opened. */
export async function closeDeps(deps: WorkerDeps): Promise<void> {
  await closeWorkerState(deps);
  await deps.directory.$disconnect();
  for (const r of deps.regions.values()) {
    await r.db.$disconnect();
    await r.pool.end();
    r.s3.destroy();
  }
  deps.redis.disconnect();
}

/** A seeded tenant: its id and what was written. */
export interface SeededTenant {
  tenantId: string;
  clientKey: string;
  rows: number;
  objects: number;
  bytes: number;
}

/**
 * A two-region test environment: a directory database, EU and US regional databases, one
 * s3rver with a bucket per region, and a unique Redis prefix.
 */
export class MigrationEnv {
  config!: WorkerTestConfig;
  deps!: WorkerDeps;
  coordinator!: MigrationCoordinator;
  jobs!: MigrationJobs;
  private dbs: TestDatabase[] = [];
  private s3Close?: () => Promise<void>;
  /** s3rver's directory when this env started it (undefined with an external S3 endpoint). */
  s3Directory?: string;
  private closers: (() => Promise<void> | void)[] = [];

  static async create(
    label: string,
    options: {
      redisUrl?: string /** An S3 server run elsewhere (bench: its own process). */;
      s3Endpoint?: string;
      /** The US region's own Redis (default: the same as EU; separate queues need another). */
      usRedisUrl?: string;
      /** Injected clock of the worker and the coordinator (tests that move time). */
      now?: () => Date;
      /** Tuning of the worker's migration jobs (also passed to child-process workers). */
      tuning?: Partial<MigrationTuning>;
    } = {},
  ): Promise<MigrationEnv> {
    const env = new MigrationEnv();
    const [dir, eu, us] = await Promise.all([
      createTestDatabase('directory', label),
      createTestDatabase('regional', `${label}eu`),
      createTestDatabase('regional', `${label}us`),
    ]);
    env.dbs = [dir, eu, us];
    const buckets = { EU: `rt-t-${label}-eu`.toLowerCase(), US: `rt-t-${label}-us`.toLowerCase() };
    const s3 = options.s3Endpoint
      ? { endpoint: options.s3Endpoint, directory: undefined, close: async () => undefined }
      : await startLocalS3({ buckets: Object.values(buckets) });
    env.s3Close = s3.close;
    env.s3Directory = s3.directory;
    const redisUrl = options.redisUrl ?? testRedisUrl();
    const region = (id: 'EU' | 'US', url: string): RegionSettings => ({
      id,
      awsRegion: id === 'EU' ? 'eu-central-1' : 'us-east-1',
      databaseUrl: url,
      redisUrl: id === 'US' ? (options.usRedisUrl ?? redisUrl) : redisUrl,
      bucket: buckets[id],
      s3Endpoint: s3.endpoint,
      baseUrl: `https://${id.toLowerCase()}.example.test`,
    });
    env.config = {
      directoryUrl: dir.url,
      regions: [region('EU', eu.url), region('US', us.url)],
      redisUrl,
      prefix: redisTestPrefix(label),
      exportSecret: randomBytes(24).toString('hex'),
      exportUrls: {},
      tuning: options.tuning,
    };
    env.deps = depsFromConfig(env.config, 'EU', { now: options.now });
    // Each region's export endpoint (the worker's HTTP side), as the other region reaches it.
    for (const id of ['EU', 'US'] as const) {
      env.config.exportUrls[id] = await env.serveExport({ ...env.deps, region: id });
    }
    if (options.s3Endpoint) {
      for (const r of env.deps.regions.values()) await ensureBucket(r.s3, r.bucket, { create: true });
    }
    env.jobs = new MigrationJobs({ connection: env.deps.redis, prefix: env.config.prefix });
    const publisher = env.deps.redis;
    env.coordinator = env.makeCoordinator({ enabled: true, maxConcurrent: 5, maxDurationHours: 2 }, [
      publisher,
    ]);
    return env;
  }

  /** A coordinator as the hooks/ops build it, with the given limits. */
  makeCoordinator(limits: MigrationLimits, publishers: Redis[] = [this.deps.redis]): MigrationCoordinator {
    return new MigrationCoordinator({
      directory: this.deps.directory,
      resolveLocation: (l) =>
        this.config.regions.find((r) => r.id === (l.toUpperCase() === 'DE' ? 'EU' : l.toUpperCase())),
      jobs: this.jobs,
      publishTenantChanged: (tenantId) => publishTenantChangedToRegions(publishers, tenantId),
      limits,
      now: this.deps.now,
    });
  }

  /** Serves a worker's HTTP side (with the region-export endpoint) on a free port; its URL. */
  async serveExport(deps: WorkerDeps): Promise<string> {
    const app = await buildApp(deps);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    this.onClose(() => app.close());
    return url;
  }

  get directory(): DirectoryDb {
    return this.deps.directory;
  }

  region(id: 'EU' | 'US'): RegionHandle {
    return this.deps.regions.get(id) as RegionHandle;
  }

  /** Creates a tenant homed in `home` and seeds layouts, themes, revisions, assets (with objects). */
  async seedTenant(
    home: 'EU' | 'US',
    size: { layouts: number; themes: number; assets: number; assetBytes?: number },
  ): Promise<SeededTenant> {
    const clientKey = `client-${randomUUID()}`;
    const tenant = await this.directory.tenant.create({
      data: { clientKey, baseUrl: 'https://example.atlassian.net', homeRegion: home },
    });
    const tenantId = tenant.id;
    const { pool, s3, bucket } = this.region(home);
    let rows = 0;
    await pool.query('INSERT INTO tenant_settings (tenant_id, allow_space_themes) VALUES ($1, true)', [
      tenantId,
    ]);
    rows++;
    const layoutIds: string[] = [];
    for (let i = 0; i < size.layouts; i += 500) {
      const n = Math.min(500, size.layouts - i);
      const { rows: created } = await pool.query<{ id: string }>(
        `INSERT INTO layouts (tenant_id, name, scope, content, version, created_at, updated_at)
         SELECT $1, 'Layout ' || g, CASE WHEN g % 3 = 0 THEN 'site' ELSE 'space:S' || g END,
                jsonb_build_object('blocks', jsonb_build_array(jsonb_build_object('type', 'text', 'text', md5(g::text))), 'n', g),
                2, now() - (g || ' minutes')::interval, now()
           FROM generate_series($2::int, $3::int) g RETURNING id`,
        [tenantId, i, i + n - 1],
      );
      layoutIds.push(...created.map((r) => r.id));
      await pool.query(
        `INSERT INTO layout_revisions (tenant_id, layout_id, version, name, scope, schema_version, content)
         SELECT tenant_id, id, 1, name, scope, schema_version, content FROM layouts WHERE id = ANY($1::uuid[])`,
        [created.map((r) => r.id)],
      );
      rows += n * 2;
    }
    const themeIds: string[] = [];
    for (let i = 0; i < size.themes; i++) {
      const { rows: t } = await pool.query<{ id: string }>(
        `INSERT INTO themes (tenant_id, name, tokens, images, is_default) VALUES ($1, $2, $3, '{}', $4) RETURNING id`,
        [
          tenantId,
          `Theme ${i}`,
          JSON.stringify({ color: `#${(i * 4567).toString(16).padStart(6, '0')}` }),
          i === 0,
        ],
      );
      const id = (t[0] as { id: string }).id;
      themeIds.push(id);
      await pool.query(
        `INSERT INTO theme_revisions (tenant_id, theme_id, version, name, scope, schema_version, tokens, images)
         SELECT tenant_id, id, 1, name, scope, schema_version, tokens, images FROM themes WHERE id = $1`,
        [id],
      );
      await pool.query('INSERT INTO space_themes (tenant_id, space_key, theme_id) VALUES ($1, $2, $3)', [
        tenantId,
        `SP${i}`,
        id,
      ]);
      rows += 3;
    }
    let bytes = 0;
    const assetBytes = size.assetBytes ?? 2048;
    for (let i = 0; i < size.assets; i++) {
      const body = randomBytes(assetBytes);
      const sha = createHash('sha256').update(body).digest('hex');
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: assetKey(tenantId, sha),
          Body: body,
          ContentLength: body.length,
        }),
      );
      const { rows: a } = await pool.query<{ id: string }>(
        `INSERT INTO assets (tenant_id, sha256, md5, media_type, size, width, height) VALUES ($1, $2, $3, 'image/png', $4, 10, 10) RETURNING id`,
        [tenantId, sha, createHash('md5').update(body).digest('hex'), body.length],
      );
      const doc =
        i % 2 === 0 && layoutIds.length
          ? ['layout', layoutIds[i % layoutIds.length]]
          : ['theme', themeIds[i % Math.max(1, themeIds.length)]];
      if (doc[1]) {
        await pool.query(
          'INSERT INTO asset_references (tenant_id, asset_id, document_type, document_id) VALUES ($1, $2, $3, $4)',
          [tenantId, (a[0] as { id: string }).id, doc[0], doc[1]],
        );
        rows++;
      }
      rows++;
      bytes += body.length;
    }
    return { tenantId, clientKey, rows, objects: size.assets, bytes };
  }

  /** Row checksums and the object list of a tenant in one region (to compare regions). */
  async snapshot(region: 'EU' | 'US', tenantId: string) {
    const r = this.region(region);
    const rows = await checksumTenantRows(r.pool, tenantId, 'text');
    const objects = await listObjects({ s3: r.s3, bucket: r.bucket }, tenantId);
    return {
      rows,
      rowCount: Object.values(rows).reduce((a, t) => a + t.count, 0),
      objects: [...objects.entries()].map(([k, o]) => `${k}:${o.size}:${o.etag}`).sort(),
    };
  }

  /** Polls until `check` returns a value (no fixed sleeps). */
  async waitFor<T>(
    check: () => Promise<T | undefined | null | false>,
    timeoutMs = 60_000,
    what = 'condition',
  ): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await check();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits until the migration is in one of `states`. */
  waitForState(id: string, states: string[], timeoutMs = 60_000): Promise<Migration> {
    return this.waitFor(
      async () => {
        const m = await this.directory.migration.findUnique({ where: { id } });
        return m && states.includes(m.state) ? m : undefined;
      },
      timeoutMs,
      `migration in ${states.join('|')}`,
    );
  }

  onClose(fn: () => Promise<void> | void): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    for (const c of this.closers.reverse()) await c();
    await this.jobs?.queue.obliterate({ force: true }).catch(() => undefined);
    await this.jobs?.close();
    if (this.deps) await closeDeps(this.deps);
    await this.s3Close?.();
    await Promise.all(this.dbs.map((d) => d.drop()));
  }
}
