// A real worker process for the kill -9 test: the same startWorkers() as production, with an
// injected clock (FAKE_NOW) and small deletion batches so it can be killed half-way; a short job
// lock and a frequent stalled-job check, so the job it held when killed is picked up again
// within seconds.
import { createDirectoryClient, createPgPool, createRegionalClient } from '@rt/db';
import { createLogger } from '@rt/http';
import { createRedis } from '@rt/queue';
import { createS3Client } from '@rt/storage';
import type { RegionHandle } from '../../src/deps.js';
import { createDeletionJob } from '../../src/jobs/deletion.js';
import { jobHandlers } from '../../src/jobs/index.js';
import { createWorkerDeps } from '../../src/worker-state.js';
import { startWorkers } from '../../src/workers.js';

const env = process.env as Record<string, string>;
const regions = new Map<string, RegionHandle>();
for (const id of ['EU', 'US']) {
  const settings = JSON.parse(env[`CHILD_REGION_${id}`] as string);
  const conn = { url: settings.databaseUrl, poolSize: 2 };
  regions.set(id, {
    settings,
    db: createRegionalClient(conn),
    pool: createPgPool(conn),
    s3: createS3Client(settings),
    bucket: settings.bucket,
  });
}
const fakeNow = new Date(env.FAKE_NOW as string);
const deps = createWorkerDeps({
  region: env.CHILD_HOME_REGION as string,
  directory: createDirectoryClient({ url: env.CHILD_DIRECTORY_URL as string, poolSize: 2 }),
  regions,
  redis: createRedis(env.CHILD_REDIS_URL as string),
  queuePrefix: env.CHILD_QUEUE_PREFIX,
  logger: createLogger('worker-child', 'silent'),
  now: () => fakeNow,
});
jobHandlers.deletion = createDeletionJob({ batchSize: Number(env.CHILD_BATCH_SIZE ?? 1000) });
await startWorkers(deps, { lockDurationMs: 2_000, stalledIntervalMs: 1_000 });
process.stdout.write('ready\n');
