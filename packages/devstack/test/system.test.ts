import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { startFakeConfluence } from '@rt/confluence/fake';
import { ApiError, createRefinedToolkitClient } from '@rt/contracts';
import { createDirectoryClient, createPgPool } from '@rt/db';
import { runDeletion } from '@rt/deletion';
import { publishTenantChanged } from '@rt/directory';
import { exampleLayoutContent, exampleThemeTokens } from '@rt/documents';
import { mintOperatorToken } from '@rt/ops';
import { createRedis } from '@rt/queue';
import { createS3Client, listTenantObjects } from '@rt/storage';
import {
  FakeForge,
  type FakeForgeInstallation,
  FakeInstallKeys,
  mintConnectToken,
  uniquePng,
} from '@rt/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, type SpawnedStack, spawnStack, waitReady } from './support/stack.js';

/**
 * System tests against the real multi-process local stack (`npm start -- --demo`): two routers,
 * every service and worker as its own process, real Postgres, Redis and S3; only Atlassian is
 * faked (install keys, Confluence). One stack for the whole file; the tests run in order.
 */
const APP_KEY = 'com.refined.toolkit';
const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname;
const keys = new FakeInstallKeys();
// Forge's side, with its own app and environment: `npm start` must pass FORGE_* through.
const forge = new FakeForge({
  appId: 'ari:cloud:ecosystem::app/5e0e2a7c-1b7f-4b57-9e51-5d3c9f1c0a77',
  environment: {
    type: 'STAGING',
    id: 'ari:cloud:ecosystem::environment/5e0e2a7c-1b7f-4b57-9e51-5d3c9f1c0a77/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  },
});
const FORGE_SYSTEM_TOKEN = 'forge-system-token-of-the-system-test';
let kid: string;
let stack: SpawnedStack;
let directory: pg.Client;
let regional: { EU: pg.Client; US: pg.Client };
const s3 = () => createS3Client({ awsRegion: 'us-east-1', s3Endpoint: `http://127.0.0.1:${stack.ports.s3}` });
const buckets = { EU: 'rt-assets-eu', US: 'rt-assets-us' } as const;
const sharedSecret = 'system-test-shared-secret-0123456789abcdef';
let confluence: Awaited<ReturnType<typeof startFakeConfluence>>;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  await keys.start();
  kid = await keys.addKey();
  await forge.start();
  confluence = await startFakeConfluence({
    appKey: APP_KEY,
    sharedSecret,
    forgeToken: FORGE_SYSTEM_TOKEN,
    users: [{ accountId: 'site-admin', siteAdmin: true }, { accountId: 'reader' }],
  });
  stack = spawnStack({
    label: 'sys',
    demo: true,
    redisDbs: [14, 15],
    env: {
      CONNECT_INSTALL_KEYS_URL: keys.url,
      FORGE_JWKS_URL: forge.jwksUrl,
      FORGE_APP_ID: forge.appId,
      FORGE_ENVIRONMENT_TYPE: forge.environment.type,
      FORGE_ENVIRONMENT_ID: forge.environment.id,
    },
  });
  await stack.ready();
  for (const url of [stack.euUrl, stack.usUrl]) expect(await waitReady(url)).toMatch(/^200/);
  directory = new pg.Client({ connectionString: stack.databaseUrl(stack.databases.directory) });
  regional = {
    EU: new pg.Client({ connectionString: stack.databaseUrl(stack.databases.eu) }),
    US: new pg.Client({ connectionString: stack.databaseUrl(stack.databases.us) }),
  };
  for (const c of [directory, regional.EU, regional.US]) {
    await c.connect();
    closers.push(() => c.end());
  }
}, 150_000);

afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
  const code = await stack?.stop();
  await confluence?.close();
  await keys.close();
  await forge.close();
  expect(code).toBe(0);
}, 60_000);

// ---------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tenant {
  clientKey: string;
  id: string;
}

