/**
 * A worker process for fault tests: joins a test's environment (config as JSON in
 * RT_WORKER_TEST_CONFIG), consumes the migration queue with short lock/stall intervals (so a
 * killed worker's job is picked up again within seconds) and runs the sweeper.
 */
import { parseJobPayload, Queues } from '@rt/queue';
import { Worker } from 'bullmq';
import { migrationJob } from '../../src/jobs/migration.js';
import { startMigrationSweeper } from '../../src/migration/pipeline.js';
import { depsFromConfig, type WorkerTestConfig } from './migration-env.js';

const config = JSON.parse(process.env.RT_WORKER_TEST_CONFIG ?? '{}') as WorkerTestConfig;
const deps = depsFromConfig(config);
const worker = new Worker(
  Queues.migration.name,
  async (job) => migrationJob(deps, parseJobPayload('migration', job.data), job),
  {
    connection: deps.redis.duplicate(),
    prefix: config.prefix,
    concurrency: 4,
    lockDuration: 2_000,
    stalledInterval: 1_000,
    maxStalledCount: 20,
  },
);
worker.on('error', () => undefined);
startMigrationSweeper(deps, 1_000);
await worker.waitUntilReady();
process.stdout.write('ready\n');
