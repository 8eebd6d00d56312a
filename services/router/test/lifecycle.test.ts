import { SecretBox } from '@rt/auth';
import { FakeInstallKeys, mintConnectToken } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterConfig } from '../src/config.js';
import {
  buildRouter,
  createFixture,
  type Fixture,
  lifecyclePayload,
  postLifecycle,
  routerConfig,
} from './harness.js';

describe('descriptor and lifecycle', () => {
  let fx: Fixture;
  let config: RouterConfig;
  let app: Awaited<ReturnType<typeof buildRouter>>;
  const uninstalled: string[] = [];
  const reinstalled: Array<{ tenantId: string; cancelled: string[] }> = [];

  beforeAll(async () => {
    fx = await createFixture('lifecycle');
    config = routerConfig(fx, 'EU', { MAX_MIGRATION_DURATION_HOURS: '4.5' });
    app = await buildRouter(fx, config, {
      hooks: {
        onUninstalled: (d) => void uninstalled.push(d.id),
        onReinstalled: (t, cancelled) => void reinstalled.push({ tenantId: t.id, cancelled }),
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  it('serves the Connect descriptor with region base URLs, migrations and lifecycle', async () => {
    const res = await app.inject({ method: 'GET', url: '/atlassian-connect.json' });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({
      key: 'com.refined.toolkit',
      baseUrl: 'https://app.example.test',
      regionBaseUrls: {
        EU: 'https://eu.app.example.test',
        DE: 'https://eu.app.example.test',
        US: 'https://us.app.example.test',
      },
      authentication: { type: 'jwt' },
      apiMigrations: { 'signed-install': true, 'context-qsh': true },
      lifecycle: {
        installed: '/lifecycle/installed',
        uninstalled: '/lifecycle/uninstalled',
        enabled: '/lifecycle/enabled',
        disabled: '/lifecycle/disabled',
        'dare-migration': '/dare-migration',
      },
      dataResidency: { maxMigrationDurationHours: 4.5 },
      scopes: ['READ'],
    });
    expect(Object.keys(d.modules).length).toBeGreaterThan(0);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
  });

  it('installs a tenant: secret sealed with the clientKey as AAD, home = this region', async () => {
    const payload = lifecyclePayload('site-a', 'installed', 'secret-one');
    const res = await postLifecycle(app, fx, 'installed', payload);
    expect(res.statusCode).toBe(204);
    const row = await fx.db.tenant.findUniqueOrThrow({ where: { clientKey: 'site-a' } });
    expect(row).toMatchObject({
      homeRegion: 'EU',
      state: 'active',
      platform: 'connect',
      productType: 'confluence',
      baseUrl: 'https://site-a.atlassian.net/wiki',
      installationId: 'ari:cloud:ecosystem::installation/site-a',
    });
    expect(Buffer.from(row.sharedSecretEnc!).includes(Buffer.from('secret-one'))).toBe(false);
    const box = new SecretBox(config.encryptionKey);
    expect(box.open(row.sharedSecretEnc!, 'site-a')).toBe('secret-one');
    expect(() => box.open(row.sharedSecretEnc!, 'site-b')).toThrow();
  });

  it('accepts the region base URL as audience, and installs idempotently', async () => {
    const payload = lifecyclePayload('site-a', 'installed', 'secret-one');
    const res = await postLifecycle(app, fx, 'installed', payload, 'https://eu.app.example.test');
    expect(res.statusCode).toBe(204);
    expect(await fx.db.tenant.count({ where: { clientKey: 'site-a' } })).toBe(1);
    expect(reinstalled).toEqual([]);
  });

  it('uninstall disables at once and schedules deletion 30 days later', async () => {
    const tenant = await fx.db.tenant.findUniqueOrThrow({ where: { clientKey: 'site-a' } });
    const before = mintConnectToken({ sharedSecret: 'secret-one', clientKey: 'site-a', context: true });
    expect(
      (await app.inject({ url: '/api/v1/layouts', headers: { authorization: `JWT ${before}` } })).statusCode,
    ).toBe(200);

    const res = await postLifecycle(app, fx, 'uninstalled', lifecyclePayload('site-a', 'uninstalled'));
    expect(res.statusCode).toBe(204);
    const row = await fx.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(row.state).toBe('uninstalled');
    expect(row.uninstalledAt).toBeInstanceOf(Date);
    const deletions = await fx.db.deletion.findMany({ where: { tenantId: tenant.id } });
    expect(deletions).toHaveLength(1);
    expect(deletions[0]).toMatchObject({ state: 'pending', clientKey: 'site-a', reason: 'uninstalled' });
    expect(deletions[0]!.dueAt.getTime() - row.uninstalledAt!.getTime()).toBe(30 * 24 * 3600 * 1000);
    expect(uninstalled).toEqual([deletions[0]!.id]);

    // The router's cache was invalidated: the same token is refused at once.
    const after = await app.inject({ url: '/api/v1/layouts', headers: { authorization: `JWT ${before}` } });
    expect(after.statusCode).toBe(403);
    expect(after.json().code).toBe('TENANT_UNINSTALLED');

    // A repeated uninstalled callback keeps the one deletion.
    expect(
      (await postLifecycle(app, fx, 'uninstalled', lifecyclePayload('site-a', 'uninstalled'))).statusCode,
    ).toBe(204);
    expect(await fx.db.deletion.count({ where: { tenantId: tenant.id } })).toBe(1);
    // disabled arriving after uninstalled must not change the state.
    expect(
      (await postLifecycle(app, fx, 'disabled', lifecyclePayload('site-a', 'disabled'))).statusCode,
    ).toBe(204);
    expect((await fx.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).state).toBe('uninstalled');
  });

  it('reinstall with a new secret reactivates, rotates the secret and cancels the pending deletion', async () => {
    const tenant = await fx.db.tenant.findUniqueOrThrow({ where: { clientKey: 'site-a' } });
    const res = await postLifecycle(
      app,
      fx,
      'installed',
      lifecyclePayload('site-a', 'installed', 'secret-two'),
    );
    expect(res.statusCode).toBe(204);
    const row = await fx.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(row).toMatchObject({ state: 'active', uninstalledAt: null, homeRegion: 'EU' });
    expect(row.revision).toBeGreaterThan(tenant.revision);
    const deletion = await fx.db.deletion.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect(deletion.state).toBe('cancelled');
    expect(reinstalled).toEqual([{ tenantId: tenant.id, cancelled: [deletion.id] }]);

    const oldToken = mintConnectToken({ sharedSecret: 'secret-one', clientKey: 'site-a', context: true });
    const old = await app.inject({ url: '/api/v1/layouts', headers: { authorization: `JWT ${oldToken}` } });
    expect(old.statusCode).toBe(401);
    const newToken = mintConnectToken({ sharedSecret: 'secret-two', clientKey: 'site-a', context: true });
    const ok = await app.inject({ url: '/api/v1/layouts', headers: { authorization: `JWT ${newToken}` } });
    expect(ok.statusCode).toBe(200);
  });

  it('disabled → 403 TENANT_DISABLED, enabled → served again', async () => {
    const token = mintConnectToken({ sharedSecret: 'secret-two', clientKey: 'site-a', context: true });
    expect(
      (await postLifecycle(app, fx, 'disabled', lifecyclePayload('site-a', 'disabled'))).statusCode,
    ).toBe(204);
    const off = await app.inject({ url: '/api/v1/themes', headers: { authorization: `JWT ${token}` } });
    expect(off.statusCode).toBe(403);
    expect(off.json().code).toBe('TENANT_DISABLED');
    expect((await postLifecycle(app, fx, 'enabled', lifecyclePayload('site-a', 'enabled'))).statusCode).toBe(
      204,
    );
    const on = await app.inject({ url: '/api/v1/themes', headers: { authorization: `JWT ${token}` } });
    expect(on.statusCode).toBe(200);
  });

  it('fetches an install key once per kid', async () => {
    const before = fx.keys.fetches;
    await postLifecycle(app, fx, 'installed', lifecyclePayload('site-c', 'installed'));
    await postLifecycle(app, fx, 'installed', lifecyclePayload('site-d', 'installed'));
    expect(fx.keys.fetches).toBe(before);
  });

  it('declares the default maxMigrationDurationHours of 1.5 (moves with Confluence)', async () => {
    const plain = await buildRouter(fx, routerConfig(fx, 'EU'));
    try {
      const d = (await plain.inject({ method: 'GET', url: '/atlassian-connect.json' })).json();
      expect(d.dataResidency).toEqual({ maxMigrationDurationHours: 1.5 });
    } finally {
      await plain.close();
    }
  });

  it('verifies staging sites with the staging install keys, production sites with production keys', async () => {
    const staging = await new FakeInstallKeys().start();
    const stagingKid = await staging.addKey('staging-kid');
    const router = await buildRouter(
      fx,
      routerConfig(fx, 'EU', { CONNECT_INSTALL_KEYS_STAGING_URL: staging.url }),
    );
    const install = async (keys: FakeInstallKeys, kid: string, clientKey: string, baseUrl: string) => {
      const url = '/lifecycle/installed';
      const token = await keys.mintInstallToken({
        kid,
        clientKey,
        audience: 'https://app.example.test',
        method: 'POST',
        url,
      });
      return router.inject({
        method: 'POST',
        url,
        headers: { authorization: `JWT ${token}` },
        payload: { ...lifecyclePayload(clientKey, 'installed'), baseUrl, displayUrl: baseUrl },
      });
    };
    try {
      for (const host of ['stg-a.jira-dev.com', 'stg-b.atlassian-dev.net']) {
        const before = { staging: staging.fetches, production: fx.keys.fetches };
        const res = await install(staging, stagingKid, `ck-${host}`, `https://${host}/wiki`);
        expect(res.statusCode).toBe(204);
        expect(fx.keys.fetches).toBe(before.production);
        expect(staging.fetches - before.staging).toBeLessThanOrEqual(1);
      }
      // A staging key does not sign a production site's install, nor a production key a staging one.
      const forged = await install(
        staging,
        stagingKid,
        'ck-prod-forged',
        'https://prod-x.atlassian.net/wiki',
      );
      expect(forged.statusCode).toBe(401);
      const crossed = await install(fx.keys, fx.kid, 'ck-stg-crossed', 'https://stg-c.jira-dev.com/wiki');
      expect(crossed.statusCode).toBe(401);
      const prod = await install(fx.keys, fx.kid, 'ck-prod-ok', 'https://prod-ok.atlassian.net/wiki');
      expect(prod.statusCode).toBe(204);
      // A look-alike host is not staging (the suffix must be a whole domain).
      const lookalike = await install(staging, stagingKid, 'ck-evil', 'https://evil-jira-dev.com/wiki');
      expect(lookalike.statusCode).not.toBe(204);
      expect(
        await fx.db.tenant.count({
          where: { clientKey: { in: ['ck-prod-forged', 'ck-stg-crossed', 'ck-evil'] } },
        }),
      ).toBe(0);
    } finally {
      await router.close();
      await staging.close();
    }
  });

  it('rejects a payload for another app key with 400', async () => {
    const res = await postLifecycle(app, fx, 'installed', {
      ...lifecyclePayload('site-e', 'installed'),
      key: 'other.app',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('APP_KEY_MISMATCH');
    expect(await fx.db.tenant.count({ where: { clientKey: 'site-e' } })).toBe(0);
  });
});
