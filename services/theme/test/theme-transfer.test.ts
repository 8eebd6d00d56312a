import { randomUUID } from 'node:crypto';
import { allowAllWritesForTests } from '@rt/auth';
import { createPgPool, createRegionalClient, type PgPool } from '@rt/db';
import { exampleThemeTokens } from '@rt/documents';
import type { ServiceApp } from '@rt/http';
import { createTestDatabase, internalToken, type TestDatabase } from '@rt/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { THEME_FILE_FORMAT } from '../src/routes/theme-transfer.js';

// Imports and copies are written by the theme repository's create, like a POST /themes: the
// answer, the stored document, its first revision and its asset usages are those of a create.

const secret = 's'.repeat(40);
const tenant = randomUUID();
let database: TestDatabase;
let app: ServiceApp;
let pool: PgPool;
let close: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase('regional', 'themetransferpath');
  const db = createRegionalClient({ url: database.url, poolSize: 2 });
  pool = createPgPool({ url: database.url, poolSize: 2 });
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

const call = (options: InjectOptions) =>
  app.inject({ ...options, headers: { authorization: `Bearer ${internalToken(secret, tenant)}` } });

it('answers an import and a copy like a create, and stores them like one', async () => {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO assets (tenant_id, sha256, media_type, size) VALUES ($1, $2, 'image/png', 10) RETURNING id`,
    [tenant, 'b'.repeat(64)],
  );
  const logo = rows[0]?.id as string;
  const theme = { name: 'n'.repeat(120), scope: 'site', tokens: exampleThemeTokens('#123456') };
  const imported = await call({
    method: 'POST',
    url: '/api/v1/themes/import',
    payload: {
      format: THEME_FILE_FORMAT,
      formatVersion: 1,
      theme: { ...theme, images: { logo: { $asset: logo.toUpperCase() } } },
      assets: [],
    },
  });
  expect(imported.statusCode).toBe(201);
  const copied = await call({
    method: 'POST',
    url: `/api/v1/themes/${imported.json().id}/copy`,
    payload: {},
  });
  expect(copied.statusCode).toBe(201);

  for (const res of [imported, copied]) {
    const body = res.json();
    expect(res.headers).toMatchObject({ location: `/api/v1/themes/${body.id}`, etag: '"1"' });
    expect(body).toMatchObject({ version: 1, isDefault: false, images: { logo: { $asset: logo } } });
    // What was answered is what a read returns.
    const read = await call({ method: 'GET', url: res.headers.location as string });
    expect(read.json()).toEqual(body);
    const revisions = await call({ method: 'GET', url: `${res.headers.location}/revisions` });
    expect(revisions.json().items.map((r: { version: number }) => r.version)).toEqual([1]);
    const usages = await pool.query(
      'SELECT asset_id FROM asset_references WHERE tenant_id = $1 AND document_id = $2',
      [tenant, body.id],
    );
    expect(usages.rows).toEqual([{ asset_id: logo }]);
  }
  // The copy's default name stays within the 120 characters a theme name may have.
  expect(copied.json().name).toBe(`${'n'.repeat(113)} (copy)`);
});
