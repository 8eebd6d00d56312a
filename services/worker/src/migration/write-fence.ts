import { liftWriteFence, listWriteFences, type PgPool, raiseWriteFence } from '@rt/db';
import { type RedisSubscriber, subscribeTenantBus, type TenantBusSubscription } from '@rt/directory';
import { FROZEN_STATES, type Migration } from '@rt/residency';
import type { WorkerDeps } from '../deps.js';

/**
 * The source region's half of a migration's freeze, in its own database (`@rt/db` write fence).
 * The router's freeze works from a cached tenant record, so a write that passed it just before
 * `/start` could still commit after the copy's snapshot and be lost with the source copy. The
 * source region's worker therefore fences the tenant's writes in its regional database before it
 * serves anything of the freeze: once the fence is up, every write that will ever commit there
 * has committed, so the freeze-time delta holds it; later writes are refused (503
 * TENANT_MIGRATING) and never acknowledged.
 *
 * The fence is lifted when the migration is abandoned (rolled back, cancelled, failed: the
 * tenant stays and writes again) by {@link liftSettledWriteFences}, and together with the source
 * copy after a commit (`deleteTenantRows`).
 */

/**
 * Fences the tenant's writes in the source region when `m` is frozen (the export of the freeze is
 * about to be read); returns once every write in flight has ended. A no-op before the freeze
 * (the pre-copy reads while the tenant still works) and when the fence is already up.
 */
export async function fenceFrozenSource(pool: PgPool, m: Migration): Promise<void> {
  if (FROZEN_STATES.includes(m.state)) await raiseWriteFence(pool, m.tenantId, m.id);
}

/**
 * Lifts the write fences of this worker's region that no migration needs any more: the
 * migration was abandoned (the tenant stays and must write again), or it is unknown, or it
 * committed and the source copy is gone. A fence stays while its migration is frozen, and after
 * a commit until the source copy (with the fence) is deleted. Run by the migration sweeper; the
 * directory is only asked when a fence is up. Returns the number lifted.
 */
export async function liftSettledWriteFences(deps: WorkerDeps): Promise<number> {
  const own = deps.regions.get(deps.region);
  if (!own) return 0;
  const fences = await listWriteFences(own.pool);
  if (fences.length === 0) return 0;
  const migrations = await deps.directory.migration.findMany({
    where: { id: { in: fences.map((f) => f.migrationId) } },
    select: { id: true, state: true, cleanupDoneAt: true },
  });
  const byId = new Map(migrations.map((m) => [m.id, m]));
  let lifted = 0;
  for (const fence of fences) {
    const m = byId.get(fence.migrationId);
    const needed =
      m !== undefined &&
      (FROZEN_STATES.includes(m.state) || (m.state === 'committed' && m.cleanupDoneAt === null));
    if (needed) continue;
    if (await liftWriteFence(own.pool, fence.tenantId, fence.migrationId)) {
      lifted++;
      deps.logger.info(
        { tenantId: fence.tenantId, migrationId: fence.migrationId, state: m?.state ?? 'unknown' },
        'write fence lifted',
      );
    }
  }
  return lifted;
}

/**
 * Lifts settled fences as soon as a tenant changes (a rollback, a cancel and a failure each
 * publish `tenant-changed` to every region), so a tenant that stays writes again within the bus's
 * delivery rather than at the next sweep; the sweeper remains the backstop for a lost notice.
 * Notices arriving while a pass runs are coalesced into one more pass.
 */
export async function liftFencesOnTenantChange(
  deps: WorkerDeps,
  subscriber: RedisSubscriber,
  prefix = '',
): Promise<TenantBusSubscription> {
  let running: Promise<void> | undefined;
  let again = false;
  const pass = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = liftSettledWriteFences(deps)
      .then(
        () => undefined,
        (err) => deps.logger.warn({ err }, 'write fences not lifted; the sweeper retries'),
      )
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          pass();
        }
      });
  };
  return subscribeTenantBus(subscriber, { tenantChanged: pass }, prefix);
}
