import type { MigrationLimits, RegionTable } from '@rt/config';
import type { DirectoryDb } from '@rt/db';
import { publishTenantChangedToRegions } from '@rt/directory';
import { createRedis, type Redis } from '@rt/queue';
import { MigrationCoordinator } from './coordinator.js';
import { MigrationJobs } from './jobs.js';

/** A coordinator with its connections, as a service (or the router, for the ops API) runs it. */
export interface CoordinatorRuntime {
  coordinator: MigrationCoordinator;
  jobs: MigrationJobs;
  close(): Promise<void>;
}

/**
 * Wires a {@link MigrationCoordinator} from configuration: jobs on this region's Redis,
 * tenant-change broadcasts on every region's Redis. The router's ops API and the
 * residency-migration service build it the same way.
 */
export function createCoordinatorRuntime(options: {
  directory: DirectoryDb;
  regions: RegionTable;
  /** This region's Redis (queues); reused for this region's broadcasts. */
  redis: Redis;
  regionId: string;
  limits: MigrationLimits;
  onSideEffectError?: (err: unknown, what: string) => void;
}): CoordinatorRuntime {
  const own: Redis[] = [];
  const queues: Record<string, { connection: Redis }> = {};
  // Regions whose Redis this process is not given keep their routers' bounded cache TTL, and
  // their migration steps are queued by their own sweeper (from the directory) instead.
  const broadcast = options.regions.regions.flatMap((r) => {
    if (r.id === options.regionId) return [options.redis];
    if (!r.redisUrl) return [];
    const c = createRedis(r.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    own.push(c);
    queues[r.id] = { connection: c };
    return [c];
  });
  const jobs = new MigrationJobs({ connection: options.redis }, queues, options.regionId);
  const coordinator = new MigrationCoordinator({
    directory: options.directory,
    resolveLocation: (location) => options.regions.resolveLocation(location),
    jobs,
    publishTenantChanged: (tenantId) => publishTenantChangedToRegions(broadcast, tenantId),
    limits: options.limits,
    onSideEffectError: options.onSideEffectError,
  });
  return {
    coordinator,
    jobs,
    async close() {
      await jobs.close();
      for (const c of own) c.disconnect();
    },
  };
}
