import { loadConfigOrExit } from '@rt/config';
import { createDirectoryClient } from '@rt/db';
import { serve } from '@rt/http';
import { createRedis } from '@rt/queue';
import { MigrationCoordinator, MigrationJobs, publishTenantChanged } from '@rt/residency';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfigOrExit(loadConfig);
const directory = createDirectoryClient({ url: config.directoryDatabaseUrl, poolSize: config.dbPoolSize });
const redis = createRedis(config.region.redisUrl);
// Tenant-change broadcasts go to every region's Redis (each region's routers subscribe there).
const regionRedis = config.regions.regions.map((r) =>
  r.id === config.region.id ? redis : createRedis(r.redisUrl, { lazyConnect: true }),
);
const jobs = new MigrationJobs({ connection: redis });
const coordinator = new MigrationCoordinator({
  directory,
  resolveLocation: (location) => config.regions.resolveLocation(location),
  jobs,
  publishTenantChanged: (tenantId) => publishTenantChanged(regionRedis, tenantId),
  limits: config.limits,
});
const app = await buildApp({
  internalTokenSecret: config.internalTokenSecret,
  directory,
  redis,
  coordinator,
  logLevel: config.logLevel,
});
await serve(app, {
  host: config.host,
  port: config.port,
  onShutdown: async () => {
    await jobs.close();
    await directory.$disconnect();
    for (const r of regionRedis) r.disconnect();
  },
});
