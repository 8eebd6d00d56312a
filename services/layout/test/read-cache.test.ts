import { randomUUID } from 'node:crypto';
import { allowAllWritesForTests } from '@rt/auth';
import { createPgPool, createRegionalClient, type PgPool } from '@rt/db';
import { publishTenantChanged } from '@rt/directory';
import { exampleLayoutContent } from '@rt/documents';
import type { ServiceApp } from '@rt/http';
import { createRedis, type Redis } from '@rt/queue';
import { createTestDatabase, internalToken, redisTestPrefix, type TestDatabase } from '@rt/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';

/**
 * Two replicas of the layout service on one database and one Redis, as a region runs them:
 * each with its own pool (whose reads are counted), read cache and bus connections.
 */
const secret = 's'.repeat(40);
const prefix = redisTestPrefix('layout-cache');
let database: TestDatabase;
let admin: PgPool;
const connections: Redis[] = [];
const closers: (() => Promise<void>)[] = [];

interface Replica {
  app: ServiceApp;
  /** Queries this replica sent to Postgres outside transactions (every read is one). */
  queries: () => number;
}
let a: Replica;
let b: Replica;

async function replica(): Promise<Replica> {
  const db = createRegionalClient({ url: database.url, poolSize: 1 });
  const pool = createPgPool({ url: database.url, poolSize: 3 });
  // A counter around the real pool: proves which answers needed no database round trip.
  let count = 0;
  const query = pool.query.bind(pool);
  pool.query = ((...args: Parameters<typeof query>) => {
    count++;
    return query(...args);
  }) as typeof pool.query;
  const publisher = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const subscriber = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
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
  database = await createTestDatabase('regional', 'layoutcache');
  admin = createPgPool({ url: database.url, poolSize: 1 });
  a = await replica();
  b = await replica();
});

afterAll(async () => {
  for (const close of closers) await close();
  for (const c of connections) c.disconnect();
  await admin?.end();
  await database?.drop();
});

const call = (r: Replica, tenant: string, options: InjectOptions): Promise<LightMyRequestResponse> =>
  r.app.inject({
    ...options,
    headers: { authorization: `Bearer ${internalToken(secret, tenant)}`, ...options.headers },
  });

