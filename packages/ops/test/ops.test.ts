import { createDirectoryClient, type DirectoryDb } from '@rt/db';
import { publishTenantChangedToRegions } from '@rt/directory';
import { createServiceApp, type ServiceApp } from '@rt/http';
import { createRedis, type Redis } from '@rt/queue';
import { MigrationCoordinator, MigrationJobs } from '@rt/residency';
import { createTestDatabase, FakeForge, redisTestPrefix, type TestDatabase, testRedisUrl } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintOperatorToken, type OperatorRole, opsPlugin, opsQueuesPlugin } from '../src/index.js';

const secret = 'o'.repeat(40);
let database: TestDatabase;
let directory: DirectoryDb;
let redis: Redis;
let jobs: MigrationJobs;
let app: ServiceApp;
let tenantKey: string;
let tenantId: string;

const token = (role: OperatorRole, subject = `op-${role}`) => mintOperatorToken(secret, { subject, role });
async function call(method: 'GET' | 'POST', url: string, role?: OperatorRole, payload?: object) {
  return app.inject({
    method,
    url,
    headers: role ? { authorization: `Bearer ${await token(role)}` } : {},
    ...(payload ? { payload } : {}),
  });
}
const refusedCount = async () => {
  const metric = await app.metrics.getSingleMetric('ops_unauthenticated_refused_total')?.get();
  return metric?.values[0]?.value ?? 0;
};
const lastAudit = () => directory.operatorAudit.findFirstOrThrow({ orderBy: { id: 'desc' } });

beforeAll(async () => {
  database = await createTestDatabase('directory', 'ops');
  directory = createDirectoryClient({ url: database.url, poolSize: 4 });
  redis = createRedis(testRedisUrl());
  jobs = new MigrationJobs({ connection: redis, prefix: redisTestPrefix('ops') });
  const regions = new Set(['EU', 'US']);
  const coordinator = new MigrationCoordinator({
    directory,
    resolveLocation: (l) =>
      regions.has(l)
        ? { id: l, awsRegion: 'x', databaseUrl: 'x', redisUrl: 'x', bucket: 'x', baseUrl: 'https://x.test' }
        : undefined,
    jobs,
    publishTenantChanged: (id) => publishTenantChangedToRegions([redis], id),
    limits: { enabled: true, maxConcurrent: 10, maxDurationHours: 2 },
  });
  // As the router will do it: one line each.
  app = createServiceApp({ name: 'ops-test', logLevel: 'silent' });
  await app.register(opsPlugin, {
    prefix: '/ops/v1',
    directory,
    coordinator,
    auth: { mode: 'local', secret, issuer: 'rt-ops-local', audience: 'rt-ops' },
  });
  await app.register(opsQueuesPlugin, {
    prefix: '/ops/queues',
    directory,
    auth: { mode: 'local', secret, issuer: 'rt-ops-local', audience: 'rt-ops' },
    queues: [jobs.queue],
  });
  const t = await directory.tenant.create({
    data: { clientKey: 'ops-tenant-1', baseUrl: 'https://a.atlassian.net', homeRegion: 'EU' },
  });
  tenantKey = t.clientKey;
  tenantId = t.id;
});

afterAll(async () => {
  await app?.close();
  await jobs?.queue.obliterate({ force: true }).catch(() => undefined);
  await jobs?.close();
  redis?.disconnect();
  await directory?.$disconnect();
  await database?.drop();
});

