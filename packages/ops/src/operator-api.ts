import type { DirectoryDb } from '@rt/db';
import { type DeletionProducer, registerDeletionRoutes } from '@rt/deletion';
import { Forbidden } from '@rt/http';
import type { MigrationCoordinator } from '@rt/residency';
import type { FastifyInstance } from 'fastify';
import { hasRole, type OperatorAuthConfig, type OperatorRole, OperatorVerifier } from './operator-auth.js';
import { operatorGuard, opsPlugin, type TenantSizer } from './plugin.js';
import { opsAuditRoutes } from './routes/audit.js';

/** Options of {@link operatorApiPlugin}. */
export interface OperatorApiOptions {
  directory: DirectoryDb;
  auth: OperatorAuthConfig | OperatorVerifier;
  coordinator: MigrationCoordinator;
  /** Queue of tenant deletions (purge). */
  deletions: DeletionProducer;
  tenantSize?: TenantSizer;
  now?: () => Date;
}

/**
 * The whole operator API under `/ops/v1`, as the router serves it: tenants, migrations and the
 * audit log (`opsPlugin`), plus the deletion schedule and purge (`@rt/deletion`), all behind the
 * same operator verification, role checks and audit trail.
 */
export async function operatorApiPlugin(app: FastifyInstance, opts: OperatorApiOptions): Promise<void> {
  const verifier = opts.auth instanceof OperatorVerifier ? opts.auth : new OperatorVerifier(opts.auth);
  await app.register(opsPlugin, {
    prefix: '/ops/v1',
    directory: opts.directory,
    coordinator: opts.coordinator,
    tenantSize: opts.tenantSize,
    auth: verifier,
    routes: [opsAuditRoutes],
  });
  // The deletion routes carry their own absolute paths and role checks; they sit behind the same
  // operator verification and audit trail.
  await app.register(async (scope) => {
    await operatorGuard(scope, { directory: opts.directory, auth: verifier, defaultRole: 'viewer' });
    await scope.register(registerDeletionRoutes, {
      directory: opts.directory,
      producer: opts.deletions,
      now: opts.now,
      requireRole: (role) => async (request) => {
        if (!request.operator || !hasRole(request.operator.role, role as OperatorRole)) {
          throw new Forbidden('OPERATOR_ROLE_REQUIRED', `this action needs the ${role} role`);
        }
      },
      // operatorGuard already writes one audit row per call (subject, action, target, outcome).
      audit: async () => undefined,
    });
  });
}
