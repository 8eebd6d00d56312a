import type { JobPayload, QueueKey } from '@rt/queue';
import type { Job } from 'bullmq';
import type { WorkerDeps } from '../deps.js';
import { assetGc } from './asset-gc.js';

/** A job handler: a plain function of the worker's deps and a validated payload. */
export type JobHandler<K extends QueueKey> = (
  deps: WorkerDeps,
  payload: JobPayload<K>,
  job: Job,
) => Promise<unknown>;

/** The handler of each task of the maintenance queue (one file per task under `src/jobs/`). */
export const maintenanceTasks: { [T in JobPayload<'maintenance'>['task']]?: JobHandler<'maintenance'> } = {
  'asset-gc': assetGc,
};

/**
 * The handler of each queue. One file per job under `src/jobs/`; register it here.
 */
export const jobHandlers: { [K in QueueKey]?: JobHandler<K> } = {
  maintenance: (deps, payload, job) => {
    const task = maintenanceTasks[payload.task];
    if (!task) throw new Error(`no handler for maintenance task ${payload.task}`);
    return task(deps, payload, job);
  },
};
