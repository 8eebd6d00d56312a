import { createDirectoryClient, createPgPool, createRegionalClient } from '@rt/db';
import { createLogger } from '@rt/http';
import { createRedis } from '@rt/queue';
import { createS3Client } from '@rt/storage';
import { createTestDatabase, type LocalS3, startLocalS3, type TestDatabase, testRedisUrl } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { RegionHandle, WorkerDeps } from '../src/deps.js';

let dbs: TestDatabase[] = [];
let s3server: LocalS3;
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
  deps = {
    region: 'EU',
    directory: createDirectoryClient({ url: directoryDb!.url, poolSize: 1 }),
    regions: new Map([region('EU', eu!.url, 'rt-worker-eu'), region('US', us!.url, 'rt-worker-us')]),
    redis: createRedis(testRedisUrl()),
    logger: createLogger('worker', 'silent'),
    now: () => new Date(),
  };
});

afterAll(async () => {
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
