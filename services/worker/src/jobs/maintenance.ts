import type { JobPayload } from '@rt/queue';
import { accessLogRetention } from './access-log-retention.js';
import { assetGc } from './asset-gc.js';
import { deletionSweep } from './deletion-sweep.js';
import type { JobHandler } from './index.js';

/** Name of a periodic housekeeping task (declared with the queue payload in @rt/queue). */
export type MaintenanceTask = JobPayload<'maintenance'>['task'];

/**
 * One task per file under `src/jobs/`; register it here. Every declared task has a handler (a
 * task declared in `@rt/queue` without one does not compile). Migration deadlines are not a task
 * here: the migration sweeper enforces them (`MigrationCoordinator.sweep`).
 */
export const maintenanceTasks: Record<MaintenanceTask, JobHandler<'maintenance'>> = {
  'asset-gc': assetGc,
  'deletion-sweep': deletionSweep,
  'access-log-retention': accessLogRetention,
};

/** Handler of the `maintenance` queue: dispatches to the task named in the payload. */
export const maintenanceJob: JobHandler<'maintenance'> = async (deps, payload, job) => {
  const task = maintenanceTasks[payload.task];
  if (!task) {
    deps.logger.warn({ task: payload.task }, 'no handler for maintenance task');
    return { skipped: true };
  }
  return task(deps, payload, job);
};
