import { type Authorize, internalAuthPlugin, requireAuthorize } from '@rt/auth';
import type { PgPool, RegionalDb } from '@rt/db';
import {
  attachDocumentChangeBus,
  type DocumentChangeBus,
  DocumentRepository,
  documentBodyGuard,
  documentRoutes,
  type TenantBusConnections,
  ThemeAssignments,
  ThemeImages,
  ThemeTokens,
  themeKind,
} from '@rt/documents';
import { Conflict, createServiceApp, type ServiceApp } from '@rt/http';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { defaultThemeRoutes } from './routes/default-theme.js';
import { settingsRoutes } from './routes/settings.js';
import { spaceThemeRoutes } from './routes/space-theme.js';
import { themeTransferRoutes } from './routes/theme-transfer.js';

/** Everything the theme service needs, created by server.ts (or a test). */
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
 * Builds the theme service (no I/O here: connections are passed in): `/api/v1/themes*` (CRUD,
 * revisions, default) and `/api/v1/spaces/:spaceKey/theme`.
 */
export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const authorize = requireAuthorize(deps.authorize, 'theme');
  const app = createServiceApp({
    name: 'theme',
    logLevel: deps.logLevel,
    logger: deps.logger,
    checks: { postgres: () => deps.pool.query('SELECT 1') },
  });
  await app.register(internalAuthPlugin, { secret: deps.internalTokenSecret, kinds: ['api'] });
  const changes = attachDocumentChangeBus(app, deps.tenantBus);
  await app.register(themeServiceRoutes, {
    pool: deps.pool,
    db: deps.db,
    authorize,
    changes,
  });
  return app;
}

/** The API routes of the service (separate from {@link buildApp} so OpenAPI can wrap them). */
export async function themeServiceRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'pool' | 'db' | 'authorize'> & { changes?: DocumentChangeBus },
): Promise<void> {
  const { authorize } = deps;
  const themes = new DocumentRepository(deps.pool, themeKind, deps.changes);
  const assignments = new ThemeAssignments(deps.pool, themes);
  await app.register(documentRoutes, {
    repository: themes,
    authorize,
    checkChange: (current, next) => {
      if (current.isDefault && next.scope !== 'site') {
        throw new Conflict(
          'THEME_NOT_SITE_WIDE',
          'the default theme must stay site-wide; make another default first',
        );
      }
    },
  });
  await app.register(defaultThemeRoutes, { assignments, authorize });
  await app.register(spaceThemeRoutes, { assignments, authorize, cache: themes.cache });
  await app.register(settingsRoutes, { db: deps.db, pool: deps.pool, authorize });
  await app.register(themeTransferRoutes, {
    db: deps.db,
    themes,
    authorize,
    schemas: { tokens: ThemeTokens, images: ThemeImages },
    guardTheme: (theme) => documentBodyGuard(themeKind)({ body: theme } as FastifyRequest),
  });
}
