import {
  confluenceTenantOf,
  type PermissionChecker,
  PermissionCheckUnavailable,
  permissionCheckRoutes,
  type TenantAccess,
} from '@rt/confluence';
import { openApiDocsPlugin } from '@rt/contracts/server';
import type { DirectoryDb } from '@rt/db';
import type { DeletionProducer } from '@rt/deletion';
import {
  type OperatorAuthConfig,
  OperatorVerifier,
  operatorApiPlugin,
  opsQueuesPlugin,
  type TenantSizer,
} from '@rt/ops';
import { opsConsolePlugin } from '@rt/ops-console';
import type { MigrationCoordinator } from '@rt/residency';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { TenantDirectory } from '../directory/tenant-directory.js';

/** What the operator side of the router needs (absent: the ops API is not served). */
export interface OperationsDeps {
  /** How operator tokens are verified: OIDC (production) or a local key (local stack). */
  auth: OperatorAuthConfig;
  coordinator: MigrationCoordinator;
  deletions: DeletionProducer;
  /** Queues shown in bull-board. */
  queues: Queue[];
  /** Counts a tenant's rows and objects in its home region (the console's size columns). */
  tenantSize?: TenantSizer;
  now?: () => Date;
}

/**
 * The operators' entry: `/ops/v1/*` (tenants, migrations, deletions, audit — operator token with
 * a role, every call audited), bull-board at `/ops/queues` (admin) and the console at
 * `/ops/console` (a static page that calls `/ops/v1` with the operator's token).
 */
export async function operationsPlugin(
  app: FastifyInstance,
  opts: OperationsDeps & { directory: DirectoryDb },
): Promise<void> {
  const verifier = new OperatorVerifier(opts.auth);
  await app.register(operatorApiPlugin, {
    directory: opts.directory,
    auth: verifier,
    coordinator: opts.coordinator,
    deletions: opts.deletions,
    tenantSize: opts.tenantSize,
    now: opts.now,
  });
  await app.register(opsQueuesPlugin, {
    prefix: '/ops/queues',
    basePath: '/ops/queues',
    directory: opts.directory,
    auth: verifier,
    queues: opts.queues,
  });
  await app.register(opsConsolePlugin, { prefix: '/ops/console' });
}

/** `/openapi.json` and the interactive reference at `/docs` (committed document, no CDN). */
export async function apiDocsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(openApiDocsPlugin);
}

/**
 * `POST /internal/v1/permissions/check`: services ask whether the calling user may write; the
 * router answers from the tenant's Confluence (it alone holds the decrypted shared secrets).
 */
export async function permissionsPlugin(
  app: FastifyInstance,
  opts: {
    checker: PermissionChecker;
    internalTokenSecret: string;
    appKey: string;
    directory: TenantDirectory;
  },
): Promise<void> {
  await app.register(permissionCheckRoutes, {
    checker: opts.checker,
    internalTokenSecret: opts.internalTokenSecret,
    relayedForgeToken: (request) => request.relayedForgeToken,
    resolveTenant: async (tenantId: string, forgeToken?: string) => {
      const t = await opts.directory.byId(tenantId);
      if (t?.state !== 'active') return null;
      if (forgeToken) {
        // Forge's system token is good for the site's API gateway (`app.apiBaseUrl`, recorded
        // from a verified FIT), not for the site URL a Connect install names.
        // https://developer.atlassian.com/platform/forge/remote/essentials/
        if (!t.forgeApiBaseUrl) throw new PermissionCheckUnavailable('no Forge API base URL for this site');
        return confluenceTenantOf(
          { id: t.id, baseUrl: t.forgeApiBaseUrl, sharedSecret: null },
          {
            appKey: opts.appKey,
            forgeToken,
          },
        );
      }
      const access: TenantAccess = { id: t.id, baseUrl: t.baseUrl, sharedSecret: t.sharedSecret };
      return confluenceTenantOf(access, { appKey: opts.appKey });
    },
  });
}
