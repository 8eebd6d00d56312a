import type { S3Client } from '@aws-sdk/client-s3';
import { type Authorize, internalAuthPlugin, requireAuthorize } from '@rt/auth';
import type { PgPool, RegionalDb } from '@rt/db';
import { createServiceApp, type ServiceApp } from '@rt/http';
import { bucketReachable } from '@rt/storage';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { AssetStore } from './asset-store.js';
import { type AssetSettings, defaultAssetSettings } from './config.js';
import { assetRoutes } from './routes/assets.js';

/** Everything the asset service needs, created by server.ts (or a test). */
export interface AppDeps {
  internalTokenSecret: string;
  db: RegionalDb;
  pool: PgPool;
  /** S3 client and bucket of this region. */
  s3: S3Client;
  bucket: string;
  /**
   * Permission check of uploads and deletions (Confluence-backed in production, see server.ts).
   * Required: there is no allow-all default, so the service fails closed.
   */
  authorize: Authorize;
  /** Size/pixel caps and URL lifetime (defaults when omitted). */
  assets?: Partial<AssetSettings>;
  logLevel?: string;
  logger?: FastifyBaseLogger;
}

/** Builds the asset service (no I/O here: connections are passed in). */
export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const authorize = requireAuthorize(deps.authorize, 'asset');
  const settings: AssetSettings = { ...defaultAssetSettings(), ...deps.assets };
  const app = createServiceApp({
    name: 'asset',
    logLevel: deps.logLevel,
    logger: deps.logger,
    checks: {
      postgres: () => deps.pool.query('SELECT 1'),
      s3: () => bucketReachable(deps.s3, deps.bucket),
    },
  });
  await app.register(internalAuthPlugin, { secret: deps.internalTokenSecret, kinds: ['api'] });
  await app.register(assetServiceRoutes, {
    pool: deps.pool,
    s3: deps.s3,
    bucket: deps.bucket,
    settings,
    authorize,
  });
  return app;
}

/** The API routes of the service (separate from {@link buildApp} so OpenAPI can wrap them). */
export async function assetServiceRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'pool' | 's3' | 'bucket' | 'authorize'> & { settings: AssetSettings },
): Promise<void> {
  const store = new AssetStore(deps.pool, deps.s3, deps.bucket, deps.settings);
  await app.register(assetRoutes, { store, maxBytes: deps.settings.maxBytes, authorize: deps.authorize });
}
