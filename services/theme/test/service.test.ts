import { createPgPool, createRegionalClient } from '@rt/db';
import type { ServiceApp } from '@rt/http';
import { assertServiceContract, createTestDatabase, type TestDatabase } from '@rt/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { buildApp } from '../src/app.js';

const secret = 's'.repeat(40);
let database: TestDatabase;
let app: ServiceApp;
let close: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase('regional', 'theme');
  const db = createRegionalClient({ url: database.url, poolSize: 2 });
  const pool = createPgPool({ url: database.url, poolSize: 2 });
  app = await buildApp({ internalTokenSecret: secret, db, pool, logLevel: 'silent' });
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
});
