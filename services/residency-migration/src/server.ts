import { loadConfigOrExit } from '@rt/config';
import { createDirectoryClient } from '@rt/db';
import { serve } from '@rt/http';
import { createRedis } from '@rt/queue';
import { createCoordinatorRuntime } from '@rt/residency';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfigOrExit(loadConfig);
const directory = createDirectoryClient({ url: config.directoryDatabaseUrl, poolSize: config.dbPoolSize });
const redis = createRedis(config.region.redisUrl);
const runtime = createCoordinatorRuntime({
  directory,
  regions: config.regions,
  redis,
  regionId: config.region.id,
  limits: config.limits,
});
const app = await buildApp({
  internalTokenSecret: config.internalTokenSecret,
  directory,
  redis,
  coordinator: runtime.coordinator,
  logLevel: config.logLevel,
});
await serve(app, {
  host: config.host,
  port: config.port,
  metrics: config.metrics,
  onShutdown: async () => {
    await runtime.close();
    await directory.$disconnect();
    redis.disconnect();
  },
});
