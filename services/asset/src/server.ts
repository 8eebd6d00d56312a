import { loadConfigOrExit } from '@rt/config';
import { authorizeThroughRouter } from '@rt/confluence';
import { createPgPool, createRegionalClient } from '@rt/db';
import { serve } from '@rt/http';
import { createS3Client } from '@rt/storage';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfigOrExit(loadConfig);
const connection = { url: config.region.databaseUrl, poolSize: config.dbPoolSize };
const db = createRegionalClient(connection);
const pool = createPgPool(connection);
const s3 = createS3Client(config.region);
// Writes are checked against the tenant's Confluence through this region's router.
const authorize = authorizeThroughRouter(config.routerInternalUrl);
const app = await buildApp({
  authorize,
  internalTokenSecret: config.internalTokenSecret,
  db,
  pool,
  s3,
  bucket: config.region.bucket,
  assets: config.assets,
  logLevel: config.logLevel,
});
await serve(app, {
  host: config.host,
  port: config.port,
  metrics: config.metrics,
  onShutdown: async () => {
    s3.destroy();
    await db.$disconnect();
    await pool.end();
  },
});