/** Installs a tenant through the EU router's `installed` hook, as Atlassian does (signed install). */
async function install(clientKey: string): Promise<Tenant> {
  const url = '/lifecycle/installed';
  const token = await keys.mintInstallToken({ kid, clientKey, audience: stack.euUrl, method: 'POST', url });
  const res = await fetch(`${stack.euUrl}${url}`, {
    method: 'POST',
    headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      key: APP_KEY,
      clientKey,
      sharedSecret,
      baseUrl: confluence.baseUrl,
      displayUrl: confluence.baseUrl,
      productType: 'confluence',
      eventType: 'installed',
      description: 'Atlassian Confluence',
    }),
  });
  expect(res.status, await res.clone().text()).toBe(204);
  const row = await directory.query('SELECT id, home_region FROM tenants WHERE client_key = $1', [clientKey]);
  expect(row.rows[0]?.home_region).toBe('EU');
  return { clientKey, id: row.rows[0].id };
}

/** A call of the public API with a Connect context token (what `AP.context.getToken()` gives). */
async function api(
  base: string,
  tenant: Tenant,
  method: string,
  path: string,
  body?: unknown,
  accountId = 'site-admin',
): Promise<Response> {
  const token = mintConnectToken({ sharedSecret, clientKey: tenant.clientKey, accountId, context: true });
  const headers: Record<string, string> = { authorization: `JWT ${token}` };
  let payload: string | Uint8Array | undefined;
  if (Buffer.isBuffer(body)) {
    headers['content-type'] = 'image/png';
    payload = new Uint8Array(body);
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return fetch(`${base}${path}`, { method, headers, body: payload });
}

async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** An Atlassian `dare-migration` hook call: Connect JWT with the COMPUTED qsh of this request. */
async function hook(tenant: Tenant, name: string, body?: Record<string, unknown>, query = '') {
  const path = `/dare-migration/${name}${query}`;
  const method = body ? 'POST' : 'GET';
  const token = mintConnectToken({ sharedSecret, clientKey: tenant.clientKey, method, url: path });
  const res = await fetch(`${stack.euUrl}${path}`, {
    method,
    headers: { authorization: `JWT ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const windowBody = (migrationId: string, location = 'US') => ({
  startTime: new Date().toISOString(),
  endTime: new Date(Date.now() + 3600_000).toISOString(),
  location,
  migrationId,
});

async function pollStatus(tenant: Tenant, migrationId: string, want: string, timeoutMs = 60_000) {
  let last: unknown;
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    const res = await hook(tenant, 'status', undefined, `?migrationId=${encodeURIComponent(migrationId)}`);
    last = res;
    if (res.status === 200 && res.body.status === want) return;
    if (res.body.status === 'failed') break;
    await sleep(300);
  }
  throw new Error(`migration ${migrationId} did not reach ${want}: ${JSON.stringify(last)}`);
}

const TABLES = [
  'layouts',
  'layout_revisions',
  'themes',
  'theme_revisions',
  'space_themes',
  'assets',
  'asset_references',
  'tenant_settings',
];

/** Rows and objects a region holds of a tenant (all tables, the region's bucket). */
async function holdings(region: 'EU' | 'US', tenantId: string) {
  const rows: Record<string, number> = {};
  for (const table of TABLES) {
    const r = await regional[region].query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
      tenantId,
    ]);
    rows[table] = r.rows[0].n;
  }
  let objects = 0;
  const client = s3();
  for await (const page of listTenantObjects(client, buckets[region], tenantId)) objects += page.length;
  client.destroy();
  const total = Object.values(rows).reduce((a, b) => a + b, 0) + objects;
  return { rows, objects, total };
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    if (await check()) return;
    await sleep(300);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Creates an asset, a layout and a theme referencing it; returns the asset id and bytes. */
async function seed(tenant: Tenant, seedNo: number) {
  const bytes = uniquePng(seedNo);
  const asset = await json<{ id: string }>(
    await api(stack.euUrl, tenant, 'POST', '/api/v1/assets', bytes),
    201,
  );
  await json(
    await api(stack.euUrl, tenant, 'POST', '/api/v1/layouts', {
      name: `Home ${seedNo}`,
      scope: 'site',
      content: exampleLayoutContent({ logo: asset.id, hero: asset.id }),
    }),
    201,
  );
  await json(
    await api(stack.euUrl, tenant, 'POST', '/api/v1/themes', {
      name: `Brand ${seedNo}`,
      tokens: exampleThemeTokens(),
      images: { logo: { $asset: asset.id } },
    }),
    201,
  );
  const stored = await api(stack.euUrl, tenant, 'GET', `/api/v1/assets/${asset.id}`);
  expect(stored.status).toBe(200);
  return { assetId: asset.id, bytes: Buffer.from(await stored.arrayBuffer()) };
}

const withoutTime = (doc: Record<string, unknown>) => ({ ...doc, exportedAt: undefined });

// ---------------------------------------------------------------------------------------------

describe('typed client (@rt/contracts) against the running stack', () => {
  it('lists, creates and gets a layout as demo-admin; demo-user gets ApiError NOT_PERMITTED', async () => {
    const demo = stack.demoTenant();
    const client = (accountId: string) =>
      createRefinedToolkitClient({
        baseUrl: stack.euUrl,
        getToken: () =>
          mintConnectToken({
            sharedSecret: demo.sharedSecret,
            clientKey: demo.clientKey,
            accountId,
            context: true,
          }),
      });
    const admin = client('demo-admin');
    const before = await admin.GET('/api/v1/layouts', {});
    expect(before.response.status).toBe(200);
    const created = await admin.POST('/api/v1/layouts', {
      body: { name: 'Typed client home', scope: 'site', content: exampleLayoutContent() },
    });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    const got = await admin.GET('/api/v1/layouts/{id}', { params: { path: { id } } });
    expect(got.data).toMatchObject({ id, name: 'Typed client home', scope: 'site' });
    const after = await admin.GET('/api/v1/layouts', {});
    expect(after.data!.items.map((l) => l.id)).toContain(id);
    expect(after.data!.items.length).toBe(before.data!.items.length + 1);

    const refused = await client('demo-user')
      .POST('/api/v1/layouts', { body: { name: 'Not mine', scope: 'site', content: exampleLayoutContent() } })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 403, code: 'NOT_PERMITTED' });
  });
});

describe('data residency through Atlassian hooks (real stack)', () => {
  it('migrates a tenant EU → US: served from US by both routers with identical data, EU emptied; retries are harmless', async () => {
    const tenant = await install(`sys-move-${randomUUID().slice(0, 8)}`);
    const { assetId, bytes } = await seed(tenant, 3);
    const exportEu = await json(await api(stack.euUrl, tenant, 'GET', '/api/v1/export'), 200);
    expect((exportEu.layouts as unknown[]).length).toBe(1);
    expect((exportEu.themes as unknown[]).length).toBe(1);
    expect((exportEu.assets as unknown[]).length).toBe(1);
    expect((await holdings('EU', tenant.id)).objects).toBe(1);

    const migrationId = randomUUID();
    const scheduled = await hook(tenant, 'schedule', windowBody(migrationId));
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    const started = await hook(tenant, 'start', windowBody(migrationId));
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    // Atlassian retries a hook whose answer it did not see: the duplicate changes nothing.
    expect((await hook(tenant, 'start', windowBody(migrationId))).status).toBe(200);
    await pollStatus(tenant, migrationId, 'ready-to-commit');
    const committed = await hook(tenant, 'commit', { migrationId });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body.state).toBe('committed');

    const home = await directory.query('SELECT home_region, frozen_by_migration FROM tenants WHERE id = $1', [
      tenant.id,
    ]);
    expect(home.rows[0]).toEqual({ home_region: 'US', frozen_by_migration: null });

    // Both routers serve it from US, with the very same documents and bytes.
    for (const base of [stack.euUrl, stack.usUrl]) {
      const exported = await json(await api(base, tenant, 'GET', '/api/v1/export'), 200);
      expect(withoutTime(exported)).toEqual(withoutTime(exportEu));
      const asset = await api(base, tenant, 'GET', `/api/v1/assets/${assetId}`);
      expect(asset.status).toBe(200);
      expect(Buffer.from(await asset.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const us = await holdings('US', tenant.id);
    expect(us.objects).toBe(1);
    expect(us.rows).toMatchObject({ layouts: 1, themes: 1, assets: 1 });
    // The source is cleaned up after the commit: nothing of the tenant stays in EU.
    await eventually(
      'EU to hold nothing of the tenant',
      async () => (await holdings('EU', tenant.id)).total === 0,
    );

    // Writes go to US now (the freeze is lifted).
    const layout = await json<{ id: string }>(
      await api(stack.euUrl, tenant, 'POST', '/api/v1/layouts', {
        name: 'After the move',
        scope: 'site',
        content: exampleLayoutContent(),
      }),
      201,
    );
    const inUs = await regional.US.query('SELECT 1 FROM layouts WHERE id = $1 AND tenant_id = $2', [
      layout.id,
      tenant.id,
    ]);
    expect(inUs.rowCount).toBe(1);

    // Retried hooks after the commit are harmless.
    const again = await hook(tenant, 'commit', { migrationId });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.state).toBe('committed');
    const rescheduled = await hook(tenant, 'schedule', windowBody(migrationId));
    expect(rescheduled.status).toBeLessThan(300);
    expect(
      (await directory.query('SELECT home_region FROM tenants WHERE id = $1', [tenant.id])).rows[0],
    ).toEqual({
      home_region: 'US',
    });
  }, 120_000);

  it('rolls back: schedule → start → rollback keeps the data in EU and leaves nothing in US', async () => {
    const tenant = await install(`sys-stay-${randomUUID().slice(0, 8)}`);
    await seed(tenant, 5);
    const before = await holdings('EU', tenant.id);
    const migrationId = randomUUID();
    expect((await hook(tenant, 'schedule', windowBody(migrationId))).status).toBe(200);
    expect((await hook(tenant, 'start', windowBody(migrationId))).status).toBe(200);
    // Let the copy finish, so the rollback has a copy in US to remove.
    await pollStatus(tenant, migrationId, 'ready-to-commit');
    const rolledBack = await hook(tenant, 'rollback', { migrationId });
    expect(rolledBack.status, JSON.stringify(rolledBack.body)).toBe(200);
    expect((await hook(tenant, 'rollback', { migrationId })).status).toBe(200);

    const row = await directory.query('SELECT home_region, frozen_by_migration FROM tenants WHERE id = $1', [
      tenant.id,
    ]);
    expect(row.rows[0]).toEqual({ home_region: 'EU', frozen_by_migration: null });
    expect(await holdings('EU', tenant.id)).toEqual(before);
    await eventually(
      'US to hold nothing of the tenant',
      async () => (await holdings('US', tenant.id)).total === 0,
    );
    // Writable again, in EU — once the source region's worker has heard of the rollback and
    // lifted its write fence (until then a write is 503 TENANT_MIGRATING, as clients retry).
    let created: Response | undefined;
    await eventually('a write after the rollback to be accepted', async () => {
      created = await api(stack.usUrl, tenant, 'POST', '/api/v1/layouts', {
        name: 'Still here',
        scope: 'site',
        content: exampleLayoutContent(),
      });
      if (created.status !== 503) return true;
      await created.text();
      return false;
    });
    await json(created!, 201);
    expect((await holdings('EU', tenant.id)).rows.layouts).toBe(before.rows.layouts! + 1);
  }, 90_000);

  it('refuses an unsupported location with E0002 and an unknown migration with E0001', async () => {
    const tenant = await install(`sys-jp-${randomUUID().slice(0, 8)}`);
    const jp = await hook(tenant, 'schedule', windowBody(randomUUID(), 'JP'));
    expect(jp.status).toBeGreaterThanOrEqual(400);
    expect(jp.status).toBeLessThan(500);
    expect(jp.body).toMatchObject({ status: 'failed', errorResponseCode: 'E0002' });
    const unknown = await hook(tenant, 'commit', { migrationId: randomUUID() });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ errorResponseCode: 'E0001' });
    const row = await directory.query('SELECT home_region FROM tenants WHERE id = $1', [tenant.id]);
    expect(row.rows[0].home_region).toBe('EU');
  });
});

describe('operator console against the real router and ops API', () => {
  it('passes the console browser test (packages/ops-console) pointed at this stack', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // A tenant with a pending deletion, through the real `uninstalled` hook, for the purge step.
    const gone = await install(`sys-gone-${randomUUID().slice(0, 8)}`);
    const url = '/lifecycle/uninstalled';
    const token = await keys.mintInstallToken({
      kid,
      clientKey: gone.clientKey,
      audience: stack.euUrl,
      method: 'POST',
      url,
    });
    const res = await fetch(`${stack.euUrl}${url}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: APP_KEY,
        clientKey: gone.clientKey,
        baseUrl: confluence.baseUrl,
        productType: 'confluence',
        eventType: 'uninstalled',
      }),
    });
    expect(res.status).toBe(204);

    const child = spawn(
      process.execPath,
      [`${repoRoot}node_modules/vitest/vitest.mjs`, 'run', 'test/console.browser.test.ts', '--reporter=dot'],
      {
        cwd: `${repoRoot}packages/ops-console`,
        env: {
          ...process.env,
          CONSOLE_TARGET_URL: stack.euUrl,
          OPERATOR_TOKEN_SECRET: stack.secrets().operatorTokenSecret,
          CONSOLE_DEMO_CLIENT_KEY: stack.demoTenant().clientKey,
          CONSOLE_DEMO_TARGET_REGION: 'US',
          CONSOLE_PENDING_DELETION: gone.clientKey,
          CONSOLE_ARTIFACTS_DIR: ARTIFACTS,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/5 passed/);

    // What the console did really happened: the demo tenant lives in US now, sized there.
    const demoKey = stack.demoTenant().clientKey;
    const demo = await directory.query('SELECT home_region FROM tenants WHERE client_key = $1', [demoKey]);
    expect(demo.rows[0].home_region).toBe('US');
    const ops = async (role: 'viewer' | 'admin', method: string, path: string, body?: unknown) => {
      const token = await mintOperatorToken(stack.secrets().operatorTokenSecret, {
        subject: `${role}@sys`,
        role,
      });
      return fetch(`${stack.usUrl}/ops/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    };
    const detail = await json<{
      homeRegion: string;
      size: { rows: number } | null;
      migrations: { state: string }[];
    }>(await ops('viewer', 'GET', `/tenants/${demoKey}`), 200);
    expect(detail.homeRegion).toBe('US');
    expect(detail.size?.rows).toBeGreaterThan(0);
    expect(detail.migrations[0]?.state).toBe('committed');
    const refused = await ops('viewer', 'POST', '/migrations', { clientKey: demoKey, targetRegion: 'EU' });
    expect(refused.status).toBe(403);
  }, 150_000);
});

// ---------------------------------------------------------------------------------------------
// Forge (Connect on Forge): the same stack reached through Forge only — life-cycle events,
// product calls and residency hooks with Forge Invocation Tokens from the fake Forge platform.

const FORGE_LIFECYCLE = '/forge/lifecycle';
const FORGE_RESIDENCY = '/forge/dare-migration';

/** A Forge invocation of the stack; `base` is the realm's remote (EU or US router). */
async function forgeCall(
  base: string,
  installation: FakeForgeInstallation,
  method: string,
  path: string,
  body?: unknown,
  accountId = 'site-admin',
): Promise<Response> {
  const headers: Record<string, string> = await forge.headers(installation, { accountId });
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function forgeHook(
  base: string,
  installation: FakeForgeInstallation,
  name: 'schedule' | 'start' | 'status' | 'commit' | 'rollback',
  body: { migrationId: string; location?: string; startTime?: string; endTime?: string },
) {
  return forge.send(base, await forge.residencyHook(FORGE_RESIDENCY, name, installation, body));
}

describe('Forge only (real stack): install → write → read → EU→US through the Forge hooks → uninstall → deletion', () => {
  it('keeps every promise for a site that only ever speaks Forge', async () => {
    const site: FakeForgeInstallation = {
      installationId: `ari:cloud:ecosystem::installation/${randomUUID()}`,
      cloudId: randomUUID(),
      apiBaseUrl: confluence.forgeApiBaseUrl,
      systemToken: FORGE_SYSTEM_TOKEN,
    };
    // Install: Forge calls the EU realm's remote; the event is retried by Atlassian — harmless.
    for (let i = 0; i < 2; i++) {
      const installed = await forge.send(
        stack.euUrl,
        await forge.lifecycleEvent(FORGE_LIFECYCLE, 'installed', site),
      );
      expect(installed.status, JSON.stringify(installed.body)).toBe(204);
    }
    const row = await directory.query('SELECT id, home_region, state FROM tenants WHERE cloud_id = $1', [
      site.cloudId,
    ]);
    expect(row.rows).toHaveLength(1);
    expect(row.rows[0]).toMatchObject({ home_region: 'EU', state: 'active' });
    const tenantId: string = row.rows[0].id;

    const asked = confluence.calls.user;
    const rejected = confluence.calls.rejected;
    // Write as a Confluence admin: the permission check goes through the system token to the
    // site's apiBaseUrl (the fake Confluence); a reader is refused by the same check.
    const layout = await json<{ id: string }>(
      await forgeCall(stack.euUrl, site, 'POST', '/api/v1/layouts', {
        name: 'Forge home',
        scope: 'site',
        content: exampleLayoutContent(),
      }),
      201,
    );
    const refused = await forgeCall(
      stack.euUrl,
      site,
      'POST',
      '/api/v1/layouts',
      {
        name: 'Nope',
        scope: 'site',
        content: exampleLayoutContent(),
      },
      'reader',
    );
    expect((await json<{ code: string }>(refused, 403)).code).toBe('NOT_PERMITTED');
    // Both answers came from the site, called with the system token (this tenant has no secret).
    expect(confluence.calls.user - asked).toBe(2);
    expect(confluence.calls.rejected).toBe(rejected);

    // Read (any user), through either router.
    for (const base of [stack.euUrl, stack.usUrl]) {
      const got = await json<{ name: string }>(
        await forgeCall(base, site, 'GET', `/api/v1/layouts/${layout.id}`, undefined, 'reader'),
        200,
      );
      expect(got.name).toBe('Forge home');
    }

    // Residency EU → US through the Forge hooks (FIT, no user), on the same state machine.
    const migrationId = randomUUID();
    const window = windowBody(migrationId);
    expect((await forgeHook(stack.euUrl, site, 'schedule', window)).status).toBe(200);
    expect((await forgeHook(stack.euUrl, site, 'start', window)).status).toBe(200);
    let last: unknown;
    for (const until = Date.now() + 60_000; Date.now() < until; await sleep(300)) {
      last = await forgeHook(stack.euUrl, site, 'status', { migrationId });
      if ((last as { body: { status?: string } }).body.status !== 'in-progress') break;
    }
    expect(last).toMatchObject({ status: 200, body: { status: 'ready-to-commit' } });
    expect((await forgeHook(stack.euUrl, site, 'commit', { migrationId })).status).toBe(200);
    const moved = await directory.query('SELECT home_region FROM tenants WHERE id = $1', [tenantId]);
    expect(moved.rows[0].home_region).toBe('US');
    const migration = await directory.query('SELECT state FROM migrations WHERE tenant_id = $1', [tenantId]);
    expect(migration.rows.map((r) => r.state)).toEqual(['committed']);
    // After the move Atlassian calls the US realm's remote; the data is there.
    const afterMove = await json<{ name: string }>(
      await forgeCall(stack.usUrl, site, 'GET', `/api/v1/layouts/${layout.id}`),
      200,
    );
    expect(afterMove.name).toBe('Forge home');
    await eventually(
      'EU copy removed after commit',
      async () => (await holdings('EU', tenantId)).total === 0,
    );
    expect((await holdings('US', tenantId)).rows.layouts).toBe(1);

    // Uninstall (Forge calls the US remote now): access stops at once; deletion due in 30 days.
    for (let i = 0; i < 2; i++) {
      const gone = await forge.send(
        stack.usUrl,
        await forge.lifecycleEvent(FORGE_LIFECYCLE, 'uninstalled', site),
      );
      expect(gone.status).toBe(204);
    }
    const denied = await forgeCall(stack.usUrl, site, 'GET', '/api/v1/layouts');
    expect((await json<{ code: string }>(denied, 403)).code).toBe('TENANT_UNINSTALLED');
    const pending = await directory.query(
      `SELECT id, due_at, uninstalled_at FROM deletions WHERE tenant_id = $1 AND state = 'pending'`,
      [tenantId],
    );
    expect(pending.rows).toHaveLength(1);
    const { id: deletionId, due_at: dueAt, uninstalled_at: uninstalledAt } = pending.rows[0];
    expect(dueAt.getTime() - uninstalledAt.getTime()).toBe(30 * 24 * 3600 * 1000);

    // The deletion job, with the clock injected: nothing happens before the due date, everything
    // of the tenant goes after it (in every region), with a receipt.
    const db = createDirectoryClient({ url: stack.databaseUrl(stack.databases.directory), poolSize: 1 });
    const pools = {
      EU: createPgPool({ url: stack.databaseUrl(stack.databases.eu), poolSize: 2 }),
      US: createPgPool({ url: stack.databaseUrl(stack.databases.us), poolSize: 2 }),
    };
    const redis = [14, 15].map((n) => createRedis(`redis://127.0.0.1:6379/${n}`));
    const clients = { EU: s3(), US: s3() };
    try {
      const ctx = (now: Date) => ({
        now: () => now,
        directory: db,
        homeRegion: 'US',
        regions: (['EU', 'US'] as const).map((id) => ({
          id,
          pool: pools[id],
          s3: clients[id],
          bucket: buckets[id],
        })),
        notifyTenantChanged: async (id: string) => {
          for (const r of redis) await publishTenantChanged(r, id);
        },
      });
      expect(await runDeletion(ctx(new Date(dueAt.getTime() - 60_000)), deletionId)).toEqual({
        status: 'not-due',
      });
      expect((await holdings('US', tenantId)).total).toBeGreaterThan(0);
      const done = await runDeletion(ctx(new Date(dueAt.getTime() + 60_000)), deletionId);
      expect(done.status).toBe('done');
    } finally {
      await db.$disconnect();
      await pools.EU.end();
      await pools.US.end();
      for (const r of redis) r.disconnect();
      clients.EU.destroy();
      clients.US.destroy();
    }
    expect((await holdings('US', tenantId)).total).toBe(0);
    expect((await holdings('EU', tenantId)).total).toBe(0);
    const after = await directory.query('SELECT state, shared_secret_enc FROM tenants WHERE id = $1', [
      tenantId,
    ]);
    expect(after.rows[0]).toEqual({ state: 'deleted', shared_secret_enc: null });
    const stillOut = await forgeCall(stack.usUrl, site, 'GET', '/api/v1/layouts');
    expect([401, 403]).toContain(stillOut.status);
  }, 120_000);

  it('a site installed through Connect and then used through Forge keeps one set of data', async () => {
    const clientKey = `mixed-${randomUUID()}`;
    const cloudId = randomUUID();
    const url = '/lifecycle/installed';
    const token = await keys.mintInstallToken({ kid, clientKey, audience: stack.euUrl, method: 'POST', url });
    const installed = await fetch(`${stack.euUrl}${url}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: APP_KEY,
        clientKey,
        sharedSecret,
        baseUrl: confluence.baseUrl,
        productType: 'confluence',
        eventType: 'installed',
        cloudId,
      }),
    });
    expect(installed.status, await installed.clone().text()).toBe(204);
    const tenant = { clientKey, id: '' };
    const viaConnect = await json<{ id: string }>(
      await api(stack.euUrl, tenant, 'POST', '/api/v1/layouts', {
        name: 'From Connect',
        scope: 'site',
        content: exampleLayoutContent(),
      }),
      201,
    );
    const site: FakeForgeInstallation = {
      installationId: `ari:cloud:ecosystem::installation/${randomUUID()}`,
      cloudId,
      apiBaseUrl: confluence.forgeApiBaseUrl,
      systemToken: FORGE_SYSTEM_TOKEN,
    };
    // Forge sees what Connect wrote, and writes into the same tenant.
    const seen = await json<{ name: string }>(
      await forgeCall(stack.euUrl, site, 'GET', `/api/v1/layouts/${viaConnect.id}`),
      200,
    );
    expect(seen.name).toBe('From Connect');
    const viaForge = await json<{ id: string }>(
      await forgeCall(stack.euUrl, site, 'POST', '/api/v1/layouts', {
        name: 'From Forge',
        scope: 'site',
        content: exampleLayoutContent(),
      }),
      201,
    );
    const both = await json<{ id: string }[] | { items: { id: string }[] }>(
      await api(stack.euUrl, tenant, 'GET', '/api/v1/layouts'),
      200,
    );
    const ids = (Array.isArray(both) ? both : both.items).map((l) => l.id);
    expect(ids).toEqual(expect.arrayContaining([viaConnect.id, viaForge.id]));
    const rows = await directory.query(
      'SELECT client_key, installation_id FROM tenants WHERE cloud_id = $1',
      [cloudId],
    );
    expect(rows.rows).toEqual([{ client_key: clientKey, installation_id: site.installationId }]);
  }, 60_000);
});
