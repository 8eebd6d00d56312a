import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { allowAllWritesForTests } from '@rt/auth';
import { createPgPool, createRegionalClient } from '@rt/db';
import { exampleLayoutContent, SHARED_READ_HEADER } from '@rt/documents';
import type { ServiceApp } from '@rt/http';
import { buildApp as buildLayoutApp } from '@rt/layout/app';
import { createRedis, type Redis } from '@rt/queue';
import { createTestDatabase, mintConnectToken, type TestDatabase, testRedisUrl } from '@rt/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterServiceApp } from '../src/app.js';
import { documentOfPath } from '../src/routes/proxy.js';
import {
  buildRouter,
  createFixture,
  type Fixture,
  INTERNAL_SECRET,
  lifecyclePayload,
  postLifecycle,
  routerConfig,
} from './harness.js';

/**
 * The router's read cache of shared document answers, against the real layout service (with its
 * own cache and bus) and two router replicas of one region on one Redis, as a region runs them.
 */
let fx: Fixture;
let database: TestDatabase;
let layout: ServiceApp;
/** GETs that reached the layout service. */
let serviceReads = 0;
/** The `If-None-Match` of the last GET that reached the layout service. */
let serviceIfNoneMatch: string | undefined;
let a: RouterServiceApp;
let b: RouterServiceApp;
const connections: Redis[] = [];
const closers: Array<() => Promise<unknown>> = [];
const tenants: Array<{ clientKey: string; sharedSecret: string }> = [];
/** One key for both replicas: they open the same sealed shared secrets. */
const encryptionKey = randomBytes(32).toString('base64');

async function router(redisPrefix = fx.prefix): Promise<RouterServiceApp> {
  const url = `http://127.0.0.1:${(layout.server.address() as AddressInfo).port}`;
  const documentSubscriber = createRedis(testRedisUrl());
  const subscriber = createRedis(testRedisUrl());
  connections.push(documentSubscriber, subscriber);
  const app = await buildRouter(
    fx,
    routerConfig(
      fx,
      'EU',
      { RATE_LIMIT_PER_MINUTE: '100000', ENCRYPTION_KEY: encryptionKey },
      { LAYOUT_URL: url, THEME_URL: url },
    ),
    { documentSubscriber, subscribers: [subscriber], redisPrefix },
  );
  await app.ready();
  closers.push(() => app.close());
  return app;
}

beforeAll(async () => {
  fx = await createFixture('rcache');
  database = await createTestDatabase('regional', 'rcache');
  const db = createRegionalClient({ url: database.url, poolSize: 2 });
  const pool = createPgPool({ url: database.url, poolSize: 4 });
  const publisher = createRedis(testRedisUrl());
  const subscriber = createRedis(testRedisUrl());
  connections.push(publisher, subscriber);
  layout = await buildLayoutApp({
    internalTokenSecret: INTERNAL_SECRET,
    db,
    pool,
    authorize: allowAllWritesForTests,
    logLevel: 'silent',
    tenantBus: { publisher, subscriber, prefix: fx.prefix },
  });
  layout.addHook('onRequest', async (request) => {
    if (request.method !== 'GET') return;
    serviceReads++;
    serviceIfNoneMatch = request.headers['if-none-match'];
  });
  await layout.listen({ port: 0, host: '127.0.0.1' });
  closers.push(
    () => layout.close(),
    () => db.$disconnect(),
    () => pool.end(),
  );
  a = await router();
  b = await router();
  for (const name of ['rc-one', 'rc-two']) {
    const payload = lifecyclePayload(`${name}-${randomBytes(3).toString('hex')}`, 'installed');
    expect((await postLifecycle(a, fx, 'installed', payload)).statusCode).toBe(204);
    tenants.push({ clientKey: payload.clientKey, sharedSecret: payload.sharedSecret });
  }
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  for (const c of connections) c.disconnect();
  await database?.drop();
  await fx?.close();
});

