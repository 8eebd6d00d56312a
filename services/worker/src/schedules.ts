import { JobProducer } from '@rt/queue';
import type { WorkerDeps } from './deps.js';
import { ASSET_GC_EVERY_MS } from './jobs/asset-gc.js';
import type { MaintenanceTask } from './jobs/maintenance.js';

/** When each periodic task runs (BullMQ job schedulers; upserted at start, so idempotent). */
export const MAINTENANCE_SCHEDULES: Partial<
  Record<MaintenanceTask, { every: number } | { pattern: string }>
> = {
  // Bounds how late a deletion can be after Redis lost its delayed job.
  'deletion-sweep': { every: 10 * 60_000 },
  // Daily, just after midnight UTC, when a new access-log day starts.
  'access-log-retention': { pattern: '5 0 * * *' },
  // Unreferenced images older than the grace period.
  'asset-gc': { every: ASSET_GC_EVERY_MS },
};

/** Registers (or updates) this region's repeatable maintenance jobs. */
export async function registerMaintenanceSchedules(deps: WorkerDeps): Promise<void> {
  const producer = new JobProducer('maintenance', { connection: deps.redis, prefix: deps.queuePrefix });
  try {
    for (const [task, repeat] of Object.entries(MAINTENANCE_SCHEDULES)) {
      await producer.queue.upsertJobScheduler(`${task}:${deps.region}`, repeat, {
        name: task,
        data: { task: task as MaintenanceTask, region: deps.region },
      });
    }
  } finally {
    await producer.close();
  }
}
