import { type DeletionContext, type DeletionOutcome, runDeletion } from '@rt/deletion';
import type { WorkerDeps } from '../deps.js';
import { remoteDeletionRegions } from '../region-deletion.js';
import type { JobHandler } from './index.js';

/**
 * Publishes a tenant id on the tenant-changed channel in EVERY region's Redis (the worker's shared
 * connections), so every router drops its cached directory entry (secret included). A failed
 * notice fails the run, which is retried: `runDeletion` repeats the notice for a finished deletion.
 */
export function tenantChangedPublisher(deps: WorkerDeps): (tenantId: string) => Promise<void> {
  return async (tenantId) => {
    const { failed } = await deps.regionRedis.publishTenantChanged(tenantId);
    if (failed > 0) throw new Error(`tenant-changed notice failed in ${failed} region(s)`);
  };
}

/**
 * The deletion context of this worker, owning the tenants homed in its own region: it deletes in
 * the regions whose database it holds, and asks every other configured region's worker to delete
 * there (`region-deletion.ts`).
 */
export function deletionContext(deps: WorkerDeps, options: { batchSize?: number } = {}): DeletionContext {
  return {
    directory: deps.directory,
    regions: [...deps.regions].map(([id, r]) => ({ id, pool: r.pool, s3: r.s3, bucket: r.bucket })),
    remoteRegions: remoteDeletionRegions(deps),
    homeRegion: deps.region,
    now: deps.now,
    notifyTenantChanged: tenantChangedPublisher(deps),
    batchSize: options.batchSize,
  };
}

/**
 * Handler of the `deletion` queue (job id = deletion id): deletes the tenant everywhere and keeps
 * a receipt. All the safety checks (cancelled, reinstalled, not yet due) live in `runDeletion`.
 */
export function createDeletionJob(options: { batchSize?: number } = {}): JobHandler<'deletion'> {
  return async (deps, payload): Promise<DeletionOutcome> => {
    const outcome = await runDeletion(deletionContext(deps, options), payload.deletionId);
    deps.logger.info({ deletionId: payload.deletionId, status: outcome.status }, 'deletion job');
    return outcome;
  };
}

/** The registered deletion handler. */
export const deletionJob = createDeletionJob();
