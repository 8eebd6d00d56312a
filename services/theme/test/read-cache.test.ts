import { randomUUID } from 'node:crypto';
import { allowAllWritesForTests } from '@rt/auth';
import { createPgPool, createRegionalClient } from '@rt/db';
import { exampleThemeTokens } from '@rt/documents';
import type { ServiceApp } from '@rt/http';
import { createRedis, type Redis } from '@rt/queue';
import { createTestDatabase, internalToken, redisTestPrefix, type TestDatabase } from '@rt/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';

/** Two replicas of the theme service on one database and one Redis, each with a counted pool. */
const secret = 's'.repeat(40);
const prefix = redisTestPrefix('theme-cache');
let database: TestDatabase;
const connections: Redis[] = [];
const closers: (() => Promise<void>)[] = [];

interface Replica {
  app: ServiceApp;
  queries: () => number;
}
let a: Replica;
let b: Replica;

async function replica(): Promise<Replica> {
  const db = createRegionalClient({ url: database.url, poolSize: 1 });
  const pool = createPgPool({ url: database.url, poolSize: 3 });
  let count = 0;
  const query = pool.query.bind(pool);
  pool.query = ((...args: Parameters<typeof query>) => {
    count++;
    return query(...args);
  }) as typeof pool.query;
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const publisher = createRedis(url);
  const subscriber = createRedis(url);
  connections.push(publisher, subscriber);
  const app = await buildApp({
    internalTokenSecret: secret,
    db,
    pool,
    authorize: allowAllWritesForTests,
    logLevel: 'silent',
    tenantBus: { publisher, subscriber, prefix },
  });
  await app.ready();
  closers.push(async () => {
    await app.close();
    await db.$disconnect();
    await pool.end();
  });
  return { app, queries: () => count };
}

beforeAll(async () => {
  database = await createTestDatabase('regional', 'themecache');
  a = await replica();
  b = await replica();
});

afterAll(async () => {
  for (const close of closers) await close();
  for (const c of connections) c.disconnect();
  await database?.drop();
});

const call = (r: Replica, tenant: string, options: InjectOptions): Promise<LightMyRequestResponse> =>
  r.app.inject({
    ...options,
    headers: { authorization: `Bearer ${internalToken(secret, tenant)}`, ...options.headers },
  });

