import type { QueueKey } from '@rt/queue';
import { Queues } from '@rt/queue';
import { type Job, Queue, type Worker } from 'bullmq';
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { WorkerDeps } from './deps.js';

/** Job states reported per queue, as BullMQ's `getJobCounts` names them. */
const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/** Handle to stop what {@link registerQueueMetrics} started. */
export interface QueueMetrics {
  close(): Promise<void>;
}

/**
 * Prometheus metrics per queue, the ones operators of BullMQ watch:
 * `rt_worker_queue_jobs{queue,state}` (waiting, active, delayed, failed, … read from Redis at
 * scrape time, so they are right whichever replica is scraped) and
 * `rt_worker_job_duration_seconds{queue,outcome}` (run time of the jobs this process ran).
 */
export function registerQueueMetrics(
  registry: Registry,
  deps: Pick<WorkerDeps, 'redis' | 'queuePrefix' | 'logger'>,
  workers: ReadonlyArray<{ key: QueueKey; worker: Worker }>,
): QueueMetrics {
  // Queue objects only to read counts; they share the worker's connection and create no jobs.
  const queues = (Object.keys(Queues) as QueueKey[]).map(
    (key) =>
      [
        key,
        new Queue(Queues[key].name, { connection: deps.redis, prefix: deps.queuePrefix ?? 'bull' }),
      ] as const,
  );

  new Gauge({
    name: 'rt_worker_queue_jobs',
    help: 'Jobs per queue and state (read from Redis at scrape time)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async ([key, queue]) => {
          try {
            const counts = await queue.getJobCounts(...STATES);
            for (const state of STATES) this.set({ queue: key, state }, counts[state] ?? 0);
          } catch (err) {
            // A scrape must not fail because Redis hiccuped; the gauge is simply absent this time.
            deps.logger.warn({ queue: key, err: (err as Error).message }, 'queue counts unavailable');
          }
        }),
      );
    },
  });

  const duration = new Histogram({
    name: 'rt_worker_job_duration_seconds',
    help: 'Run time of jobs processed by this worker, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  const observe = (key: QueueKey, outcome: 'completed' | 'failed', job: Job | undefined) => {
    if (!job?.processedOn) return;
    const end = job.finishedOn ?? Date.now();
    duration.observe({ queue: key, outcome }, Math.max(0, end - job.processedOn) / 1000);
  };
  for (const { key, worker } of workers) {
    worker.on('completed', (job) => observe(key, 'completed', job));
    worker.on('failed', (job) => observe(key, 'failed', job));
  }

  return {
    async close() {
      await Promise.all(queues.map(([, q]) => q.close()));
    },
  };
}
