import { publishTenantChangedToRegions } from '@rt/directory';
import { createRedis, type Redis } from '@rt/queue';
import { allRegions, type WorkerDeps } from './deps.js';

/**
 * One connection per region's Redis, opened once per worker process and shared: tenant-changed
 * broadcasts (migration commits, deletions) go to every region, and migration steps are queued
 * on the region that runs them.
 */
export interface RegionRedis {
  /** Each distinct Redis once (this region's connection included). */
  all: Redis[];
  /** The connection of each region that has one here. */
  byRegion: Map<string, Redis>;
  /** Publishes a tenant change on every region's Redis; never throws (`@rt/directory`'s bus). */
  publishTenantChanged(tenantId: string): ReturnType<typeof publishTenantChangedToRegions>;
  /** Disconnects the connections opened here (this region's own belongs to the worker). */
  close(): void;
}

/**
 * Opens (lazily) a connection to every other region's Redis. This region's connection is reused;
 * a region without a Redis URL here is skipped — its routers fall back to their bounded cache TTL.
 */
export function createRegionRedis(
  deps: Pick<WorkerDeps, 'region' | 'redis' | 'logger' | 'regions' | 'regionTable'>,
): RegionRedis {
  const regions = allRegions(deps);
  const own = regions.find((r) => r.id === deps.region)?.redisUrl;
  const opened: Redis[] = [];
  const byRegion = new Map<string, Redis>();
  const all = regions.flatMap((r) => {
    if (r.redisUrl === own) {
      byRegion.set(r.id, deps.redis);
      return [deps.redis];
    }
    if (!r.redisUrl) {
      deps.logger.warn(
        { region: r.id },
        'no Redis configured for region; its routers expire the tenant by TTL',
      );
      return [];
    }
    const c = createRedis(r.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    opened.push(c);
    byRegion.set(r.id, c);
    return [c];
  });
  const unique = [...new Set(all)];
  return {
    all: unique,
    byRegion,
    publishTenantChanged: (tenantId) => publishTenantChangedToRegions(unique, tenantId),
    close() {
      for (const redis of opened.splice(0)) redis.disconnect();
    },
  };
}
