import { loadConfigOrExit } from '@rt/config';
import { createConfluenceAuthorize, routerPermissionOracle } from '@rt/confluence';
import { createPgPool, createRegionalClient } from '@rt/db';
import { serve } from '@rt/http';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfigOrExit(loadConfig);
const connection = { url: config.region.databaseUrl, poolSize: config.dbPoolSize };
const db = createRegionalClient(connection);
const pool = createPgPool(connection);
// Writes are checked against the tenant's Confluence through this region's router, the only
// holder of the tenants' secrets (POST /internal/v1/permissions/check).
const authorize = createConfluenceAuthorize({
  oracleFor: (request) => routerPermissionOracle(request, { routerUrl: config.routerInternalUrl }),
  allowSpaceThemes: async () => false /* only consulted for themes */,
});
const app = await buildApp({
  authorize,
  internalTokenSecret: config.internalTokenSecret,
  db,
  pool,
  logLevel: config.logLevel,
});
await serve(app, {
  host: config.host,
  port: config.port,
  onShutdown: async () => {
    await db.$disconnect();
    await pool.end();
  },
});
