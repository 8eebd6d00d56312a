import {
  type DeletionContext,
  type DeletionOutcome,
  runDeletion,
  TENANT_CHANGED_CHANNEL,
} from '@rt/deletion';
import { createRedis } from '@rt/queue';
import type { WorkerDeps } from '../deps.js';
import type { JobHandler } from './index.js';

/**
 * Publishes a tenant id on `rt:tenant-changed` in EVERY region's Redis, so every router drops
 * its cached directory entry (secret included). This region's connection is reused; the others
 * are opened for the moment (deletions are rare).
 */
export function tenantChangedPublisher(deps: WorkerDeps): (tenantId: string) => Promise<void> {
  return async (tenantId) => {
    for (const [id, region] of deps.regions) {
      if (id === deps.region) {
        await deps.redis.publish(TENANT_CHANGED_CHANNEL, tenantId);
        continue;
      }
      if (!region.settings.redisUrl) {
        // That region's routers fall back to their bounded cache TTL.
        deps.logger.warn(
          { region: id },
          'no Redis configured for region; its routers expire the tenant by TTL',
        );
        continue;
      }
      const redis = createRedis(region.settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
      try {
        await redis.connect();
        await redis.publish(TENANT_CHANGED_CHANNEL, tenantId);
      } finally {
        redis.disconnect();
      }
    }
  };
}

/** The deletion context of this worker: every region, owning the tenants homed in its own. */
export function deletionContext(deps: WorkerDeps, options: { batchSize?: number } = {}): DeletionContext {
  return {
    directory: deps.directory,
    regions: [...deps.regions].map(([id, r]) => ({ id, pool: r.pool, s3: r.s3, bucket: r.bucket })),
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
