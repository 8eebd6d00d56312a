import type { JobPayload, QueueKey } from '@rt/queue';
import type { Job } from 'bullmq';
import type { WorkerDeps } from '../deps.js';
import { deletionJob } from './deletion.js';
import { maintenanceJob } from './maintenance.js';
import { migrationJob } from './migration.js';

/** A job handler: a plain function of the worker's deps and a validated payload. */
export type JobHandler<K extends QueueKey> = (
  deps: WorkerDeps,
  payload: JobPayload<K>,
  job: Job,
) => Promise<unknown>;

/**
 * The handler of each queue. One file per job under `src/jobs/`; register it here. Every queue
 * declared in `@rt/queue` has one: a queue declared without a handler does not compile.
 */
export const jobHandlers: { [K in QueueKey]: JobHandler<K> } = {
  deletion: deletionJob,
  maintenance: maintenanceJob,
  migration: migrationJob,
};