async function createTheme(r: Replica, tenant: string, name: string) {
  const res = await call(r, tenant, {
    method: 'POST',
    url: '/api/v1/themes',
    payload: { name, tokens: exampleThemeTokens() },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

/** Reads through `r` until an answer costs no query (the first may race a write's notice). */
async function cachedOn(r: Replica, tenant: string, url: string): Promise<LightMyRequestResponse> {
  for (let i = 0; i < 1000; i++) {
    await call(r, tenant, { method: 'GET', url });
    const before = r.queries();
    const res = await call(r, tenant, { method: 'GET', url });
    if (r.queries() === before) return res;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} never came from the cache`);
}

/** Repeats `read` until `done` holds (bounded; no duration asserted). */
async function eventually(
  read: () => Promise<LightMyRequestResponse>,
  done: (res: LightMyRequestResponse) => boolean,
): Promise<LightMyRequestResponse> {
  let res = await read();
  for (let i = 0; i < 1000 && !done(res); i++) {
    await new Promise((r) => setTimeout(r, 10));
    res = await read();
  }
  return res;
}

describe('theme read cache across two replicas', () => {
  it('a space’s resolved theme: cached, 304 without a query, and re-resolved after changes anywhere', async () => {
    const tenant = randomUUID();
    const url = '/api/v1/spaces/DOCS/theme';
    // Nothing resolves yet: 404, and that answer is cached and invalidated like any other.
    expect((await cachedOn(b, tenant, url)).statusCode).toBe(404);
    const site = await createTheme(a, tenant, 'Site');
    expect(
      (await call(a, tenant, { method: 'PUT', url: `/api/v1/themes/${site.id}/default` })).statusCode,
    ).toBe(200);
    const resolved = await eventually(
      () => call(b, tenant, { method: 'GET', url }),
      (res) => res.statusCode === 200,
    );
    expect(resolved.json()).toMatchObject({ source: 'default', theme: { id: site.id, isDefault: true } });

    const cached = await cachedOn(b, tenant, url);
    const tag = cached.headers.etag as string;
    const before = b.queries();
    const notModified = await call(b, tenant, { method: 'GET', url, headers: { 'if-none-match': tag } });
    expect(notModified.statusCode).toBe(304);
    expect(b.queries()).toBe(before);

    // Assigning another theme to the space through A: B answers the new resolution.
    const own = await createTheme(a, tenant, 'Docs');
    const put = await call(a, tenant, { method: 'PUT', url, payload: { themeId: own.id } });
    expect(put.statusCode, put.body).toBe(200);
    const reassigned = await eventually(
      () => call(b, tenant, { method: 'GET', url, headers: { 'if-none-match': tag } }),
      (res) => res.statusCode === 200,
    );
    expect(reassigned.json()).toMatchObject({ source: 'space', theme: { id: own.id } });
  });

  it('a theme’s ETag marks the default, so a copy from before the change is not answered 304', async () => {
    const tenant = randomUUID();
    const theme = await createTheme(a, tenant, 'Plain');
    const url = `/api/v1/themes/${theme.id}`;
    const plain = await cachedOn(b, tenant, url);
    expect(plain.headers.etag).toBe('"1"');
    expect((await call(a, tenant, { method: 'PUT', url: `${url}/default` })).headers.etag).toBe(
      '"1-default"',
    );
    const now = await eventually(
      () => call(b, tenant, { method: 'GET', url, headers: { 'if-none-match': '"1"' } }),
      (res) => res.statusCode === 200,
    );
    expect(now.json()).toMatchObject({ version: 1, isDefault: true });
    expect(now.headers.etag).toBe('"1-default"');
    // The tag still works as a precondition of a write of that version.
    const renamed = await call(a, tenant, {
      method: 'PUT',
      url,
      headers: { 'if-match': '"1-default"' },
      payload: { name: 'Renamed', tokens: exampleThemeTokens() },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.headers.etag).toBe('"2-default"');
  });

  it('moving the default drops the other replica’s copy of the theme that lost it', async () => {
    // A theme's answer shows whether it is the default: a write of ANOTHER theme changes it, so
    // theme writes drop every cached theme read of the tenant, not only the written theme's.
    const tenant = randomUUID();
    const first = await createTheme(a, tenant, 'First');
    const second = await createTheme(a, tenant, 'Second');
    const url = `/api/v1/themes/${first.id}`;
    expect((await call(a, tenant, { method: 'PUT', url: `${url}/default` })).statusCode).toBe(200);
    const cached = await eventually(
      () => cachedOn(b, tenant, url),
      (res) => res.json().isDefault === true,
    );
    expect(cached.json()).toMatchObject({ isDefault: true });
    const moved = await call(a, tenant, { method: 'PUT', url: `/api/v1/themes/${second.id}/default` });
    expect(moved.statusCode, moved.body).toBe(200);
    const now = await eventually(
      () => call(b, tenant, { method: 'GET', url }),
      (res) => res.json().isDefault === false,
    );
    expect(now.json()).toMatchObject({ id: first.id, isDefault: false });
    expect(now.headers.etag).toBe('"1"');
  });

  it('a copied theme appears in the other replica’s cached list', async () => {
    const tenant = randomUUID();
    const theme = await createTheme(a, tenant, 'Original');
    const list = await cachedOn(b, tenant, '/api/v1/themes');
    expect(list.json().items).toHaveLength(1);
    const copy = await call(a, tenant, {
      method: 'POST',
      url: `/api/v1/themes/${theme.id}/copy`,
      payload: {},
    });
    expect(copy.statusCode, copy.body).toBe(201);
    const grown = await eventually(
      () => call(b, tenant, { method: 'GET', url: '/api/v1/themes' }),
      (res) => res.json().items.length === 2,
    );
    expect(grown.json().items).toHaveLength(2);
  });
});
