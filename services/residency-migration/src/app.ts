import { internalAuthPlugin } from '@rt/auth';
import type { DirectoryDb } from '@rt/db';
import { createServiceApp, type ServiceApp } from '@rt/http';
import type { Redis } from '@rt/queue';
import type { MigrationCoordinator } from '@rt/residency';
import type { FastifyBaseLogger } from 'fastify';
import { dareMigrationRoutes } from './routes/dare-migration.js';

/** Everything the residency-migration service needs, created by server.ts (or a test). */
export interface AppDeps {
  internalTokenSecret: string;
  /** Directory database: migrations are control-plane state. */
  directory: DirectoryDb;
  /** Redis of this region (migration queue). */
  redis: Redis;
  /** The migration rules shared with the operator API and the worker. */
  coordinator: MigrationCoordinator;
  logLevel?: string;
  logger?: FastifyBaseLogger;
}

/** Builds the residency-migration service (no I/O here: connections are passed in). */
export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = createServiceApp({
    name: 'residency-migration',
    logLevel: deps.logLevel,
    logger: deps.logger,
    checks: {
      postgres: () => deps.directory.$queryRaw`SELECT 1`,
      redis: () => deps.redis.ping(),
    },
  });
  // Only a service token the router minted for a verified Atlassian callback (Connect JWT with the
  // computed qsh) reaches the hooks: a token of a front-end request can never move a tenant.
  await app.register(internalAuthPlugin, {
    secret: deps.internalTokenSecret,
    kinds: ['atlassian-callback', 'forge-callback'],
  });
  await app.register(dareMigrationRoutes, { coordinator: deps.coordinator });
  return app;
}
