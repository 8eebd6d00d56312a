import type { DirectoryDb } from '@rt/db';
import { appCounter, Forbidden } from '@rt/http';
import type { MigrationCoordinator } from '@rt/residency';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  hasRole,
  type Operator,
  type OperatorAuthConfig,
  type OperatorRole,
  OperatorVerifier,
} from './operator-auth.js';
import { migrationRoutes } from './routes/migrations.js';
import { tenantRoutes } from './routes/tenants.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least operator role an ops route needs. */
    opsRole?: 'viewer' | 'migrator' | 'admin';
    /** Audit action name of an ops route (e.g. `migrations.start`). */
    opsAction?: string;
  }
  interface FastifyRequest {
    /** The verified operator (ops routes only). */
    operator?: Operator;
  }
}

/** Counts a tenant's data in one region (shown by `GET /tenants/:clientKey`). */
export type TenantSizer = (
  tenantId: string,
  region: string,
) => Promise<{ rows: number; objects?: number; bytes?: number }>;

/** What the ops routes use; passed by the router when it registers the plugin. */
export interface OpsContext {
  directory: DirectoryDb;
  coordinator: MigrationCoordinator;
  tenantSize?: TenantSizer;
}

/** Options of {@link opsPlugin}. */
export interface OpsPluginOptions extends OpsContext {
  /** How operator tokens are verified (OIDC JWKS in production, a local key on the local stack). */
  auth: OperatorAuthConfig | OperatorVerifier;
  /**
   * More route plugins served behind the same operator auth and audit (e.g. the deletion
   * routes). Each receives the {@link OpsContext} as options.
   */
  routes?: FastifyPluginAsync<OpsContext>[];
}

/**
 * Adds operator authentication, role checks and the audit trail to an encapsulated context:
 * every request is verified (401 without a valid operator token), checked against the route's
 * `opsRole` (403 OPERATOR_ROLE_REQUIRED), and written to `operator_audit` (subject, role,
 * action, target, time, outcome) before the answer leaves — calls denied for lack of a role
 * included. A call without a valid operator token writes nothing (anyone could fill the control
 * plane's database that way); it is counted in `ops_unauthenticated_refused_total` instead.
 */
export async function operatorGuard(
  app: FastifyInstance,
  opts: { directory: DirectoryDb; auth: OperatorAuthConfig | OperatorVerifier; defaultRole?: OperatorRole },
): Promise<void> {
  const verifier = opts.auth instanceof OperatorVerifier ? opts.auth : new OperatorVerifier(opts.auth);
  const unauthenticated = appCounter(
    app,
    'ops_unauthenticated_refused_total',
    'Operator API calls refused without a valid operator token (not audited)',
  );
  app.decorateRequest('operator', undefined);
  app.addHook('onRequest', async (request) => {
    const operator = await verifier.verify(request.headers.authorization);
    request.operator = operator;
    const required = request.routeOptions.config?.opsRole ?? opts.defaultRole ?? 'admin';
    if (!hasRole(operator.role, required)) {
      throw new Forbidden('OPERATOR_ROLE_REQUIRED', `this action needs the ${required} role`);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.operator) {
      unauthenticated.inc();
      return payload;
    }
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const target =
      params.id ??
      params.clientKey ??
      (typeof body.clientKey === 'string' ? body.clientKey : undefined) ??
      null;
    const status = reply.statusCode;
    await opts.directory.operatorAudit.create({
      data: {
        subject: request.operator.subject,
        role: request.operator.role,
        action:
          request.routeOptions.config?.opsAction ??
          `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
        target,
        outcome: status < 400 ? 'ok' : status === 401 || status === 403 ? 'denied' : `error`,
        detail: { status, method: request.method, path: request.url.split('?')[0] },
      },
    });
    return payload;
  });
}

/**
 * The operator API, registered by the router with one line:
 * `app.register(opsPlugin, { prefix: '/ops/v1', directory, coordinator, auth })`.
 * Routes: tenants (list, show with size), migrations (start, list, show with progress, events
 * and report, cancel, commit). Extra route files plug in via `routes`.
 */
export const opsPlugin: FastifyPluginAsync<OpsPluginOptions> = async (app, opts) => {
  await operatorGuard(app, { directory: opts.directory, auth: opts.auth });
  const context: OpsContext = {
    directory: opts.directory,
    coordinator: opts.coordinator,
    tenantSize: opts.tenantSize,
  };
  await app.register(tenantRoutes, context);
  await app.register(migrationRoutes, context);
  for (const routes of opts.routes ?? []) await app.register(routes, context);
};
