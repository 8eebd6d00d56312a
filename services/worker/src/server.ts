import { loadConfigOrExit } from '@rt/config';
import { createDirectoryClient, createPgPool, createRegionalClient } from '@rt/db';
import { createLogger, serve } from '@rt/http';
import { createRedis } from '@rt/queue';
import { createS3Client } from '@rt/storage';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import type { RegionHandle } from './deps.js';
import { startMigrationSweeper } from './migration/pipeline.js';
import { liftFencesOnTenantChange } from './migration/write-fence.js';
import { registerMaintenanceSchedules } from './schedules.js';
import { closeWorkerState, createWorkerDeps } from './worker-state.js';
import { startWorkers } from './workers.js';

const config = loadConfigOrExit(loadConfig);
const logger = createLogger('worker', config.logLevel);
// The worker holds the databases configured for it — on AWS only its own region's. Migrations
// reach other regions through their export endpoint and S3 server-side copy; a deletion deletes
// in the regions whose database is here and asks every other region's worker to delete there.
for (const r of config.regions.regions.filter((r) => !r.databaseUrl)) {
  logger.info({ region: r.id }, `no database of region ${r.id} here: reached through its export endpoint`);
}
const regions = new Map<string, RegionHandle>(
  config.regions.regions.flatMap((settings) => {
    if (!settings.databaseUrl) return [];
    const connection = {
      url: settings.databaseUrl,
      // At least 4: a migration's row pull holds one connection for its lock while it computes
      // digests on two more and applies the delta.
      poolSize: Math.max(4, Math.floor(config.dbPoolSize / 2)),
    };
    const handle: RegionHandle = {
      settings,
      db: createRegionalClient(connection),
      pool: createPgPool(connection),
      s3: createS3Client(settings),
      bucket: settings.bucket,
    };
    return [[settings.id, handle] as const];
  }),
);
const deps = createWorkerDeps(
  {
    region: config.region.id,
    directory: createDirectoryClient({ url: config.directoryDatabaseUrl, poolSize: config.dbPoolSize }),
    regions,
    regionTable: config.regions.regions,
    regionExport: config.migration,
    redis: createRedis(config.region.redisUrl),
    logger,
    now: () => new Date(),
    ...(config.accessLogDir
      ? { accessLog: { dir: config.accessLogDir, retentionDays: config.accessLogRetentionDays } }
      : {}),
  },
  { tuning: { etagProvesCopy: config.copyEtagIsMd5 } },
);
const workers = await startWorkers(deps);
await registerMaintenanceSchedules(deps);
const migrationSweeper = startMigrationSweeper(deps);
// A tenant whose migration was abandoned writes again as soon as the notice arrives.
const fenceSubscriber = createRedis(config.region.redisUrl);
const fenceLifts = await liftFencesOnTenantChange(deps, fenceSubscriber).catch((err) => {
  logger.warn({ err }, 'tenant-change bus not subscribed; write fences are lifted by the sweeper');
  return undefined;
});
const app = await buildApp(deps, workers);
await serve(app, {
  host: config.host,
  port: config.port,
  metrics: config.metrics,
  graceMs: 30_000,
  onShutdown: async () => {
    migrationSweeper.stop();
    await fenceLifts?.close();
    fenceSubscriber.disconnect();
    await workers.close();
    await closeWorkerState(deps);
    await deps.directory.$disconnect();
    for (const r of regions.values()) {
      await r.db.$disconnect();
      await r.pool.end();
      r.s3.destroy();
    }
    deps.redis.disconnect();
  },
});
