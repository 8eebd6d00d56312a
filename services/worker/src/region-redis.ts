import { createRedis, type Redis } from '@rt/queue';
import { publishTenantChanged } from '@rt/residency';
import type { WorkerDeps } from './deps.js';

interface RegionConnections {
  all: Redis[];
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
  const existing = connections.get(deps);
  if (existing) return existing.all;
  const own = deps.regions.get(deps.region)?.settings.redisUrl;
  const opened: Redis[] = [];
  const all = [...deps.regions.entries()].flatMap(([id, r]) => {
    if (r.settings.redisUrl === own) return [deps.redis];
    if (!r.settings.redisUrl) {
      deps.logger.warn(
        { region: id },
        'no Redis configured for region; its routers expire the tenant by TTL',
      );
      return [];
    }
    const c = createRedis(r.settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    opened.push(c);
    return [c];
  });
  connections.set(deps, { all, opened });
  return all;
}

/** Publishes a tenant change on every region's Redis; never throws (see `publishTenantChanged`). */
export function publishToEveryRegion(deps: WorkerDeps, tenantId: string) {
  return publishTenantChanged(regionRedis(deps), tenantId);
}

/** Disconnects the connections {@link regionRedis} opened. */
export function closeRegionRedis(deps: WorkerDeps): void {
  const c = connections.get(deps);
  connections.delete(deps);
  for (const redis of c?.opened ?? []) redis.disconnect();
}
