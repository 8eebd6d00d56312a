import { randomUUID } from 'node:crypto';
import { createDirectoryClient, createPgPool, createRegionalClient } from '@rt/db';
import { createLogger } from '@rt/http';
import { createRedis, JobProducer } from '@rt/queue';
import { createS3Client } from '@rt/storage';
import {
  createTestDatabase,
  type LocalS3,
  redisTestPrefix,
  startLocalS3,
  type TestDatabase,
  testRedisUrl,
} from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { RegionHandle, WorkerDeps } from '../src/deps.js';
import { closeWorkerState, createWorkerDeps, type WorkerResources } from '../src/worker-state.js';
import { startWorkers } from '../src/workers.js';

let dbs: TestDatabase[] = [];
let s3server: LocalS3;
let resources: WorkerResources;
let deps: WorkerDeps;

beforeAll(async () => {
  const [directoryDb, eu, us] = await Promise.all([
    createTestDatabase('directory', 'worker'),
    createTestDatabase('regional', 'worker-eu'),
    createTestDatabase('regional', 'worker-us'),
  ]);
  dbs = [directoryDb!, eu!, us!];
  s3server = await startLocalS3({ buckets: ['rt-worker-eu', 'rt-worker-us'] });
  const region = (id: string, url: string, bucket: string): [string, RegionHandle] => [
    id,
    {
      settings: {
        id,
        awsRegion: 'eu-central-1',
        databaseUrl: url,
        redisUrl: testRedisUrl(),
        bucket,
        baseUrl: 'http://x',
      },
      db: createRegionalClient({ url, poolSize: 1 }),
      pool: createPgPool({ url, poolSize: 1 }),
      s3: createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3server.endpoint }),
      bucket,
    },
  ];
  resources = {
    region: 'EU',
    directory: createDirectoryClient({ url: directoryDb!.url, poolSize: 1 }),
    regions: new Map([region('EU', eu!.url, 'rt-worker-eu'), region('US', us!.url, 'rt-worker-us')]),
    redis: createRedis(testRedisUrl()),
    logger: createLogger('worker', 'silent'),
    now: () => new Date(),
  };
  deps = createWorkerDeps(resources);
});

afterAll(async () => {
  if (deps) await closeWorkerState(deps);
  await deps?.directory.$disconnect();
  for (const r of deps?.regions.values() ?? []) {
    await r.db.$disconnect();
    await r.pool.end();
    r.s3.destroy();
  }
  deps?.redis.disconnect();
  await s3server?.close();
  await Promise.all(dbs.map((d) => d.drop()));
});

describe('worker health', () => {
  it('is ready only when the directory, Redis and every region answer', async () => {
    const app = await buildApp(deps);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(Object.keys(ready.json().checks).sort()).toEqual([
      'directory',
      'postgres-EU',
      'postgres-US',
      'redis',
      's3-EU',
      's3-US',
    ]);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();

    const broken = await buildApp({
      ...deps,
      regions: new Map([...deps.regions].map(([id, r]) => [id, { ...r, bucket: `${r.bucket}-missing` }])),
    });
    const notReady = await broken.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks['s3-US'].status).toBe('fail');
    await broken.close();
  });
});

describe('worker metrics', () => {
  it('reports job counts per queue and state, and the run time of the jobs it ran', async () => {
    const queuePrefix = redisTestPrefix();
    const workerDeps = createWorkerDeps({ ...resources, queuePrefix });
    const running = await startWorkers(workerDeps);
    const app = await buildApp(workerDeps, running);
    const producer = new JobProducer('deletion', { connection: deps.redis, prefix: queuePrefix });
    const deletionWorker = running.workers.find((w) => w.key === 'deletion')!.worker;
    const finished = new Promise((resolve) => {
      deletionWorker.once('completed', resolve);
      deletionWorker.once('failed', resolve);
    });
    // A deletion that does not exist: the handler finishes it one way or the other, once.
    await producer.add('delete', { deletionId: randomUUID() }, { attempts: 1 });
    await finished;

    await app.ready();
    const text = await app.metrics.metrics();
    for (const queue of ['migration', 'deletion', 'maintenance'])
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(text).toContain(`rt_worker_queue_jobs{queue="${queue}",state="${state}",`);
    const counted = /rt_worker_queue_jobs\{queue="deletion",state="(completed|failed)",[^}]*\} (\d+)/g;
    expect([...text.matchAll(counted)].reduce((n, m) => n + Number(m[2]), 0)).toBe(1);
    const runs = text
      .split('\n')
      .filter((l) => l.startsWith('rt_worker_job_duration_seconds_count{') && l.includes('queue="deletion"'));
    expect(runs.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0)).toBe(1);

    await app.close();
    await running.close();
    await closeWorkerState(workerDeps);
    await producer.queue.close();
  });
});
