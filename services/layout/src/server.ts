import { loadConfigOrExit } from '@rt/config';
import { authorizeThroughRouter } from '@rt/confluence';
import { createPgPool, createRegionalClient } from '@rt/db';
import { serve } from '@rt/http';
import { createRedis } from '@rt/queue';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfigOrExit(loadConfig);
const connection = { url: config.region.databaseUrl, poolSize: config.dbPoolSize };
const db = createRegionalClient(connection);
const pool = createPgPool(connection);
// The tenant-change bus: one connection publishes document-changed notices, one listens. The
// publisher fails at once while Redis is away instead of holding a write's answer.
const redis = createRedis(config.region.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
const subscriber = createRedis(config.region.redisUrl);
// Writes are checked against the tenant's Confluence through this region's router.
const authorize = authorizeThroughRouter(config.routerInternalUrl);
const app = await buildApp({
  authorize,
  internalTokenSecret: config.internalTokenSecret,
  db,
  pool,
  tenantBus: { publisher: redis, subscriber, ...config.documentCache },
  logLevel: config.logLevel,
});
await serve(app, {
  host: config.host,
  port: config.port,
  metrics: config.metrics,
  onShutdown: async () => {
    await db.$disconnect();
    await pool.end();
    redis.disconnect();
    subscriber.disconnect();
  },
});
