import { loadConfigOrExit } from '@rt/config';
import { assertAllowedBaseUrl, createPermissionChecker, parseConfluenceConfig } from '@rt/confluence';
import { createDirectoryClient, createPgPool } from '@rt/db';
import { enqueueDeletion } from '@rt/deletion';
import { serve } from '@rt/http';
import { loadOperatorAuthConfig } from '@rt/ops';
import { createRedis, JobProducer } from '@rt/queue';
import { createCoordinatorRuntime, migrationLimits } from '@rt/residency';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createTenantSizer } from './ops/tenant-size.js';

const config = loadConfigOrExit(loadConfig);
const directory = createDirectoryClient({ url: config.directoryDatabaseUrl, poolSize: 2 });
const pool = createPgPool({ url: config.directoryDatabaseUrl, poolSize: config.dbPoolSize });
const redis = createRedis(config.region.redisUrl);
// One subscriber per distinct Redis server of any region: tenant changes are published on the
// publisher's own region's Redis (pub/sub ignores the DB index, so one per host:port suffices).
const redisServers = new Map<string, string>();
for (const region of config.regions.regions) {
  if (!region.redisUrl) continue; // not reachable from here: the cache TTL bounds staleness
  const u = new URL(region.redisUrl);
  redisServers.set(`${u.hostname}:${u.port || 6379}`, region.redisUrl);
}
const subscribers = [...redisServers.values()].map((url) => createRedis(url));
// Document-changed notices come from this region's services, on this region's Redis.
const documentSubscriber = createRedis(config.region.redisUrl);

// Tenant deletion: the uninstall hook queues the delayed deletion job (Postgres keeps the
// schedule; the worker's sweeper re-enqueues if Redis loses it); a reinstall removes it.
const deletions = new JobProducer('deletion', { connection: redis });
const clock = { now: () => new Date() };
const hooks = {
  onUninstalled: async (deletion: { id: string; dueAt: Date }) => {
    await enqueueDeletion(deletions, deletion, clock);
  },
  onReinstalled: async (_tenant: unknown, cancelled: string[]) => {
    for (const id of cancelled) await deletions.queue.remove(id);
  },
};

// Operators: the same migration pipeline as Atlassian's hooks, the deletion schedule, the audit.
const operatorAuth = loadConfigOrExit((env) => loadOperatorAuthConfig(env));
const migrations = createCoordinatorRuntime({
  directory,
  regions: config.regions,
  redis,
  regionId: config.region.id,
  limits: loadConfigOrExit(migrationLimits),
});
const sizes = createTenantSizer(config.regions);
const operations = operatorAuth
  ? {
      auth: operatorAuth,
      tenantSize: sizes.sizer,
      coordinator: migrations.coordinator,
      deletions,
      queues: [migrations.jobs.queue, deletions.queue],
    }
  : undefined;

// Permission questions of the services, answered from the tenants' Confluence.
const confluence = loadConfigOrExit((env) =>
  parseConfluenceConfig(env, { production: config.env === 'production' }),
);
const baseUrlPolicy = (url: string) => {
  assertAllowedBaseUrl(url, { extraHosts: confluence.allowedHosts });
};

const app = await buildApp({
  config,
  directory,
  pool,
  redis,
  subscribers,
  documentSubscriber,
  hooks,
  operations,
  permissions: { checker: createPermissionChecker(confluence) },
  assertBaseUrl: baseUrlPolicy,
});
if (!operations)
  app.log.warn('no OPERATOR_OIDC_ISSUER/OPERATOR_JWKS_URL or OPERATOR_TOKEN_SECRET: ops API not served');
await serve(app, {
  host: config.host,
  port: config.port,
  metrics: config.metrics,
  onShutdown: async () => {
    await directory.$disconnect();
    await pool.end();
    redis.disconnect();
    for (const sub of subscribers) sub.disconnect();
    documentSubscriber.disconnect();
    await deletions.close();
    await migrations.close?.();
    await sizes.close();
  },
});
