import { randomBytes } from 'node:crypto';
import { SecretBox } from '@rt/auth';
import { publishTenantChanged } from '@rt/directory';
import { createRedis } from '@rt/queue';
import { mintConnectToken, testRedisUrl } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectTokenVerifier } from '../src/auth/connect-jwt.js';
import { TenantDirectory } from '../src/directory/tenant-directory.js';
import { createFixture, type Fixture } from './harness.js';

describe('TenantDirectory cache', () => {
  let fx: Fixture;
  const box = new SecretBox(randomBytes(32).toString('base64'));
  let tenantId: string;
  /** A Connect tenant homed in EU whose shared secret is sealed as the router stores it. */
  const connectTenant = (clientKey: string, secret: string) =>
    fx.db.tenant.create({
      data: {
        clientKey,
        baseUrl: `https://${clientKey}.atlassian.net/wiki`,
        homeRegion: 'EU',
        sharedSecretEnc: new Uint8Array(box.seal(secret, clientKey)),
      },
    });

  beforeAll(async () => {
    fx = await createFixture('tenantdir');
    const t = await connectTenant('cache-a', 'sekret');
    tenantId = t.id;
  });
  afterAll(() => fx.close());

  it('serves from memory until the TTL, then re-reads', async () => {
    let now = 1_000_000;
    const dir = new TenantDirectory({ pool: fx.pool, secretBox: box, ttlMs: 60_000, now: () => now });
    const first = await dir.byClientKey('cache-a');
    expect(first).toMatchObject({ id: tenantId, homeRegion: 'EU', state: 'active', sharedSecret: 'sekret' });
    expect(await dir.byId(tenantId)).toMatchObject({ clientKey: 'cache-a' });

    await fx.db.tenant.update({ where: { id: tenantId }, data: { homeRegion: 'US' } });
    expect((await dir.byClientKey('cache-a'))?.homeRegion).toBe('EU'); // cached (no invalidation sent)
    now += 60_001;
    expect((await dir.byClientKey('cache-a'))?.homeRegion).toBe('US');
    expect(dir.stats.misses).toBe(3);
    await fx.db.tenant.update({ where: { id: tenantId }, data: { homeRegion: 'EU' } });
  });

  it('drops every alias of a tenant on a tenant-changed message', async () => {
    const sub = createRedis(testRedisUrl());
    const dir = new TenantDirectory({ pool: fx.pool, secretBox: box, ttlMs: 3_600_000 });
    const stop = await dir.subscribe([sub], fx.prefix);
    try {
      expect((await dir.byClientKey('cache-a'))?.state).toBe('active');
      expect((await dir.byId(tenantId))?.state).toBe('active');
      await fx.db.tenant.update({ where: { id: tenantId }, data: { state: 'disabled' } });
      await publishTenantChanged(fx.redis, tenantId, fx.prefix);
      const until = Date.now() + 5000;
      while (dir.stats.invalidations === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect((await dir.byClientKey('cache-a'))?.state).toBe('disabled');
      expect((await dir.byId(tenantId))?.state).toBe('disabled');
    } finally {
      await stop();
      sub.disconnect();
    }
  });

  it('remembers unknown keys briefly and forgets them on any invalidation', async () => {
    const dir = new TenantDirectory({ pool: fx.pool, secretBox: box, ttlMs: 60_000 });
    expect(await dir.byClientKey('not-yet')).toBeNull();
    expect(await dir.byClientKey('not-yet')).toBeNull();
    expect(dir.stats.misses).toBe(1);
    await fx.db.tenant.create({ data: { clientKey: 'not-yet', baseUrl: 'https://x', homeRegion: 'EU' } });
    dir.invalidate('00000000-0000-4000-8000-000000000000');
    expect((await dir.byClientKey('not-yet'))?.clientKey).toBe('not-yet');
    expect(await dir.byId('not-a-uuid')).toBeNull();
  });

  it('revalidates records read near their TTL by revision: same revision kept, a change dropped', async () => {
    let now = 5_000_000;
    const dir = new TenantDirectory({ pool: fx.pool, secretBox: box, ttlMs: 60_000, now: () => now });
    const revalidated = async (count: number) => {
      while (dir.stats.revalidations < count) await new Promise((r) => setTimeout(r, 20));
    };
    const first = await dir.byClientKey('cache-a');
    now += 50_000; // last quarter of the TTL: the read queues a revalidation
    expect(await dir.byClientKey('cache-a')).toBe(first);
    await revalidated(1);
    now += 40_000; // past the first TTL: still the same record, no new load
    expect(await dir.byClientKey('cache-a')).toBe(first);
    expect(dir.stats.misses).toBe(1);

    // A change that bumps the revision (as every directory write does) but whose message was lost.
    await fx.db.tenant.update({
      where: { id: tenantId },
      data: { homeRegion: 'US', revision: { increment: 1 } },
    });
    now += 10_000; // the last quarter of the extended TTL
    expect((await dir.byClientKey('cache-a'))?.homeRegion).toBe('EU');
    await revalidated(2);
    expect((await dir.byClientKey('cache-a'))?.homeRegion).toBe('US');
    expect(dir.stats.misses).toBe(2);
    await fx.db.tenant.update({
      where: { id: tenantId },
      data: { homeRegion: 'EU', revision: { increment: 1 } },
    });
  });

  it('checks a cached Connect token again on every use, and verifies it anew once the record changed', async () => {
    const t = await connectTenant('cache-jwt', 'old-secret');
    let now = Date.now();
    const dir = new TenantDirectory({ pool: fx.pool, secretBox: box, ttlMs: 60_000 });
    const verifier = new ConnectTokenVerifier(dir, 30, () => now);
    const request = { method: 'GET', url: '/api/v1/layouts', allowContextQsh: true };
    const token = mintConnectToken({ clientKey: 'cache-jwt', sharedSecret: 'old-secret', context: true });
    const first = await verifier.verify(token, request);
    expect((await verifier.verify(token, request)).tenant).toBe(first.tenant);
    // Per use: the route's qsh rule and the expiry.
    await expect(verifier.verify(token, { ...request, allowContextQsh: false })).rejects.toMatchObject({
      statusCode: 401,
    });
    now += 600_000;
    await expect(verifier.verify(token, request)).rejects.toMatchObject({ statusCode: 401 });
    now = Date.now();

    // Reinstalled with a new secret: the old token is refused although it verified before.
    const again = mintConnectToken({
      clientKey: 'cache-jwt',
      sharedSecret: 'old-secret',
      context: true,
      accountId: 'u',
    });
    await verifier.verify(again, request);
    await fx.db.tenant.update({
      where: { id: t.id },
      data: {
        sharedSecretEnc: new Uint8Array(box.seal('new-secret', 'cache-jwt')),
        revision: { increment: 1 },
      },
    });
    dir.invalidate(t.id);
    await expect(verifier.verify(again, request)).rejects.toMatchObject({ statusCode: 401 });
    const fresh = mintConnectToken({ clientKey: 'cache-jwt', sharedSecret: 'new-secret', context: true });
    expect((await verifier.verify(fresh, request)).tenant.id).toBe(t.id);
  });
  it('answers a token verified before without waiting while its tenant record is the cached one', async () => {
    await connectTenant('cache-known', 'known-secret');
    let now = Date.now();
    const dir = new TenantDirectory({ pool: fx.pool, secretBox: box, ttlMs: 60_000, now: () => now });
    const verifier = new ConnectTokenVerifier(dir, 30, () => now);
    const request = { method: 'GET', url: '/api/v1/layouts', allowContextQsh: true };
    const token = mintConnectToken({ clientKey: 'cache-known', sharedSecret: 'known-secret', context: true });
    expect(dir.cachedEntryByClientKey('cache-known')?.tenant).toBeUndefined();
    expect(verifier.verifyKnown(token, request)).toBeUndefined(); // never verified: verify() runs
    const verified = await verifier.verify(token, request);
    expect(dir.cachedEntryByClientKey('cache-known')?.tenant).toBe(verified.tenant);
    const known = verifier.verifyKnown(token, request);
    expect(known).not.toBeInstanceOf(Promise);
    expect(known?.tenant).toBe(verified.tenant);
    // Still checked per use: a callback route refuses the context qsh, without waiting either.
    expect(() => verifier.verifyKnown(token, { ...request, allowContextQsh: false })).toThrow(
      expect.objectContaining({ statusCode: 401 }),
    );
    await verifier.verify(token, request);
    // Invalidated record: not answered from memory (verify() loads the tenant and checks again).
    dir.invalidate(verified.tenant.id);
    expect(verifier.verifyKnown(token, request)).toBeUndefined();
    const reloaded = await verifier.verify(token, request);
    expect(reloaded.tenant).not.toBe(verified.tenant);
    expect(verifier.verifyKnown(token, request)?.tenant).toBe(reloaded.tenant);
    // Expired record: neither.
    now += 60_001;
    expect(dir.cachedEntryByClientKey('cache-known')?.tenant).toBeUndefined();
    expect(verifier.verifyKnown(token, request)).toBeUndefined();
  });
  it('tells whether a cache entry handed out is still the one a lookup would answer with', async () => {
    const second = await fx.db.tenant.create({
      data: {
        clientKey: 'cache-entry-b',
        baseUrl: 'https://cache-entry-b.atlassian.net/wiki',
        homeRegion: 'EU',
      },
    });
    let now = 5_000_000;
    const dir = new TenantDirectory({
      pool: fx.pool,
      secretBox: box,
      ttlMs: 60_000,
      maxEntries: 2,
      now: () => now,
    });
    expect(dir.cachedEntryByClientKey('cache-a')).toBeUndefined();
    const record = await dir.byClientKey('cache-a');
    const entry = dir.cachedEntryByClientKey('cache-a')!;
    expect(entry.tenant).toBe(record);
    expect(dir.stillCached(entry)).toBe(true);
    // Invalidated: the entry held is no longer live, even once the key is cached again.
    dir.invalidate(tenantId);
    expect(dir.stillCached(entry)).toBe(false);
    await dir.byClientKey('cache-a');
    const reloaded = dir.cachedEntryByClientKey('cache-a')!;
    expect(reloaded).not.toBe(entry);
    expect(dir.stillCached(entry)).toBe(false);
    expect(dir.stillCached(reloaded)).toBe(true);
    // Expired.
    now += 60_001;
    expect(dir.stillCached(reloaded)).toBe(false);
    // Evicted (at most 2 entries: the oldest goes).
    await dir.byClientKey('cache-a');
    const fresh = dir.cachedEntryByClientKey('cache-a')!;
    await dir.byId(second.id);
    expect(dir.stillCached(fresh)).toBe(true);
    await dir.byClientKey('cache-entry-b');
    expect(dir.stillCached(fresh)).toBe(false);
    // Cleared.
    const b = dir.cachedEntryByClientKey('cache-entry-b')!;
    expect(dir.stillCached(b)).toBe(true);
    dir.clear();
    expect(dir.stillCached(b)).toBe(false);
  });
});
