import { TENANT_CHANGED_CHANNEL } from '@rt/directory';
import type { Redis } from '@rt/queue';

/**
 * Redis pub/sub channel on which a tenant's directory entry changed (home region, freeze,
 * revision), declared once in @rt/directory. The message is the tenant id. Routers subscribe in
 * every region and drop their cached tenant entry, so a flipped home or a freeze is seen at once,
 * not after a cache TTL.
 */
export { TENANT_CHANGED_CHANNEL };

/** Publishes a tenant change to every given Redis (one per region); never throws. */
export async function publishTenantChanged(
  connections: Iterable<Redis>,
  tenantId: string,
): Promise<{ published: number; failed: number }> {
  let published = 0;
  let failed = 0;
  await Promise.all(
    [...connections].map(async (redis) => {
      try {
        await redis.publish(TENANT_CHANGED_CHANNEL, tenantId);
        published++;
      } catch {
        // The router's cache also expires on its own; a failed publish delays, never corrupts.
        failed++;
      }
    }),
  );
  return { published, failed };
}