async function createLayout(r: Replica, tenant: string, name = 'Home') {
  const res = await call(r, tenant, {
    method: 'POST',
    url: '/api/v1/layouts',
    payload: { name, scope: 'site', content: exampleLayoutContent() },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}

/** Repeats `read` until `done` holds for its answer; bounded, and no duration is asserted. */
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

/**
 * Reads `url` through `r` until an answer comes from its cache (costs no query). The first read
 * after a write may race that write's own notice, which rightly stops it from being cached.
 */
async function cachedOn(r: Replica, tenant: string, url: string): Promise<LightMyRequestResponse> {
  let res = await call(r, tenant, { method: 'GET', url });
  for (let i = 0; i < 1000; i++) {
    const before = r.queries();
    res = await call(r, tenant, { method: 'GET', url });
    if (r.queries() === before) return res;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} never came from the cache`);
}

describe('layout read cache across two replicas', () => {
  it('after a write through A, B serves the new version once the notice is delivered; A at once', async () => {
    const tenant = randomUUID();
    const { id } = await createLayout(a, tenant);
    const url = `/api/v1/layouts/${id}`;
    // B reads and caches version 1 (a read costs B no query).
    expect((await cachedOn(b, tenant, url)).json()).toMatchObject({ version: 1 });
    // A caches it too, then writes: its own next read is the new version, without waiting.
    expect((await cachedOn(a, tenant, url)).json()).toMatchObject({ version: 1 });
    const put = await call(a, tenant, {
      method: 'PUT',
      url,
      headers: { 'if-match': '"1"' },
      payload: { name: 'Home v2', scope: 'site', content: exampleLayoutContent() },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await call(a, tenant, { method: 'GET', url })).json()).toMatchObject({ version: 2 });
    // B: the document-changed notice drops its copy (bounded wait, no timing asserted).
    const seen = await eventually(
      () => call(b, tenant, { method: 'GET', url }),
      (res) => res.json().version === 2,
    );
    expect(seen.json()).toMatchObject({ version: 2, name: 'Home v2' });
    expect(seen.headers.etag).toBe('"2"');
  });

  it('answers If-None-Match with 304 and no database round trip when it knows the current ETag', async () => {
    const tenant = randomUUID();
    const { id } = await createLayout(a, tenant);
    const url = `/api/v1/layouts/${id}`;
    const first = await cachedOn(b, tenant, url);
    expect(first.headers.etag).toBe('"1"');
    const before = b.queries();
    const notModified = await call(b, tenant, { method: 'GET', url, headers: { 'if-none-match': '"1"' } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe('"1"');
    expect(b.queries()).toBe(before);
    // A stale tag gets the full answer.
    const changed = await call(b, tenant, { method: 'GET', url, headers: { 'if-none-match': '"0"' } });
    expect(changed.statusCode).toBe(200);

    // Lists: an ETag of the page, 304 without a query, a new tag after a write.
    const listUrl = '/api/v1/layouts?scope=site';
    const list = await cachedOn(b, tenant, listUrl);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    const listTag = list.headers.etag as string;
    expect(listTag).toMatch(/^"c/);
    const beforeList = b.queries();
    const list304 = await call(b, tenant, {
      method: 'GET',
      url: listUrl,
      headers: { 'if-none-match': listTag },
    });
    expect(list304.statusCode).toBe(304);
    expect(b.queries()).toBe(beforeList);
    await createLayout(a, tenant, 'Second');
    const grown = await eventually(
      () => call(b, tenant, { method: 'GET', url: listUrl, headers: { 'if-none-match': listTag } }),
      (res) => res.statusCode === 200,
    );
    expect(grown.json().items).toHaveLength(2);
    expect(grown.headers.etag).not.toBe(listTag);
  });

  it('never answers one tenant with another tenant’s cached reads', async () => {
    const owner = randomUUID();
    const other = randomUUID();
    const { id } = await createLayout(a, owner, 'secret of owner');
    // Cached for the owner under the very keys the other tenant asks for next.
    expect((await cachedOn(b, owner, `/api/v1/layouts/${id}`)).statusCode).toBe(200);
    const ownerList = await cachedOn(b, owner, '/api/v1/layouts');
    expect(ownerList.json().items).toHaveLength(1);

    const stolen = await call(b, other, { method: 'GET', url: `/api/v1/layouts/${id}` });
    expect(stolen.statusCode).toBe(404);
    expect(stolen.json().code).toBe('LAYOUT_NOT_FOUND');
    const byTag = await call(b, other, {
      method: 'GET',
      url: `/api/v1/layouts/${id}`,
      headers: { 'if-none-match': '"1"' },
    });
    expect(byTag.statusCode).toBe(404);
    const otherList = await call(b, other, {
      method: 'GET',
      url: '/api/v1/layouts',
      headers: { 'if-none-match': ownerList.headers.etag as string },
    });
    expect(otherList.statusCode).toBe(200);
    expect(otherList.json().items).toEqual([]);
  });

  it('drops a tenant’s cached reads on a tenant-changed notice (migration commit, deletion)', async () => {
    const tenant = randomUUID();
    const { id } = await createLayout(a, tenant);
    const url = `/api/v1/layouts/${id}`;
    expect((await cachedOn(b, tenant, url)).json().name).toBe('Home');
    // A change that does not pass through the service (as a migration's import or the deletion
    // job makes it): the cache still answers the old copy…
    await admin.query(`UPDATE layouts SET name = 'moved in' WHERE tenant_id = $1 AND id = $2`, [tenant, id]);
    expect((await call(b, tenant, { method: 'GET', url })).json().name).toBe('Home');
    // …until the tenant-changed notice its committer publishes arrives.
    const publisher = connections[0] as Redis;
    await publishTenantChanged(publisher, tenant, prefix);
    const seen = await eventually(
      () => call(b, tenant, { method: 'GET', url }),
      (res) => res.json().name === 'moved in',
    );
    expect(seen.json().name).toBe('moved in');
    await admin.query('DELETE FROM layouts WHERE tenant_id = $1', [tenant]);
    await publishTenantChanged(publisher, tenant, prefix);
    const gone = await eventually(
      () => call(a, tenant, { method: 'GET', url }),
      (res) => res.statusCode === 404,
    );
    expect(gone.statusCode).toBe(404);
  });

  it('without its Redis, a replica starts, writes, and reads every time from the database', async () => {
    const dead = 'redis://127.0.0.1:1';
    const publisher = createRedis(dead, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const subscriber = createRedis(dead, { retryStrategy: () => 1000 });
    publisher.on('error', () => undefined);
    subscriber.on('error', () => undefined);
    connections.push(publisher, subscriber);
    const db = createRegionalClient({ url: database.url, poolSize: 1 });
    const pool = createPgPool({ url: database.url, poolSize: 2 });
    let count = 0;
    const query = pool.query.bind(pool);
    pool.query = ((...args: Parameters<typeof query>) => {
      count++;
      return query(...args);
    }) as typeof pool.query;
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
    const isolated: Replica = { app, queries: () => count };
    const tenant = randomUUID();
    const { id } = await createLayout(isolated, tenant);
    const url = `/api/v1/layouts/${id}`;
    for (let i = 0; i < 3; i++) {
      const before = isolated.queries();
      expect((await call(isolated, tenant, { method: 'GET', url })).statusCode).toBe(200);
      expect(isolated.queries()).toBe(before + 1);
    }
  });
});
