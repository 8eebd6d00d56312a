import { allowAllWritesForTests } from '@rt/auth';
import { createPgPool, createRegionalClient } from '@rt/db';
import type { ServiceApp } from '@rt/http';
import { assertServiceContract, createTestDatabase, type TestDatabase } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppDeps, buildApp } from '../src/app.js';

const secret = 's'.repeat(40);
let database: TestDatabase;
let app: ServiceApp;
let close: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase('regional', 'theme');
  const db = createRegionalClient({ url: database.url, poolSize: 2 });
  const pool = createPgPool({ url: database.url, poolSize: 2 });
  app = await buildApp({
    internalTokenSecret: secret,
    db,
    pool,
    authorize: allowAllWritesForTests,
    logLevel: 'silent',
  });
  close = async () => {
    await app.close();
    await db.$disconnect();
    await pool.end();
  };
});

afterAll(async () => {
  await close?.();
  await database?.drop();
});

describe('theme service skeleton', () => {
  it('keeps the service contract: health, readiness, metrics, internal token required', async () => {
    await assertServiceContract(app, { secret, probePath: '/api/v1/themes' });
  });

  it('does not start without a permission check: there is no allow-all default', async () => {
    const withoutAuthorize = { internalTokenSecret: secret, logLevel: 'silent' } as AppDeps;
    await expect(buildApp(withoutAuthorize)).rejects.toThrow(/authorize/);
  });
});
