import { allowAllWritesForTests } from '@rt/auth';
import { createPgPool, createRegionalClient } from '@rt/db';
import type { ServiceApp } from '@rt/http';
import { createS3Client } from '@rt/storage';
import {
  assertServiceContract,
  createTestDatabase,
  type LocalS3,
  startLocalS3,
  type TestDatabase,
} from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppDeps, buildApp } from '../src/app.js';

const secret = 's'.repeat(40);
let database: TestDatabase;
let s3server: LocalS3;
let app: ServiceApp;
let close: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase('regional', 'asset');
  s3server = await startLocalS3({ buckets: ['rt-test-assets'] });
  const db = createRegionalClient({ url: database.url, poolSize: 2 });
  const pool = createPgPool({ url: database.url, poolSize: 2 });
  const s3 = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3server.endpoint });
  app = await buildApp({
    internalTokenSecret: secret,
    db,
    pool,
    authorize: allowAllWritesForTests,
    s3,
    bucket: 'rt-test-assets',
    logLevel: 'silent',
  });
  close = async () => {
    await app.close();
    s3.destroy();
    await db.$disconnect();
    await pool.end();
  };
});

afterAll(async () => {
  await close?.();
  await s3server?.close();
  await database?.drop();
});

describe('asset service skeleton', () => {
  it('keeps the service contract: health, readiness, metrics, internal token required', async () => {
    await assertServiceContract(app, { secret, probePath: '/api/v1/assets' });
  });

  it('does not start without a permission check: there is no allow-all default', async () => {
    const withoutAuthorize = { internalTokenSecret: secret, logLevel: 'silent' } as AppDeps;
    await expect(buildApp(withoutAuthorize)).rejects.toThrow(/authorize/);
  });

  it('reports not-ready when its bucket is missing', async () => {
    const s3 = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3server.endpoint });
    const db = createRegionalClient({ url: database.url, poolSize: 1 });
    const pool = createPgPool({ url: database.url, poolSize: 1 });
    const other = await buildApp({
      internalTokenSecret: secret,
      db,
      pool,
      authorize: allowAllWritesForTests,
      s3,
      bucket: 'no-such-bucket',
      logLevel: 'silent',
    });
    const res = await other.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'not-ready',
      checks: { s3: { status: 'fail' }, postgres: { status: 'ok' } },
    });
    await other.close();
    s3.destroy();
    await db.$disconnect();
    await pool.end();
  });
});
