import { sweepDueDeletions } from '@rt/deletion';
import { JobProducer } from '@rt/queue';
import type { WorkerDeps } from '../deps.js';

/**
 * Maintenance task `deletion-sweep`: re-enqueues every due deletion of this region's tenants from
 * Postgres (the schedule's source of truth), so a Redis flush or a lost job never drops one.
 */
export async function deletionSweep(deps: WorkerDeps): Promise<{ enqueued: string[] }> {
  const producer = new JobProducer('deletion', { connection: deps.redis, prefix: deps.queuePrefix });
  try {
    const enqueued = await sweepDueDeletions(deps.directory, producer, { region: deps.region }, deps);
    if (enqueued.length > 0) deps.logger.info({ count: enqueued.length }, 'deletion sweep re-enqueued');
    return { enqueued };
  } finally {
    await producer.close();
  }
}
