import { internalAuthPlugin } from '@rt/auth';
import type { PgPool, RegionalDb } from '@rt/db';
import { createServiceApp, type ServiceApp } from '@rt/http';
import type { FastifyBaseLogger } from 'fastify';

/** Everything the layout service needs, created by server.ts (or a test). */
export interface AppDeps {
  internalTokenSecret: string;
  /** Prisma client of this region's database. */
  db: RegionalDb;
  /** Raw pool of the same database for hot read paths and readiness. */
  pool: PgPool;
  logLevel?: string;
  logger?: FastifyBaseLogger;
}

/** Builds the layout service (no I/O here: connections are passed in). */
export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const app = createServiceApp({
    name: 'layout',
    logLevel: deps.logLevel,
    logger: deps.logger,
    checks: { postgres: () => deps.pool.query('SELECT 1') },
  });
  await app.register(internalAuthPlugin, { secret: deps.internalTokenSecret });
  return app;
}