describe('operator API', () => {
  it('requires an operator token; refused calls are counted, never written to the audit table', async () => {
    const refusedBefore = await refusedCount();
    const none = await call('GET', '/ops/v1/tenants');
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'OPERATOR_TOKEN_MISSING' });
    expect(await directory.operatorAudit.count()).toBe(0);
    expect(await refusedCount()).toBe(refusedBefore + 1);
    const forged = await mintOperatorToken('x'.repeat(40), { subject: 'evil', role: 'admin' });
    const bad = await app.inject({
      method: 'GET',
      url: '/ops/v1/tenants',
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'OPERATOR_TOKEN_INVALID' });
    expect(await directory.operatorAudit.count()).toBe(0);
    expect(await refusedCount()).toBe(refusedBefore + 2);
  });

  it('viewer reads tenants; every call is audited with subject, role, action, target', async () => {
    const list = await call('GET', '/ops/v1/tenants', 'viewer');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ clientKey: tenantKey, homeRegion: 'EU', state: 'active' }),
    ]);
    expect(list.body).not.toContain('sharedSecret');
    const show = await call('GET', `/ops/v1/tenants/${tenantKey}`, 'viewer');
    expect(show.statusCode).toBe(200);
    expect(show.json()).toMatchObject({ clientKey: tenantKey, migrations: [] });
    expect(await lastAudit()).toMatchObject({
      subject: 'op-viewer',
      role: 'viewer',
      action: 'tenants.show',
      target: tenantKey,
      outcome: 'ok',
    });
    expect((await call('GET', '/ops/v1/tenants/nope', 'viewer')).json()).toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
  });

  it('a viewer cannot start a migration (403 with a code)', async () => {
    const r = await call('POST', '/ops/v1/migrations', 'viewer', {
      clientKey: tenantKey,
      targetRegion: 'US',
    });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'OPERATOR_ROLE_REQUIRED' });
    expect(await lastAudit()).toMatchObject({
      subject: 'op-viewer',
      action: 'migrations.start',
      outcome: 'denied',
    });
    expect(await directory.migration.count()).toBe(0);
  });

  it('a migrator starts, shows, cancels a migration; refusals carry codes', async () => {
    const started = await call('POST', '/ops/v1/migrations', 'migrator', {
      clientKey: tenantKey,
      targetRegion: 'US',
    });
    expect(started.statusCode).toBe(202);
    const m = started.json();
    expect(m).toMatchObject({
      state: 'frozen',
      origin: 'operator',
      autoCommit: true,
      requestedBy: 'op-migrator',
    });
    expect(m.events.map((e: { toState: string }) => e.toState)).toEqual(['scheduled', 'frozen']);
    expect((await directory.tenant.findUniqueOrThrow({ where: { id: tenantId } })).frozenByMigration).toBe(
      m.id,
    );

    const shown = await call('GET', `/ops/v1/migrations/${m.id}`, 'viewer');
    expect(shown.json()).toMatchObject({
      id: m.id,
      percent: expect.any(Number),
      progress: expect.anything(),
    });
    const listed = await call('GET', '/ops/v1/migrations?state=frozen', 'viewer');
    expect(listed.json().items.map((i: { id: string }) => i.id)).toEqual([m.id]);

    const second = await call('POST', '/ops/v1/migrations', 'migrator', {
      clientKey: tenantKey,
      targetRegion: 'US',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'MIGRATION_REFUSED_E0004' });
    const early = await call('POST', `/ops/v1/migrations/${m.id}/commit`, 'migrator');
    expect(early.statusCode).toBe(409);

    const cancelled = await call('POST', `/ops/v1/migrations/${m.id}/cancel`, 'migrator');
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled' });
    expect(await directory.tenant.findUniqueOrThrow({ where: { id: tenantId } })).toMatchObject({
      homeRegion: 'EU',
      frozenByMigration: null,
    });
    expect(await lastAudit()).toMatchObject({ action: 'migrations.cancel', target: m.id, outcome: 'ok' });

    const au = await call('POST', '/ops/v1/migrations', 'admin', {
      clientKey: tenantKey,
      targetRegion: 'AU',
    });
    expect(au.statusCode).toBe(400);
    expect(au.json()).toMatchObject({ code: 'MIGRATION_REFUSED_E0002' });
    const bad = await call('POST', '/ops/v1/migrations', 'admin', {
      clientKey: tenantKey,
      targetRegion: 'us',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await call('GET', '/ops/v1/migrations/not-a-uuid', 'viewer')).statusCode).toBe(400);
  });

  it('bull-board is behind the operator auth (admin)', async () => {
    const anonymous = await call('GET', '/ops/queues/');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({
      code: 'OPERATOR_TOKEN_MISSING',
      message: 'an operator token is required',
      requestId: expect.any(String),
    });
    const migrator = await call('GET', '/ops/queues/api/queues', 'migrator');
    expect(migrator.statusCode).toBe(403);
    expect(migrator.json()).toMatchObject({ code: 'OPERATOR_ROLE_REQUIRED' });
    expect(migrator.body).not.toContain(' at ');
    const board = await call('GET', '/ops/queues/', 'admin');
    expect(board.statusCode).toBe(200);
    expect(board.headers['content-type']).toContain('text/html');
    const api = await call('GET', '/ops/queues/api/queues', 'admin');
    expect(api.statusCode).toBe(200);
    expect(api.body).toContain('rt-migration');
  });

  it('verifies OIDC tokens against the issuer JWKS in production mode', async () => {
    const idp = await new FakeForge().start();
    try {
      const oidcApp = createServiceApp({ name: 'ops-oidc', logLevel: 'silent' });
      await oidcApp.register(opsPlugin, {
        prefix: '/ops/v1',
        directory,
        coordinator: new MigrationCoordinator({
          directory,
          resolveLocation: () => undefined,
          jobs,
          publishTenantChanged: async () => undefined,
          limits: { enabled: true, maxConcurrent: 1, maxDurationHours: 1 },
        }),
        auth: {
          mode: 'oidc',
          issuer: 'forge/invocation-token',
          jwksUrl: idp.jwksUrl,
          audience: 'rt-ops-prod',
        },
      });
      const good = await idp.mintInvocationToken({
        appId: 'rt-ops-prod',
        installationId: 'n/a',
        overrides: { sub: 'employee-7', roles: ['viewer'] },
      });
      const ok = await oidcApp.inject({
        method: 'GET',
        url: '/ops/v1/tenants',
        headers: { authorization: `Bearer ${good}` },
      });
      expect(ok.statusCode).toBe(200);
      const local = await token('admin');
      const refused = await oidcApp.inject({
        method: 'GET',
        url: '/ops/v1/tenants',
        headers: { authorization: `Bearer ${local}` },
      });
      expect(refused.statusCode).toBe(401);
      await oidcApp.close();
    } finally {
      await idp.close();
    }
  });
});
