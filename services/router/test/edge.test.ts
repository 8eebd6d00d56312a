import { randomBytes } from 'node:crypto';
import { mintConnectToken } from '@rt/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildRouter,
  createFixture,
  type Fixture,
  lifecyclePayload,
  postLifecycle,
  routerConfig,
} from './harness.js';

/**
 * The edge of one router against the recording upstream stub: what reaches a service (path,
 * query, headers) and how unauthenticated callers are limited.
 */
describe('edge: what reaches a service, and what unauthenticated callers cost', () => {
  let fx: Fixture;
  let app: Awaited<ReturnType<typeof buildRouter>>;
  const tenant = { clientKey: 'edge-a', secret: 'e'.repeat(40) };
  const token = () =>
    mintConnectToken({ sharedSecret: tenant.secret, clientKey: tenant.clientKey, context: true });
  const LIMIT = 3;

  beforeAll(async () => {
    fx = await createFixture('edge');
    app = await buildRouter(
      fx,
      routerConfig(fx, 'EU', {
        UNAUTHENTICATED_LIMIT_PER_MINUTE: String(LIMIT),
        SOURCE_HASH_KEY: randomBytes(32).toString('hex'),
      }),
    );
    const installed = await postLifecycle(
      app,
      fx,
      'installed',
      lifecyclePayload(tenant.clientKey, 'installed', tenant.secret),
    );
    expect(installed.statusCode).toBe(204);
  });
  afterAll(async () => {
    await app?.close();
    await fx?.close();
  });

  it('rebuilds the upstream path from the route, re-encoding each segment, and drops jwt from the query', async () => {
    const calls = fx.upstream.calls.length;
    const res = await app.inject({
      url: '/api/v1/layouts/a%20b/c:d/%C3%A9?limit=5&jwt=x',
      headers: { authorization: `JWT ${token()}` },
    });
    expect(res.statusCode).toBe(200);
    expect(fx.upstream.calls.length).toBe(calls + 1);
    expect(fx.upstream.calls.at(-1)!.url).toBe('/api/v1/layouts/a%20b/c%3Ad/%C3%A9?limit=5');
    expect(fx.upstream.calls.at(-1)!.claims).toMatchObject({ kind: 'api' });
  });

  it('drops every x-rt-* and x-forge-* header a client sends; the router sets its own', async () => {
    const res = await app.inject({
      url: '/api/v1/settings',
      headers: {
        authorization: `JWT ${token()}`,
        'x-rt-forge-token': 'stolen',
        'x-rt-client-ip': '10.0.0.1',
        'X-Forge-OAuth-System': 'stolen',
        'x-forge-oauth-user': 'stolen',
        'x-rt-anything': 'x',
      },
    });
    expect(res.statusCode).toBe(200);
    const seen = fx.upstream.calls.at(-1)!.headers;
    expect(Object.keys(seen).filter((h) => /^x-(rt|forge)-/.test(h))).toEqual([]);
    expect(seen.authorization).toMatch(/^Bearer /);
    expect(seen['x-request-id']).toBeTruthy();
  });

  it('passes no hop-by-hop header either way; a client cannot name the router’s own headers away', async () => {
    const res = await app.inject({
      url: '/api/v1/settings',
      headers: {
        authorization: `JWT ${token()}`,
        connection: 'keep-alive, Authorization, x-request-id, x-listed',
        'x-listed': 'gone',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'x-kept': 'kept',
      },
    });
    expect(res.statusCode).toBe(200);
    const seen = fx.upstream.calls.at(-1)!.headers;
    // The stub verified the router's token (claims), so Authorization arrived; so did the id.
    expect(fx.upstream.calls.at(-1)!.claims).toMatchObject({ kind: 'api' });
    expect(seen['x-request-id']).toBeTruthy();
    expect(seen['x-listed']).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen['x-kept']).toBe('kept');
    expect(seen.host).toBe(new URL(fx.upstream.url).host);
    // The service's own connection headers describe its connection to the router, not this one.
    expect(res.headers['keep-alive']).toBeUndefined();
    expect(res.json()).toMatchObject({ service: 'stub' });
  });

  it('answers HEAD with the length the service gave, and no body', async () => {
    const get = await app.inject({ url: '/api/v1/settings', headers: { authorization: `JWT ${token()}` } });
    const head = await app.inject({
      method: 'HEAD',
      url: '/api/v1/settings',
      headers: { authorization: `JWT ${token()}` },
    });
    expect(head.statusCode).toBe(200);
    expect(fx.upstream.calls.at(-1)!.method).toBe('HEAD');
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    // The stub echoes the URL and claims, so both answers have the same size.
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.body)));
  });

  it('reuses a service token for the requests of one verified Connect token, never for another user', async () => {
    const alice = mintConnectToken({
      sharedSecret: tenant.secret,
      clientKey: tenant.clientKey,
      context: true,
      accountId: 'account-alice',
    });
    const bob = mintConnectToken({
      sharedSecret: tenant.secret,
      clientKey: tenant.clientKey,
      context: true,
      accountId: 'account-bob',
    });
    const bearer = async (jwt: string, url = '/api/v1/themes') => {
      expect((await app.inject({ url, headers: { authorization: `JWT ${jwt}` } })).statusCode).toBe(200);
      const call = fx.upstream.calls.at(-1)!;
      return { token: String(call.headers.authorization), claims: call.claims };
    };
    // The first read of a credential keeps no token (most are never back); the second keeps one.
    await bearer(alice);
    const first = await bearer(alice);
    expect(first.claims).toMatchObject({ sub: 'account-alice', kind: 'api' });
    // Over a second boundary: still the same token (a per-second cache alone would re-sign).
    await new Promise((r) => setTimeout(r, 1100));
    expect((await bearer(alice, '/api/v1/layouts')).token).toBe(first.token);
    const other = await bearer(bob);
    expect(other.token).not.toBe(first.token);
    expect(other.claims).toMatchObject({ sub: 'account-bob', kind: 'api' });
    // A write is signed within its second: its service may relay the token long after arrival.
    const write = async () => {
      const res = await app.inject({
        method: 'PUT',
        url: '/api/v1/settings',
        headers: { authorization: `JWT ${alice}`, 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(res.statusCode).toBe(200);
      return String(fx.upstream.calls.at(-1)!.headers.authorization);
    };
    const firstWrite = await write();
    expect(firstWrite).not.toBe(first.token);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await write()).not.toBe(firstWrite);
    // The Atlassian callback of the same tenant gets a token of its own kind.
    const url = '/dare-migration/status?migrationId=m-2';
    const callback = await bearer(
      mintConnectToken({ sharedSecret: tenant.secret, clientKey: tenant.clientKey, method: 'GET', url }),
      url,
    );
    expect(callback.claims).toMatchObject({ kind: 'atlassian-callback' });
  });

  it('sends Atlassian callbacks to the migration service with a token of their own kind', async () => {
    const url = '/dare-migration/status?migrationId=m-1';
    const res = await app.inject({
      url,
      headers: {
        authorization: `JWT ${mintConnectToken({ sharedSecret: tenant.secret, clientKey: tenant.clientKey, method: 'GET', url })}`,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(fx.upstream.calls.at(-1)!.claims).toMatchObject({ kind: 'atlassian-callback' });
  });

  it('limits refused authentications per source before any outbound call, keyed by a hash', async () => {
    const stranger = await generateKeyPair('RS256');
    const randomKid = () =>
      new SignJWT({ qsh: 'x' })
        .setProtectedHeader({ alg: 'RS256', kid: `kid-${randomBytes(8).toString('hex')}` })
        .setIssuer('edge-new')
        .setAudience('https://app.example.test')
        .setExpirationTime('3m')
        .sign(stranger.privateKey);
    const fetches = fx.keys.fetches;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 4; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/lifecycle/installed',
        headers: { authorization: `JWT ${await randomKid()}` },
        payload: lifecyclePayload('edge-new', 'installed'),
      });
      statuses.push(res.statusCode);
      // A refusal is counted in Redis after its answer (never on the request's path): the next
      // call is made once this one's count has landed and the router has read the reply.
      if (res.statusCode === 401) {
        await vi.waitFor(async () => {
          const [key] = await fx.redis.keys(`${fx.prefix}ua:*`);
          expect(Number(key ? await fx.redis.get(key) : 0)).toBeGreaterThanOrEqual(i + 1);
        });
        await new Promise((r) => setImmediate(r));
      }
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(401), ...Array(4).fill(429)]);
    // One outbound key fetch per refused call up to the limit, none after.
    expect(fx.keys.fetches - fetches).toBe(LIMIT);

    // The same source is refused on every credentialed route, before authentication …
    const api = await app.inject({ url: '/api/v1/layouts', headers: { authorization: `JWT ${token()}` } });
    expect(api.statusCode).toBe(429);
    expect(api.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // … and another source is not.
    const other = await app.inject({
      url: '/api/v1/layouts',
      headers: { authorization: `JWT ${token()}` },
      remoteAddress: '198.51.100.7',
    });
    expect(other.statusCode).toBe(200);

    // Counters are keyed by a keyed hash, never the address, and expire with their window.
    const keys = await fx.redis.keys(`${fx.prefix}ua:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain('127.0.0.1');
      const ttl = await fx.redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    const metrics = await app.metrics.getSingleMetricAsString('router_unauthenticated_refused_total');
    expect(metrics).toMatch(/router_unauthenticated_refused_total\{[^}]*\} [1-9]/);
  });
});
