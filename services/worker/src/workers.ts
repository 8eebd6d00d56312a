import { parseJobPayload, type QueueKey, Queues } from '@rt/queue';
import { type Job, Worker } from 'bullmq';
import type { WorkerDeps } from './deps.js';
import { jobHandlers } from './jobs/index.js';

/** A running set of BullMQ workers, closed together on shutdown. */
export interface RunningWorkers {
  /** One BullMQ worker per queue that has a handler, with the queue it consumes. */
  workers: Array<{ key: QueueKey; worker: Worker }>;
  close(): Promise<void>;
}

/** Knobs of the BullMQ workers. */
export interface WorkerOptions {
  /**
   * How long a job's lock lasts without renewal (BullMQ `lockDuration`, default 30 000 ms): after
   * a worker dies mid-job, its job is picked up again once the lock expired. Tests that kill a
   * worker make it short.
   */
  lockDurationMs?: number;
  /**
   * How often the stalled-job check runs (BullMQ `stalledInterval`, default 5 000 ms). A job
   * whose lock expired is found by one check and moved back to wait by the next.
   */
  stalledIntervalMs?: number;
}

/**
 * Starts one BullMQ worker per queue that has a handler. Payloads are validated against the
 * shared schema before the handler runs; stalled jobs (a worker killed mid-job) are picked up
 * again by BullMQ's stalled-job check, so every handler must be idempotent.
 */
export async function startWorkers(deps: WorkerDeps, options: WorkerOptions = {}): Promise<RunningWorkers> {
  const workers: RunningWorkers['workers'] = [];
  for (const key of Object.keys(jobHandlers) as QueueKey[]) {
    const handler = jobHandlers[key];
    if (!handler) continue;
    const worker = new Worker(
      Queues[key].name,
      async (job: Job) => handler(deps, parseJobPayload(key, job.data) as never, job),
      {
        connection: deps.redis.duplicate(),
        prefix: deps.queuePrefix ?? 'bull',
        concurrency: 4,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 5_000,
        maxStalledCount: 10,
      },
    );
    worker.on('failed', (job, err) =>
      deps.logger.warn(
        { queue: key, jobId: job?.id, attempt: job?.attemptsMade, err: err.message },
        'job failed',
      ),
    );
    worker.on('error', (err) => deps.logger.error({ queue: key, err: err.message }, 'worker error'));
    workers.push({ key, worker });
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map(({ worker }) => worker.close()));
    },
  };
}