const call = (r: RouterServiceApp, tenant: number, options: InjectOptions) =>
  r.inject({
    ...options,
    headers: {
      authorization: `JWT ${mintConnectToken({ ...tenants[tenant]!, context: true })}`,
      ...options.headers,
    },
  });

/** Reads through `r` until an answer costs the service nothing (bounded; no timing asserted). */
async function cachedOn(r: RouterServiceApp, tenant: number, url: string): Promise<LightMyRequestResponse> {
  for (let i = 0; i < 500; i++) {
    const before = serviceReads;
    const res = await call(r, tenant, { method: 'GET', url });
    if (serviceReads === before) return res;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} never came from the router's cache`);
}

async function createLayout(tenant: number, name = 'Home') {
  const res = await call(a, tenant, {
    method: 'POST',
    url: '/api/v1/layouts',
    payload: { name, scope: 'site', content: exampleLayoutContent() },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}

describe("the router's read cache", () => {
  it('answers repeated reads and conditional reads without the service, as the service would', async () => {
    const { id } = await createLayout(0);
    const url = `/api/v1/layouts/${id}`;
    const fromService = await call(a, 0, { method: 'GET', url });
    expect(fromService.statusCode).toBe(200);
    const cached = await cachedOn(a, 0, url);
    expect(cached.statusCode).toBe(200);
    expect(cached.json()).toEqual(fromService.json());
    expect(cached.headers.etag).toBe(fromService.headers.etag);
    expect(cached.headers['content-type']).toBe(fromService.headers['content-type']);
    expect(cached.headers['cache-control']).toBe('private, no-cache');
    // The services' marker never reaches a client.
    expect(fromService.headers[SHARED_READ_HEADER]).toBeUndefined();
    expect(cached.headers[SHARED_READ_HEADER]).toBeUndefined();
    const before = serviceReads;
    const notModified = await call(a, 0, {
      method: 'GET',
      url,
      headers: { 'if-none-match': String(cached.headers.etag) },
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(serviceReads).toBe(before);
  });

  it('reports how full it is and what it did in the metrics of the router and the service', async () => {
    /** One series' value from the app's registry as Prometheus scrapes it. */
    const metric = async (app: { metrics: { metrics(): Promise<string> } }, series: string) => {
      const line = (await app.metrics.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const hits = 'rt_document_cache_operations_total{outcome="hit",service="router"}';
    const { id } = await createLayout(0, 'Counted');
    const url = `/api/v1/layouts/${id}`;
    const hitsBefore = (await metric(a, hits)) ?? 0;
    await cachedOn(a, 0, url);
    await call(a, 0, { method: 'GET', url });
    expect(await metric(a, hits)).toBe(hitsBefore + 2);
    expect(await metric(a, 'rt_document_cache_entries{service="router"}')).toBeGreaterThanOrEqual(1);
    expect(await metric(a, 'rt_document_cache_bytes{service="router"}')).toBeGreaterThan(0);
    expect(await metric(a, 'rt_document_cache_live{service="router"}')).toBe(1);
    // The layout service's own cache reports the same way, under its service label.
    expect(await metric(layout, 'rt_document_cache_entries{service="layout"}')).toBeGreaterThanOrEqual(1);
  });

  it('asks the service for the whole answer on a conditional miss, and still answers the client 304', async () => {
    const { id } = await createLayout(0, 'Conditional');
    const url = `/api/v1/layouts/${id}`;
    const etag = String((await call(b, 0, { method: 'GET', url })).headers.etag);
    const before = serviceReads;
    const res = await call(a, 0, { method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    // Router a had never read it: the service was asked, without the condition, so that the
    // whole answer could be kept.
    expect(serviceReads).toBe(before + 1);
    expect(serviceIfNoneMatch).toBeUndefined();
  });

  it('serves the writer its own write at once and the other replica once the bus delivers', async () => {
    const { id } = await createLayout(0, 'Before');
    const url = `/api/v1/layouts/${id}`;
    expect((await cachedOn(a, 0, url)).json()).toMatchObject({ version: 1 });
    expect((await cachedOn(b, 0, url)).json()).toMatchObject({ version: 1 });
    const put = await call(a, 0, {
      method: 'PUT',
      url,
      headers: { 'if-match': '"1"' },
      payload: { name: 'After', scope: 'site', content: exampleLayoutContent() },
    });
    expect(put.statusCode, put.body).toBe(200);
    // The writer's router: the new version on the very next read, with no wait.
    expect((await call(a, 0, { method: 'GET', url })).json()).toMatchObject({ version: 2, name: 'After' });
    // The other replica: once the service's document-changed notice arrives (bounded poll).
    let seen: LightMyRequestResponse | undefined;
    for (let i = 0; i < 200; i++) {
      seen = await call(b, 0, { method: 'GET', url });
      if (seen.json().version === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen?.json()).toMatchObject({ version: 2, name: 'After' });
  });

  it("drops the writer's copies on its own write, without waiting for any notice", async () => {
    // A replica that hears no notices (its bus is on another prefix): only its own writes count.
    const deaf = await router(`${fx.prefix}deaf:`);
    const { id } = await createLayout(0, 'Before');
    const url = `/api/v1/layouts/${id}`;
    expect((await cachedOn(deaf, 0, url)).json()).toMatchObject({ version: 1 });
    // Someone else's write leaves its copy as it was (no notice reaches it)…
    const put = (r: RouterServiceApp, version: number, name: string) =>
      call(r, 0, {
        method: 'PUT',
        url,
        headers: { 'if-match': `"${version}"` },
        payload: { name, scope: 'site', content: exampleLayoutContent() },
      });
    expect((await put(a, 1, 'Elsewhere')).statusCode).toBe(200);
    expect((await call(deaf, 0, { method: 'GET', url })).json()).toMatchObject({ version: 1 });
    // …its own write replaces it on the very next read.
    expect((await put(deaf, 2, 'Here')).statusCode).toBe(200);
    expect((await call(deaf, 0, { method: 'GET', url })).json()).toMatchObject({ version: 3, name: 'Here' });
  });

  it("a layout's write drops that layout's and the lists' copies, not the other layouts'", async () => {
    // The writer's replica hears no notices: what it drops, it drops for its own write.
    const deaf = await router(`${fx.prefix}deaf2:`);
    const x = await createLayout(0, 'X');
    const y = await createLayout(0, 'Y');
    const list = '/api/v1/layouts?scope=site&limit=100';
    const names = (res: LightMyRequestResponse) =>
      (res.json() as { items: Array<{ name: string }> }).items.map((l) => l.name);
    for (const r of [deaf, b]) {
      await cachedOn(r, 0, `/api/v1/layouts/${x.id}`);
      await cachedOn(r, 0, `/api/v1/layouts/${y.id}`);
      await cachedOn(r, 0, list);
    }
    const served = async (r: RouterServiceApp, url: string) => {
      const before = serviceReads;
      const res = await call(r, 0, { method: 'GET', url });
      return { res, fromCache: serviceReads === before };
    };

    const put = await call(deaf, 0, {
      method: 'PUT',
      url: `/api/v1/layouts/${x.id}`,
      headers: { 'if-match': '"1"' },
      payload: { name: 'X2', scope: 'site', content: exampleLayoutContent() },
    });
    expect(put.statusCode, put.body).toBe(200);
    const xNow = await served(deaf, `/api/v1/layouts/${x.id}`);
    expect(xNow).toMatchObject({ fromCache: false });
    expect(xNow.res.json()).toMatchObject({ name: 'X2', version: 2 });
    const listNow = await served(deaf, list);
    expect(listNow.fromCache).toBe(false);
    expect(names(listNow.res)).toContain('X2');
    expect(await served(deaf, `/api/v1/layouts/${y.id}`)).toMatchObject({ fromCache: true });

    // A create drops the lists (its Location names the new layout), not the other layouts.
    await cachedOn(deaf, 0, list);
    const created = await call(deaf, 0, {
      method: 'POST',
      url: '/api/v1/layouts',
      payload: { name: 'Z', scope: 'site', content: exampleLayoutContent() },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(names((await served(deaf, list)).res)).toContain('Z');
    expect(await served(deaf, `/api/v1/layouts/${y.id}`)).toMatchObject({ fromCache: true });

    // The other replica, through the service's notice of that one layout: X and the list are
    // new there once the bus delivers, Y's copy stays.
    let seen: LightMyRequestResponse | undefined;
    for (let i = 0; i < 200; i++) {
      seen = await call(b, 0, { method: 'GET', url: `/api/v1/layouts/${x.id}` });
      if (seen.json().version === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen?.json()).toMatchObject({ name: 'X2', version: 2 });
    expect(await served(b, `/api/v1/layouts/${y.id}`)).toMatchObject({ fromCache: true });
    expect(names(await cachedOn(b, 0, list))).toEqual(expect.arrayContaining(['X2', 'Y', 'Z']));

    // An image upload changes no document: the cached reads stay (whatever the asset route
    // answers; any other write through the router would drop them).
    await cachedOn(deaf, 0, list);
    await call(deaf, 0, {
      method: 'POST',
      url: '/api/v1/assets',
      headers: { 'content-type': 'image/png' },
      payload: Buffer.from('not really a png'),
    });
    expect(await served(deaf, list)).toMatchObject({ fromCache: true });
    expect(await served(deaf, `/api/v1/layouts/${y.id}`)).toMatchObject({ fromCache: true });

    // A delete: the deleted layout is gone at once on the writer's replica.
    const del = await call(deaf, 0, {
      method: 'DELETE',
      url: `/api/v1/layouts/${y.id}`,
      headers: { 'if-match': '"1"' },
    });
    expect(del.statusCode, del.body).toBe(204);
    expect((await call(deaf, 0, { method: 'GET', url: `/api/v1/layouts/${y.id}` })).statusCode).toBe(404);
  });

  it("never answers one tenant with another's cached data", async () => {
    const { id } = await createLayout(0, 'Tenant one only');
    const url = `/api/v1/layouts/${id}`;
    await cachedOn(a, 0, url);
    // The same path for the other tenant: the service's 404, not tenant one's cached layout.
    const other = await call(a, 1, { method: 'GET', url });
    expect(other.statusCode).toBe(404);
    // Same list URL for both tenants, each cached: each sees only its own layouts.
    await createLayout(1, 'Tenant two only');
    const list = '/api/v1/layouts?scope=site';
    const one = (await cachedOn(a, 0, list)).json() as { items: Array<{ name: string }> };
    const two = (await cachedOn(a, 1, list)).json() as { items: Array<{ name: string }> };
    expect(one.items.map((l) => l.name)).toContain('Tenant one only');
    expect(one.items.map((l) => l.name)).not.toContain('Tenant two only');
    expect(two.items.map((l) => l.name)).toEqual(['Tenant two only']);
  });
});

describe('documentOfPath', () => {
  const id = '7f1e4c2a-0000-4000-8000-000000000001';
  it('names the document of a path under the prefix only when it is a document id', () => {
    expect(documentOfPath(`/api/v1/layouts/${id}`, '/api/v1/layouts')).toBe(id);
    expect(documentOfPath(`/api/v1/layouts/${id.toUpperCase()}/revisions`, '/api/v1/layouts')).toBe(id);
    for (const path of [
      '/api/v1/layouts',
      '/api/v1/layouts/',
      `/api/v1/layoutsx/${id}`,
      '/api/v1/layouts/export',
      `/api/v1/layouts/${id}x`,
      `/api/v1/themes/${id}`,
      `https://elsewhere.example/api/v1/layouts/${id}`,
    ])
      expect(documentOfPath(path, '/api/v1/layouts'), path).toBeUndefined();
  });
});
