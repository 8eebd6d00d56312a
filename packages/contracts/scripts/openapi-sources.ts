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
import { layoutServiceRoutes } from '@rt/layout/app';
import { fakeOpsApi, opsAuditRoutes } from '@rt/ops-console';
import { createS3Client } from '@rt/storage';
import { themeServiceRoutes } from '@rt/theme/app';
import { collectingApp, type OpenApiSource } from '../src/server/index.js';

const apiPaths = (prefix: string) => (path: string) => path.startsWith(prefix);

// Clients that never connect: only route schemas are read.
const UNUSED_DB = 'postgresql://openapi@127.0.0.1:1/unused';
const unusedPool = () => createPgPool({ url: UNUSED_DB, poolSize: 1 });

export const openApiSources: OpenApiSource[] = [
  // Public API (/api/v1): the layout, theme and asset services (the router proxies the same paths).
  {
    name: 'layouts',
    include: apiPaths('/api/v1/'),
    build: () => collectingApp((app) => app.register(layoutServiceRoutes, { pool: unusedPool() })),
  },
  {
    name: 'themes',
    include: apiPaths('/api/v1/'),
    build: () =>
      collectingApp((app) =>
        app.register(themeServiceRoutes, {
          pool: unusedPool(),
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
          s3: createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: 'http://127.0.0.1:1' }),
          bucket: 'unused',
          settings: {
            maxBytes: 10 * 1024 * 1024,
            maxSvgBytes: 2 * 1024 * 1024,
            maxPixels: 40_000_000,
            urlTtlSeconds: 300,
          },
        }),
      ),
  },

  // Operator API (/ops/v1). STUB until issue 6 is merged: the console's fake ops API has the same
  // routes and shapes as packages/ops. Replace with
  //   { name: 'ops', include: apiPaths('/ops/v1/'), build: () => collectingApp((app) => app.register(opsPlugin, { prefix: '/ops/v1', directory, coordinator: {} as never, auth: { mode: 'local', secret: 'x'.repeat(32), issuer: 'openapi', audience: 'openapi' }, routes: [opsAuditRoutes, deletionRoutes] })) },
  // and drop the audit entry below (it is then part of the ops source).
  {
    name: 'ops',
    include: (path) => path.startsWith('/ops/v1/') && path !== '/ops/v1/audit',
    build: () =>
      collectingApp((app) => app.register(fakeOpsApi, { prefix: '/ops/v1', secret: 'openapi-stub-secret' })),
  },
  {
    name: 'ops',
    include: apiPaths('/ops/v1/audit'),
    build: () =>
      collectingApp((app) =>
        app.register(opsAuditRoutes, {
          prefix: '/ops/v1',
          directory: createDirectoryClient({ url: UNUSED_DB, poolSize: 1 }),
        }),
      ),
  },
];
