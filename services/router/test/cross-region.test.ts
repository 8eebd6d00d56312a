import { type AddressInfo, createServer } from 'node:net';
import { createInternalTokenSigner } from '@rt/auth';
import { publishTenantChanged } from '@rt/directory';
import { createRedis, type Redis } from '@rt/queue';
import { mintConnectToken, testRedisUrl } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRouter,
  createFixture,
  type Fixture,
  lifecyclePayload,
  postLifecycle,
  routerConfig,
  startUpstream,
  type UpstreamStub,
} from './harness.js';

/** A free loopback port (so each router can name the other's base URL before listening). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });

/** Polls until `check` passes (pub/sub delivery is asynchronous). */
async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('two routers: tenants are served from their home region only', () => {
  let fx: Fixture;
  let eu: Awaited<ReturnType<typeof buildRouter>>;
  let us: Awaited<ReturnType<typeof buildRouter>>;
  let euStub: UpstreamStub;
  let usStub: UpstreamStub;
  let usUrl: string;
  let euUrl: string;
  const subscribers: Redis[] = [];
  const secret = 's'.repeat(40);
  let tenantId: string;

  beforeAll(async () => {
    fx = await createFixture('xregion');
    euStub = await startUpstream('eu');
    usStub = await startUpstream('us');
    const stubUrls = (s: UpstreamStub) => ({
      LAYOUT_URL: s.url,
      THEME_URL: s.url,
      ASSET_URL: s.url,
      MIGRATION_URL: s.url,
    });
    const sub = () => {
      const r = createRedis(testRedisUrl());
      subscribers.push(r);
      return [r];
    };
    const [euPort, usPort] = [await freePort(), await freePort()];
    usUrl = `http://127.0.0.1:${usPort}`;
    euUrl = `http://127.0.0.1:${euPort}`;
    const bases = { REGION_EU_BASE_URL: `http://127.0.0.1:${euPort}`, REGION_US_BASE_URL: usUrl };
    const usConfig = routerConfig(fx, 'US', bases, stubUrls(usStub));
    us = await buildRouter(fx, usConfig, { subscribers: sub() });
    await us.listen({ port: usPort, host: '127.0.0.1' });
    const euConfig = routerConfig(
      fx,
      'EU',
      { ...bases, ENCRYPTION_KEY: usConfig.encryptionKey },
      stubUrls(euStub),
    );
    eu = await buildRouter(fx, euConfig, { subscribers: sub() });
    await eu.listen({ port: euPort, host: '127.0.0.1' });

    const res = await postLifecycle(us, fx, 'installed', lifecyclePayload('us-site', 'installed', secret));
    expect(res.statusCode).toBe(204);
    tenantId = (await fx.db.tenant.findUniqueOrThrow({ where: { clientKey: 'us-site' } })).id;
  });
  afterAll(async () => {
    await eu.close();
    await us.close();
    for (const s of subscribers) s.disconnect();
    await euStub.close();
    await usStub.close();
    await fx.close();
  });

  const token = (method = 'GET', url?: string) =>
    mintConnectToken({
      sharedSecret: secret,
      clientKey: 'us-site',
      accountId: 'acc-42',
      ...(url ? { method, url } : { context: true }),
    });

  it('a US tenant requested via the EU router is served from US', async () => {
    const res = await eu.inject({
      url: '/api/v1/layouts?limit=5',
      headers: { authorization: `JWT ${token()}`, 'x-forwarded-for': '203.0.113.9' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      service: 'us',
      url: '/api/v1/layouts?limit=5',
      claims: { tid: tenantId, reg: 'US', via: 'connect', sub: 'acc-42' },
    });
    expect(euStub.calls).toHaveLength(0);
    // No client address or Atlassian token reaches a service.
    const seen = usStub.calls[0]!.headers;
    expect(seen['x-forwarded-for']).toBeUndefined();
    expect(seen['x-rt-client-ip']).toBeUndefined();
    expect(seen['x-rt-forwarded']).toBeUndefined();
    // The US router's access log names the tenant and the client address the EU router saw.
    expect(us.accessLog.entries.at(-1)).toMatchObject({
      tenantId,
      route: '/api/v1/layouts',
      status: 200,
      ip: '127.0.0.1',
    });
  });

  it('streams a request body across the hop (computed qsh, ?jwt= dropped on the way)', async () => {
    const url = '/api/v1/assets?kind=logo';
    const body = Buffer.alloc(300 * 1024, 7);
    const res = await eu.inject({
      method: 'POST',
      url: `${url}&jwt=${token('POST', url)}`,
      headers: { 'content-type': 'image/png' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ service: 'us', bytes: body.length, url });
  });

  it('forwarding tokens are trusted only when valid, naming the receiving region and the route kind', async () => {
    const claims = { tid: tenantId, reg: 'US', rid: 'r', kind: 'api' } as const;
    const forged = createInternalTokenSigner('f'.repeat(40), 'forwarding')(claims);
    const wrongRegion = createInternalTokenSigner('i'.repeat(40), 'forwarding')({ ...claims, reg: 'EU' });
    // A router → service token is not a forwarding token, and a hop is served only on a route of its kind.
    const serviceToken = createInternalTokenSigner('i'.repeat(40), 'service')(claims);
    const otherKind = createInternalTokenSigner(
      'i'.repeat(40),
      'forwarding',
    )({
      ...claims,
      kind: 'atlassian-callback',
    });
    const calls = usStub.calls.length;
    for (const hop of [forged, wrongRegion, serviceToken, otherKind, 'garbage']) {
      const res = await fetch(`${usUrl}/api/v1/layouts`, { headers: { 'x-rt-forwarded': hop } });
      expect(res.status).toBe(401);
    }
    expect(usStub.calls.length).toBe(calls);
  });

  it('freezes writes during a migration (503 TENANT_MIGRATING + Retry-After), reads go on', async () => {
    await fx.db.tenant.update({
      where: { id: tenantId },
      data: { frozenByMigration: '00000000-0000-4000-8000-000000000001', revision: { increment: 1 } },
    });
    await publishTenantChanged(fx.redis, tenantId, fx.prefix);
    const calls = usStub.calls.length;
    await eventually(async () => {
      const res = await eu.inject({
        method: 'PUT',
        url: '/api/v1/layouts/1',
        headers: { authorization: `JWT ${token()}` },
        payload: { name: 'x' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('TENANT_MIGRATING');
      expect(res.headers['retry-after']).toBe('60');
    });
    const read = await eu.inject({ url: '/api/v1/layouts/1', headers: { authorization: `JWT ${token()}` } });
    expect(read.statusCode).toBe(200);
    expect(usStub.calls.length).toBe(calls + 1);
  });

  it('after the migration commits, both routers serve the tenant from its new home (EU)', async () => {
    await fx.db.tenant.update({
      where: { id: tenantId },
      data: { homeRegion: 'EU', frozenByMigration: null, revision: { increment: 1 } },
    });
    await publishTenantChanged(fx.redis, tenantId, fx.prefix);
    await eventually(async () => {
      const viaEu = await eu.inject({
        method: 'POST',
        url: '/api/v1/layouts',
        headers: { authorization: `JWT ${token()}` },
        payload: {},
      });
      expect(viaEu.json()).toMatchObject({ service: 'eu', claims: { reg: 'EU', tid: tenantId } });
      const viaUs = await us.inject({ url: '/api/v1/layouts', headers: { authorization: `JWT ${token()}` } });
      expect(viaUs.json()).toMatchObject({ service: 'eu', claims: { reg: 'EU', tid: tenantId } });
    });
  });

  it('a request that reaches the old home just after a commit goes on to the new home, once', async () => {
    // The tenant lives in EU (previous test); it moves to US. EU hears of it, US not yet: US still
    // forwards to EU, which passes the request on to US as a second hop; US re-reads and serves.
    await fx.db.tenant.update({
      where: { id: tenantId },
      data: { homeRegion: 'US', revision: { increment: 1 } },
    });
    eu.tenantDirectory.invalidate(tenantId);
    const calls = usStub.calls.length;
    const res = await us.inject({
      url: '/api/v1/layouts?limit=1',
      headers: { authorization: `JWT ${token()}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ service: 'us', claims: { reg: 'US', tid: tenantId, sub: 'acc-42' } });
    expect(usStub.calls.length).toBe(calls + 1);

    // A second hop is never passed on again: with the tenant elsewhere it is 503 TENANT_RELOCATING.
    const secondHop = createInternalTokenSigner(
      'i'.repeat(40),
      'forwarding',
    )({
      tid: tenantId,
      reg: 'EU',
      rid: 'r-2',
      kind: 'api',
      hop: 2,
    });
    const bounced = await fetch(`${euUrl}/api/v1/layouts`, { headers: { 'x-rt-forwarded': secondHop } });
    expect(bounced.status).toBe(503);
    expect(((await bounced.json()) as { code: string }).code).toBe('TENANT_RELOCATING');
    expect(usStub.calls.length).toBe(calls + 1);
  });
});
