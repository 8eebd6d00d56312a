/**
 * Cross-router cache invalidation of the tenant directory.
 *
 * Every router keeps tenants (home region, freeze state, install state, secret) in memory. Whoever
 * commits a change to a tenant row — install/uninstall (router), a migration freeze or commit
 * (residency-migration, worker), a deletion (worker) — publishes the tenant id on
 * {@link tenantChangedChannel} AFTER the database commit. Every router subscribes to the Redis of
 * every region, so publishing on the Redis of your own region reaches all of them.
 * A router also bounds its cache with a TTL, so a lost message costs at most that TTL. The layout
 * and theme services drop a tenant's cached documents on the same notice (see `tenant-bus.ts`).
 */

/** The part of an ioredis client that publishes (keeps the package free of a Redis dependency). */
export interface RedisPublisher {
  publish(channel: string, message: string): Promise<number>;
}

/** Redis pub/sub channel base name; pub/sub ignores the DB index, so tests add a prefix. */
export const TENANT_CHANGED_CHANNEL = 'rt:directory:tenant-changed';

/** The channel for a key prefix ('' in production; `redisTestPrefix()` in tests). */
export function tenantChangedChannel(prefix = ''): string {
  return prefix ? `${prefix}:${TENANT_CHANGED_CHANNEL}` : TENANT_CHANGED_CHANNEL;
}

/**
 * Tells every router to drop its cached copy of a tenant. Call it after the transaction that
 * changed the tenant's home region, freeze state, install state or secret has committed.
 * Returns the number of subscribers that received it (0 is not an error: the TTL still applies).
 */
export function publishTenantChanged(redis: RedisPublisher, tenantId: string, prefix = ''): Promise<number> {
  return redis.publish(tenantChangedChannel(prefix), tenantId);
}

/**
 * Tells the routers of every region: publishes the tenant change on each given Redis (one per
 * region, since each region's routers listen on their own Redis). Never throws: a router's
 * cache also expires on its own, so a failed publish delays, never corrupts. Counts how many
 * regions were reached and how many failed (for the caller's log).
 */
export async function publishTenantChangedToRegions(
  connections: Iterable<RedisPublisher>,
  tenantId: string,
  prefix = '',
): Promise<{ published: number; failed: number }> {
  let published = 0;
  let failed = 0;
  await Promise.all(
    [...new Set(connections)].map(async (redis) => {
      try {
        await publishTenantChanged(redis, tenantId, prefix);
        published++;
      } catch {
        failed++;
      }
    }),
  );
  return { published, failed };
}
