import { createLogger } from '@rt/http';
import { createRedis, JobProducer } from '@rt/queue';
import { redisTestPrefix, testRedisUrl } from '@rt/testing';
import { afterAll, expect, it } from 'vitest';
import type { WorkerDeps } from '../src/deps.js';
import { registerMaintenanceSchedules } from '../src/schedules.js';

const redis = createRedis(testRedisUrl());
const prefix = redisTestPrefix('schedules');

afterAll(async () => {
  const q = new JobProducer('maintenance', { connection: redis, prefix });
  await q.queue.obliterate({ force: true });
  await q.close();
  redis.disconnect();
});

it('registers the deletion sweep (10 min), hourly asset collection and the daily access-log retention, idempotently', async () => {
  const deps = {
    region: 'EU',
    redis,
    queuePrefix: prefix,
    logger: createLogger('t', 'silent'),
  } as WorkerDeps;
  await registerMaintenanceSchedules(deps);
  await registerMaintenanceSchedules(deps); // a restart upserts, never duplicates
  const q = new JobProducer('maintenance', { connection: redis, prefix });
  const schedulers = await q.queue.getJobSchedulers();
  await q.close();
  expect(
    schedulers
      .map((s) => ({ key: s.key, every: s.every, pattern: s.pattern }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  ).toEqual([
    { key: 'access-log-retention:EU', every: undefined, pattern: '5 0 * * *' },
    { key: 'asset-gc:EU', every: 3_600_000, pattern: undefined },
    { key: 'deletion-sweep:EU', every: 600_000, pattern: undefined },
  ]);
});
