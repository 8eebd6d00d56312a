/**
 * The parts of the API that make up `openapi.json`. Each source builds its app in-process (no
 * I/O: Prisma and pg clients connect lazily, so clients with a dummy URL are fine) with the
 * OpenAPI collector registered before its routes, and says which of its paths are public API.
 *
 * Adding a source is one entry. Two ways to get the collector in before the routes:
 *   1. compose: `build: () => collectingApp((app) => app.register(layoutServiceRoutes, { pool }))`
 *   2. the `openapi` dep convention of a service's buildApp: `build: () => buildApp({ ...deps,
 *      openapi: true })`, where buildApp does `if (deps.openapi) await app.register(openApiCollector)`
 *      right after `createServiceApp(...)`.
 */

import { assetServiceRoutes } from '@rt/asset/app';
import { createDirectoryClient, createPgPool, createRegionalClient } from '@rt/db';
import type { DeletionProducer } from '@rt/deletion';
import { layoutServiceRoutes } from '@rt/layout/app';
import { operatorApiPlugin } from '@rt/ops';
import type { MigrationCoordinator } from '@rt/residency';
import { createS3Client } from '@rt/storage';
import { themeServiceRoutes } from '@rt/theme/app';
import { collectingApp, type OpenApiSource } from '../src/server/index.js';

const apiPaths = (prefix: string) => (path: string) => path.startsWith(prefix);

// Clients that never connect: only route schemas are read.
const UNUSED_DB = 'postgresql://openapi@127.0.0.1:1/unused';
const unusedPool = () => createPgPool({ url: UNUSED_DB, poolSize: 1 });
// The permission check is required by every service's routes; here routes are only described.
const neverAuthorized = async (): Promise<void> => {
  throw new Error('OpenAPI collection never serves a request');
};

export const openApiSources: OpenApiSource[] = [
  // Public API (/api/v1): the layout, theme and asset services (the router proxies the same paths).
  {
    name: 'layouts',
    include: apiPaths('/api/v1/'),
    build: () =>
      collectingApp((app) =>
        app.register(layoutServiceRoutes, { pool: unusedPool(), authorize: neverAuthorized }),
      ),
  },
  {
    name: 'themes',
    include: apiPaths('/api/v1/'),
    build: () =>
      collectingApp((app) =>
        app.register(themeServiceRoutes, {
          pool: unusedPool(),
          authorize: neverAuthorized,
          db: createRegionalClient({ url: UNUSED_DB, poolSize: 1 }),
        }),
      ),
  },
  {
    name: 'assets',
    include: apiPaths('/api/v1/'),
    build: () =>
      collectingApp((app) =>
        app.register(assetServiceRoutes, {
          pool: unusedPool(),
          authorize: neverAuthorized,
          s3: createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: 'http://127.0.0.1:1' }),
          bucket: 'unused',
          settings: {
            maxBytes: 10 * 1024 * 1024,
            maxSvgBytes: 2 * 1024 * 1024,
            maxPixels: 40_000_000,
            urlTtlSeconds: 300,
            recordMd5: false,
          },
        }),
      ),
  },

  // Operator API (/ops/v1): tenants, migrations, deletions, audit — the plugin the router serves.
  {
    name: 'ops',
    include: apiPaths('/ops/v1/'),
    build: () =>
      collectingApp((app) =>
        app.register(operatorApiPlugin, {
          directory: createDirectoryClient({ url: UNUSED_DB, poolSize: 1 }),
          auth: {
            mode: 'local',
            secret: 'openapi-unused-secret-0123456789abcdef',
            issuer: 'openapi',
            audience: 'openapi',
          },
          // Only route schemas are read: the coordinator and the deletion queue are never called.
          coordinator: {} as MigrationCoordinator,
          deletions: {} as DeletionProducer,
        }),
      ),
  },
];
