import { publishTenantChangedToRegions } from '@rt/directory';
import { createRedis, type Redis } from '@rt/queue';
import { allRegions, type WorkerDeps } from './deps.js';

interface RegionConnections {
  all: Redis[];
  byRegion: Map<string, Redis>;
  /** Opened here (other regions); this region's own connection belongs to the worker. */
  opened: Redis[];
}

const connections = new WeakMap<WorkerDeps, RegionConnections>();

/**
 * One connection per region's Redis, for tenant-changed broadcasts (migration commits, deletions),
 * opened once per worker and shared. This region's connection is reused; a region without a Redis
 * URL here is skipped — its routers fall back to their bounded cache TTL.
 */
export function regionRedis(deps: WorkerDeps): Redis[] {
  return connectionsOf(deps).all;
}

/** The same connections by region id (migration steps are queued on the region that runs them). */
export function regionRedisById(deps: WorkerDeps): Map<string, Redis> {
  return connectionsOf(deps).byRegion;
}

function connectionsOf(deps: WorkerDeps): RegionConnections {
  const existing = connections.get(deps);
  if (existing) return existing;
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
  const c = { all: [...new Set(all)], byRegion, opened };
  connections.set(deps, c);
  return c;
}

/** Publishes a tenant change on every region's Redis; never throws (`@rt/directory`'s bus). */
export function publishToEveryRegion(deps: WorkerDeps, tenantId: string) {
  return publishTenantChangedToRegions(regionRedis(deps), tenantId);
}

/** Disconnects the connections {@link regionRedis} opened. */
export function closeRegionRedis(deps: WorkerDeps): void {
  const c = connections.get(deps);
  connections.delete(deps);
  for (const redis of c?.opened ?? []) redis.disconnect();
}
