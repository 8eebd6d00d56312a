import { type Authorize, internalAuthPlugin, requireAuthorize } from '@rt/auth';
import type { PgPool, RegionalDb } from '@rt/db';
import {
  attachDocumentChangeBus,
  type DocumentChangeBus,
  DocumentRepository,
  documentRoutes,
  layoutKind,
  type TenantBusConnections,
} from '@rt/documents';
import { createServiceApp, type ServiceApp } from '@rt/http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { exportRoutes } from './routes/export.js';

/** Everything the layout service needs, created by server.ts (or a test). */
export interface AppDeps {
  internalTokenSecret: string;
  /** Prisma client of this region's database. */
  db: RegionalDb;
  /** Raw pool of the same database: documents are read and written through it (hot path). */
  pool: PgPool;
  /**
   * Permission check before each write (Confluence-backed in production, see server.ts).
   * Required: there is no allow-all default, so the service fails closed.
   */
  authorize: Authorize;
  /**
   * This region's Redis for the tenant-change bus: enables the read cache and its invalidation
   * across replicas. Without it every read goes to the database.
   */
  tenantBus?: TenantBusConnections;
  logLevel?: string;
  logger?: FastifyBaseLogger;
}

/**
 * Builds the layout service (no I/O here: connections are passed in): `/api/v1/layouts*` and
 * `/api/v1/export` (the tenant's whole export lives here because layouts are its bulk; themes
 * and assets are read from the same regional database).
 */
export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const authorize = requireAuthorize(deps.authorize, 'layout');
  const app = createServiceApp({
    name: 'layout',
    logLevel: deps.logLevel,
    logger: deps.logger,
    checks: { postgres: () => deps.pool.query('SELECT 1') },
  });
  await app.register(internalAuthPlugin, { secret: deps.internalTokenSecret, kinds: ['api'] });
  const changes = attachDocumentChangeBus(app, deps.tenantBus);
  await app.register(layoutServiceRoutes, { pool: deps.pool, authorize, changes });
  return app;
}

/** The API routes of the service (separate from {@link buildApp} so OpenAPI can wrap them). */
export async function layoutServiceRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'pool' | 'authorize'> & { changes?: DocumentChangeBus },
): Promise<void> {
  await app.register(documentRoutes, {
    repository: new DocumentRepository(deps.pool, layoutKind, deps.changes),
    authorize: deps.authorize,
  });
  await app.register(exportRoutes, { pool: deps.pool });
}
