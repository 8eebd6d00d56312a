import { ConfigError } from '@rt/config';
import {
  FAKE_FORGE_APP_ID,
  FAKE_FORGE_ENVIRONMENT,
  type FakeForgeInstallation,
  mintConnectToken,
} from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { FORGE_PATHS } from '../src/forge/manifest.js';
import {
  buildRouter,
  createFixture,
  type Fixture,
  lifecyclePayload,
  postLifecycle,
  routerConfig,
} from './harness.js';

const DAY = 24 * 3600 * 1000;

describe('Forge (Connect on Forge) on the router', () => {
  let fx: Fixture;
  let eu: Awaited<ReturnType<typeof buildRouter>>;
  let us: Awaited<ReturnType<typeof buildRouter>>;
  let clock = new Date('2026-12-01T10:00:00Z');
  const uninstalled: string[] = [];
  const reinstalled: Array<{ tenantId: string; cancelled: string[] }> = [];
  const forgeEnv = { FORGE_APP_ID: FAKE_FORGE_APP_ID };

  beforeAll(async () => {
    fx = await createFixture('forge');
    const hooks = {
      onUninstalled: (d: { id: string }) => void uninstalled.push(d.id),
      onReinstalled: (t: { id: string }, cancelled: string[]) =>
        void reinstalled.push({ tenantId: t.id, cancelled }),
    };
    eu = await buildRouter(fx, routerConfig(fx, 'EU', forgeEnv), { hooks, now: () => clock });
    us = await buildRouter(fx, routerConfig(fx, 'US', forgeEnv), { hooks, now: () => clock });
  });
  afterAll(async () => {
    await eu.close();
    await us.close();
    await fx.close();
  });

  const site = (n: string, installation = 1): FakeForgeInstallation => ({
    installationId: `ari:cloud:ecosystem::installation/${n}-${installation}`,
    cloudId: `cloud-${n}`,
    apiBaseUrl: `https://api.atlassian.com/ex/confluence/cloud-${n}`,
    systemToken: `system-token-${n}`,
  });
  const send = async (app: typeof eu, request: Awaited<ReturnType<Fixture['forge']['lifecycleEvent']>>) =>
    app.inject({
      method: request.method,
      url: request.url,
      headers: request.headers,
      payload: request.payload,
    });
  const event = async (
    app: typeof eu,
    name: 'installed' | 'upgraded' | 'uninstalled',
    s: FakeForgeInstallation,
  ) => send(app, await fx.forge.lifecycleEvent(FORGE_PATHS.lifecycle, name, s));
  const apiCall = async (app: typeof eu, s: FakeForgeInstallation, accountId = 'acc-1') =>
    app.inject({ url: '/api/v1/themes', headers: await fx.forge.headers(s, { accountId }) });

  it('refuses a FIT of another app or another Forge environment (401), and a configuration without the environment', async () => {
    const s = site('env');
    const otherEnv = await fx.forge.headers(s, {
      accountId: 'acc-1',
      environment: { type: 'PRODUCTION', id: FAKE_FORGE_ENVIRONMENT.id },
    });
    const res = await eu.inject({ url: '/api/v1/themes', headers: otherEnv });
    expect([res.statusCode, res.json().code]).toEqual([401, 'FORGE_ENVIRONMENT_MISMATCH']);
    const otherId = await fx.forge.headers(s, {
      accountId: 'acc-1',
      environment: { type: FAKE_FORGE_ENVIRONMENT.type, id: `${FAKE_FORGE_ENVIRONMENT.id}0` },
    });
    expect((await eu.inject({ url: '/api/v1/themes', headers: otherId })).statusCode).toBe(401);
    // aud right, app.id of another app: not this app's token.
    const otherApp = await fx.forge.headers(s, {
      accountId: 'acc-1',
      overrides: { app: { id: 'ari:cloud:ecosystem::app/other', installationId: s.installationId } },
    });
    expect((await eu.inject({ url: '/api/v1/themes', headers: otherApp })).statusCode).toBe(401);
    expect(await fx.db.tenant.count({ where: { cloudId: s.cloudId } })).toBe(0);

    const env: Record<string, string | undefined> = { ...routerConfigEnv(), FORGE_APP_ID: FAKE_FORGE_APP_ID };
    delete env.FORGE_ENVIRONMENT_ID;
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/FORGE_ENVIRONMENT_ID/);
  });

  it('install event registers the tenant in the region whose remote was called; retries are harmless', async () => {
    const s = site('us');
    for (let i = 0; i < 3; i++) expect((await event(us, 'installed', s)).statusCode).toBe(204);
    const rows = await fx.db.tenant.findMany({ where: { cloudId: s.cloudId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      homeRegion: 'US',
      state: 'active',
      platform: 'forge',
      installationId: s.installationId,
      forgeApiBaseUrl: s.apiBaseUrl,
      sharedSecretEnc: null,
    });
    // Nothing personal from the payload (the installer's account id) is kept anywhere in the row.
    expect(JSON.stringify(rows[0])).not.toContain('5b10ac8d82e05b22cc7d4ef5');
    expect((await event(us, 'upgraded', s)).statusCode).toBe(204);
    expect(await fx.db.tenant.count({ where: { cloudId: s.cloudId } })).toBe(1);
    expect(reinstalled).toEqual([]);
  });

  it('life-cycle events take only a FIT without a user: Connect JWT, no token, a user FIT are 401', async () => {
    const s = site('auth');
    const request = await fx.forge.lifecycleEvent(FORGE_PATHS.lifecycle, 'installed', s);
    const connect = mintConnectToken({
      sharedSecret: 's'.repeat(32),
      clientKey: 'x',
      url: FORGE_PATHS.lifecycle,
    });
    for (const authorization of [`JWT ${connect}`, undefined]) {
      const res = await eu.inject({
        method: 'POST',
        url: FORGE_PATHS.lifecycle,
        headers: authorization ? { authorization } : {},
        payload: request.payload,
      });
      expect(res.statusCode).toBe(401);
    }
    const userFit = await fx.forge.headers(s, { accountId: 'acc-1' });
    const res = await eu.inject({
      method: 'POST',
      url: FORGE_PATHS.lifecycle,
      headers: userFit,
      payload: request.payload,
    });
    expect(res.statusCode).toBe(401);
    const odd = await send(eu, {
      ...request,
      payload: { ...request.payload, eventType: 'avi:forge:odd:app' },
    });
    expect([odd.statusCode, odd.json().code]).toEqual([400, 'EVENT_UNSUPPORTED']);
    expect(await fx.db.tenant.count({ where: { cloudId: s.cloudId } })).toBe(0);
  });

  it('uninstall disables at once and schedules the deletion 30 days out; reinstall (new installation, same cloudId) cancels it', async () => {
    const s = site('life');
    expect((await event(eu, 'installed', s)).statusCode).toBe(204);
    expect((await apiCall(eu, s)).statusCode).toBe(200);
    const tenant = await fx.db.tenant.findUniqueOrThrow({ where: { cloudId: s.cloudId } });

    for (let i = 0; i < 2; i++) expect((await event(eu, 'uninstalled', s)).statusCode).toBe(204);
    const deletions = await fx.db.deletion.findMany({ where: { tenantId: tenant.id } });
    expect(deletions).toHaveLength(1);
    expect(deletions[0]).toMatchObject({ state: 'pending', reason: 'uninstalled' });
    expect(deletions[0]!.dueAt.getTime() - clock.getTime()).toBe(30 * DAY);
    expect(uninstalled.filter((id) => id === deletions[0]!.id)).toHaveLength(1);
    const denied = await apiCall(eu, s);
    expect([denied.statusCode, denied.json().code]).toEqual([403, 'TENANT_UNINSTALLED']);
    // A late retry of the old installation's install event does not bring the site back.
    expect((await event(eu, 'installed', s)).statusCode).toBe(204);
    expect((await fx.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).state).toBe('uninstalled');
    // Neither does a product call of a new installation before its install event.
    const next = site('life', 2);
    expect((await apiCall(eu, next)).statusCode).toBe(403);

    clock = new Date(clock.getTime() + 10 * DAY);
    expect((await event(eu, 'installed', next)).statusCode).toBe(204);
    const back = await fx.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(back).toMatchObject({ state: 'active', installationId: next.installationId, homeRegion: 'EU' });
    expect((await fx.db.deletion.findUniqueOrThrow({ where: { id: deletions[0]!.id } })).state).toBe(
      'cancelled',
    );
    expect(reinstalled).toContainEqual({ tenantId: tenant.id, cancelled: [deletions[0]!.id] });
    const ok = await apiCall(eu, next);
    expect(ok.json().claims.tid).toBe(tenant.id);
    // A late uninstall of the old installation does not touch the reinstalled site.
    expect((await event(eu, 'uninstalled', s)).statusCode).toBe(204);
    expect((await fx.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).state).toBe('active');
    expect(await fx.db.deletion.count({ where: { tenantId: tenant.id, state: 'pending' } })).toBe(0);
  });

  it('one tenant per site: a Connect-installed site used through Forge, and a Forge site installed through Connect', async () => {
    const s = site('mixed');
    const payload = { ...lifecyclePayload('mixed-client', 'installed'), cloudId: s.cloudId };
    expect((await postLifecycle(eu, fx, 'installed', payload)).statusCode).toBe(204);
    const connect = await fx.db.tenant.findUniqueOrThrow({ where: { clientKey: 'mixed-client' } });
    const viaForge = await apiCall(eu, s);
    expect(viaForge.statusCode).toBe(200);
    expect(viaForge.json().claims.tid).toBe(connect.id);
    expect(await fx.db.tenant.findUniqueOrThrow({ where: { id: connect.id } })).toMatchObject({
      installationId: s.installationId,
      forgeApiBaseUrl: s.apiBaseUrl,
      clientKey: 'mixed-client',
    });

    const r = site('reverse');
    expect((await event(us, 'installed', r)).statusCode).toBe(204);
    const forge = await fx.db.tenant.findUniqueOrThrow({ where: { cloudId: r.cloudId } });
    const reverse = {
      ...lifecyclePayload('reverse-client', 'installed'),
      cloudId: r.cloudId,
      installationId: r.installationId,
    };
    expect((await postLifecycle(eu, fx, 'installed', reverse)).statusCode).toBe(204);
    const merged = await fx.db.tenant.findUniqueOrThrow({ where: { id: forge.id } });
    // Same tenant, same home (its data stays where it is), now with the Connect credentials.
    expect(merged).toMatchObject({ clientKey: 'reverse-client', homeRegion: 'US', cloudId: r.cloudId });
    expect(merged.sharedSecretEnc).not.toBeNull();
    expect(
      await fx.db.tenant.count({ where: { OR: [{ cloudId: r.cloudId }, { clientKey: 'reverse-client' }] } }),
    ).toBe(1);
  });

  it('passes only Atlassian’s system token of a verified FIT on; a client’s copy never reaches a service', async () => {
    const s = site('token');
    expect((await event(eu, 'installed', s)).statusCode).toBe(204);
    const ok = await apiCall(eu, s);
    const forgeCall = fx.upstream.calls.at(-1)!;
    expect(ok.statusCode).toBe(200);
    expect(forgeCall.headers['x-rt-forge-token']).toBe(s.systemToken);
    expect(forgeCall.headers['x-forge-oauth-system']).toBeUndefined();

    const payload = lifecyclePayload('token-client', 'installed', 'token-secret');
    expect((await postLifecycle(eu, fx, 'installed', payload)).statusCode).toBe(204);
    const jwt = mintConnectToken({ sharedSecret: 'token-secret', clientKey: 'token-client', context: true });
    const res = await eu.inject({
      url: '/api/v1/themes',
      headers: {
        authorization: `JWT ${jwt}`,
        'x-forge-oauth-system': 'forged',
        'x-rt-forge-token': 'forged',
      },
    });
    expect(res.statusCode).toBe(200);
    const connectCall = fx.upstream.calls.at(-1)!;
    expect(connectCall.headers['x-rt-forge-token']).toBeUndefined();
    expect(connectCall.headers['x-forge-oauth-system']).toBeUndefined();
  });

  it('serves the residency hooks at the manifest path with FITs only, on the Connect hooks’ service', async () => {
    const s = site('hooks');
    expect((await event(eu, 'installed', s)).statusCode).toBe(204);
    const tenant = await fx.db.tenant.findUniqueOrThrow({ where: { cloudId: s.cloudId } });
    const body = {
      migrationId: 'm-1',
      location: 'US',
      startTime: '2026-12-01T10:00:00Z',
      endTime: '2026-12-01T12:00:00Z',
    };
    for (const hook of ['schedule', 'start', 'status', 'commit', 'rollback'] as const) {
      const res = await send(eu, await fx.forge.residencyHook(FORGE_PATHS.residency, hook, s, body));
      expect([hook, res.statusCode]).toEqual([hook, 200]);
      const call = fx.upstream.calls.at(-1)!;
      expect(call.url.split('?')[0]).toBe(`/dare-migration/${hook}`);
      expect(call.claims).toMatchObject({ tid: tenant.id, reg: 'EU', via: 'forge' });
    }
    const calls = fx.upstream.calls.length;
    const connect = mintConnectToken({
      sharedSecret: 's'.repeat(32),
      clientKey: 'x',
      method: 'POST',
      url: `${FORGE_PATHS.residency}/commit`,
    });
    const refused = [
      await eu.inject({
        method: 'POST',
        url: `${FORGE_PATHS.residency}/commit`,
        headers: { authorization: `JWT ${connect}` },
        payload: { migrationId: 'm-1' },
      }),
      await eu.inject({
        method: 'POST',
        url: `${FORGE_PATHS.residency}/commit`,
        payload: { migrationId: 'm-1' },
      }),
      await eu.inject({
        method: 'POST',
        url: `${FORGE_PATHS.residency}/commit`,
        headers: await fx.forge.headers(s, { accountId: 'acc-1' }),
        payload: { migrationId: 'm-1' },
      }),
      // And the Connect path takes no FIT.
      await eu.inject({
        method: 'POST',
        url: '/dare-migration/commit',
        headers: await fx.forge.headers(s),
        payload: { migrationId: 'm-1' },
      }),
    ];
    expect(refused.map((r) => r.statusCode)).toEqual([401, 401, 401, 401]);
    expect(fx.upstream.calls.length).toBe(calls);
  });

  it('refuses a user’s FIT on the residency hooks before it links or creates any tenant', async () => {
    const s = site('hook-user');
    const res = await eu.inject({
      method: 'POST',
      url: `${FORGE_PATHS.residency}/schedule`,
      headers: await fx.forge.headers(s, { accountId: 'acc-1' }),
      payload: {
        migrationId: 'm-u',
        location: 'US',
        startTime: '2026-12-01T10:00:00Z',
        endTime: '2026-12-01T12:00:00Z',
      },
    });
    expect(res.statusCode).toBe(401);
    expect(await fx.db.tenant.findFirst({ where: { cloudId: s.cloudId } })).toBeNull();
  });

  function routerConfigEnv(): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {
      REGION: 'EU',
      INTERNAL_TOKEN_SECRET: 'i'.repeat(40),
      DIRECTORY_DATABASE_URL: fx.dbUrl,
      APP_BASE_URL: 'https://app.example.test',
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      LAYOUT_URL: fx.upstream.url,
      THEME_URL: fx.upstream.url,
      ASSET_URL: fx.upstream.url,
      MIGRATION_URL: fx.upstream.url,
      FORGE_ENVIRONMENT_TYPE: 'DEVELOPMENT',
      FORGE_ENVIRONMENT_ID: FAKE_FORGE_ENVIRONMENT.id,
    };
    for (const r of ['EU', 'US']) {
      env[`REGION_${r}_DATABASE_URL`] = fx.dbUrl;
      env[`REGION_${r}_REDIS_URL`] = 'redis://127.0.0.1:6379';
      env[`REGION_${r}_S3_BUCKET`] = `rt-assets-${r.toLowerCase()}`;
      env[`REGION_${r}_BASE_URL`] = `https://${r.toLowerCase()}.app.example.test`;
    }
    return env;
  }
});
