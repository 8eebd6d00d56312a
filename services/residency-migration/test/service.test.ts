import { createDirectoryClient, type DirectoryDb } from '@rt/db';
import type { ServiceApp } from '@rt/http';
import { createRedis, type Redis } from '@rt/queue';
import {
  assertServiceContract,
  createTestDatabase,
  redisTestPrefix,
  type TestDatabase,
  testRedisUrl,
} from '@rt/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { testCoordinator } from './support.js';

const secret = 's'.repeat(40);
let database: TestDatabase;
let directory: DirectoryDb;
let redis: Redis;
let app: ServiceApp;

beforeAll(async () => {
  database = await createTestDatabase('directory', 'migration');
  directory = createDirectoryClient({ url: database.url, poolSize: 2 });
  redis = createRedis(testRedisUrl());
  const { coordinator } = testCoordinator(directory, redis, redisTestPrefix('mig-svc'));
  app = await buildApp({ internalTokenSecret: secret, directory, redis, coordinator, logLevel: 'silent' });
});

afterAll(async () => {
  await app?.close();
  await directory?.$disconnect();
  redis?.disconnect();
  await database?.drop();
});

describe('residency-migration service skeleton', () => {
  it('keeps the service contract: health, readiness, metrics, internal token required', async () => {
    await assertServiceContract(app, {
      secret,
      probePath: '/dare-migration/status?migrationId=x',
      kind: 'atlassian-callback',
    });
  });
});
