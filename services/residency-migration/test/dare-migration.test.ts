import { createDirectoryClient, type DirectoryDb } from '@rt/db';
import type { ServiceApp } from '@rt/http';
import { createRedis, type Redis } from '@rt/queue';
import { type MigrationJobs, TENANT_CHANGED_CHANNEL } from '@rt/residency';
import {
  createTestDatabase,
  internalToken,
  redisTestPrefix,
  type TestDatabase,
  testRedisUrl,
} from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { testCoordinator } from './support.js';

const secret = 's'.repeat(40);
let database: TestDatabase;
let directory: DirectoryDb;
let redis: Redis;
let subscriber: Redis;
let app: ServiceApp;
let jobs: MigrationJobs;
let clock = Date.now();
const published: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

/** An app with its own limits (cap, enabled) on the same database. */
async function appWith(limits: { enabled: boolean; maxConcurrent: number; maxDurationHours: number }) {
  const built = testCoordinator(directory, redis, redisTestPrefix('dare'), limits, () => new Date(clock));
  const a = await buildApp({
    internalTokenSecret: secret,
    directory,
    redis,
    coordinator: built.coordinator,
    logLevel: 'silent',
  });
  cleanups.push(
    () => a.close(),
    () => built.jobs.queue.obliterate({ force: true }),
    () => built.jobs.close(),
  );
  return a;
}

async function newTenant(home = 'EU'): Promise<string> {
  const t = await directory.tenant.create({
    data: {
      clientKey: `ck-${Math.random().toString(36).slice(2)}`,
      baseUrl: 'https://x.atlassian.net',
      homeRegion: home,
    },
  });
  return t.id;
}

const window = (migrationId: string, location = 'US') => ({
  startTime: new Date(clock).toISOString(),
  endTime: new Date(clock + 3_600_000).toISOString(),
  location,
  migrationId,
});

function hook(a: ServiceApp, tenantId: string, method: 'GET' | 'POST', path: string, payload?: object) {
  return a.inject({
    method,
    url: `/dare-migration/${path}`,
    headers: {
      authorization: `Bearer ${internalToken(secret, tenantId, 'EU', { kind: 'atlassian-callback' })}`,
    },
    ...(payload ? { payload } : {}),
  });
}

beforeAll(async () => {
  database = await createTestDatabase('directory', 'dare');
  directory = createDirectoryClient({ url: database.url, poolSize: 4 });
  redis = createRedis(testRedisUrl());
  subscriber = createRedis(testRedisUrl());
  await subscriber.subscribe(TENANT_CHANGED_CHANNEL);
  subscriber.on('message', (_c, m) => published.push(m));
  const built = testCoordinator(directory, redis, redisTestPrefix('dare'), undefined, () => new Date(clock));
  jobs = built.jobs;
  app = await buildApp({
    internalTokenSecret: secret,
    directory,
    redis,
    coordinator: built.coordinator,
    logLevel: 'silent',
  });
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await app?.close();
  await jobs?.queue.obliterate({ force: true }).catch(() => undefined);
  await jobs?.close();
  subscriber?.disconnect();
  redis?.disconnect();
  await directory?.$disconnect();
  await database?.drop();
});

describe('dare-migration hooks', () => {
  it('schedule → start → status → commit, each call retried harmlessly', async () => {
    const tenantId = await newTenant();
    const first = await hook(app, tenantId, 'POST', 'schedule', window('m-1'));
    expect(first.statusCode).toBe(200);
    const again = await hook(app, tenantId, 'POST', 'schedule', window('m-1'));
    expect(again.statusCode).toBe(200);
    expect(await directory.migration.count({ where: { tenantId } })).toBe(1);
    const m = await directory.migration.findFirstOrThrow({ where: { tenantId } });
    expect(m).toMatchObject({
      state: 'scheduled',
      sourceRegion: 'EU',
      targetRegion: 'US',
      externalId: 'm-1',
    });
    expect(await jobs.queue.getJob(`${m.id}-pre-copy`)).toBeTruthy();

    for (let i = 0; i < 2; i++) {
      const started = await hook(app, tenantId, 'POST', 'start', window('m-1'));
      expect(started.statusCode).toBe(200);
      expect(started.json()).toMatchObject({ migrationId: 'm-1', state: 'frozen' });
    }
    const frozen = await directory.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(frozen.frozenByMigration).toBe(m.id);
    expect(published).toContain(tenantId);
    expect(await jobs.queue.getJob(`${m.id}-copy`)).toBeTruthy();

    const polling = await hook(app, tenantId, 'GET', 'status?migrationId=m-1');
    expect(polling.statusCode).toBe(200);
    expect(polling.json()).toMatchObject({ status: 'in-progress' });
    const early = await hook(app, tenantId, 'POST', 'commit', { migrationId: 'm-1' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ status: 'failed', errorResponseCode: 'E9999' });

    // The worker's part (covered in the worker's tests): the copy verified.
    await directory.migration.update({ where: { id: m.id }, data: { state: 'ready_to_commit' } });
    expect((await hook(app, tenantId, 'GET', 'status?migrationId=m-1')).json()).toEqual({
      status: 'ready-to-commit',
    });
    for (let i = 0; i < 2; i++) {
      const committed = await hook(app, tenantId, 'POST', 'commit', { migrationId: 'm-1' });
      expect(committed.statusCode).toBe(200);
      expect(committed.json()).toMatchObject({ state: 'committed' });
    }
    const moved = await directory.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(moved).toMatchObject({ homeRegion: 'US', frozenByMigration: null, revision: frozen.revision + 1 });
    expect(await jobs.queue.getJob(`${m.id}-cleanup-source`)).toBeTruthy();
    const rollbackAfterCommit = await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'm-1' });
    expect(rollbackAfterCommit.statusCode).toBe(409);
  });

  it('rollback unfreezes, keeps the home region and is idempotent', async () => {
    const tenantId = await newTenant();
    await hook(app, tenantId, 'POST', 'schedule', window('m-rb'));
    await hook(app, tenantId, 'POST', 'start', window('m-rb'));
    for (let i = 0; i < 2; i++) {
      const r = await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'm-rb' });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ state: 'rolled_back' });
    }
    const t = await directory.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(t).toMatchObject({ homeRegion: 'EU', frozenByMigration: null });
    const m = await directory.migration.findFirstOrThrow({ where: { tenantId } });
    expect(await jobs.queue.getJob(`${m.id}-rollback`)).toBeTruthy();
    const events = await directory.migrationEvent.findMany({
      where: { migrationId: m.id },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => e.toState)).toEqual(['scheduled', 'frozen', 'rolled_back']);
    // Unknown migration: nothing to roll back, answered 2xx so Atlassian stops retrying.
    expect((await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'never' })).statusCode).toBe(200);
  });

  it('E0001: start, commit and status of a migration that was never scheduled', async () => {
    const tenantId = await newTenant();
    const start = await hook(app, tenantId, 'POST', 'start', window('ghost'));
    expect(start.statusCode).toBe(404);
    expect(start.json()).toMatchObject({ status: 'failed', errorResponseCode: 'E0001' });
    const commit = await hook(app, tenantId, 'POST', 'commit', { migrationId: 'ghost' });
    expect(commit.json()).toMatchObject({ errorResponseCode: 'E0001' });
    const status = await hook(app, tenantId, 'GET', 'status?migrationId=ghost');
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({ status: 'failed', errorResponseCode: 'E0001' });
    // Another tenant's migration id is as unknown as a missing one.
    const other = await newTenant();
    await hook(app, other, 'POST', 'schedule', window('theirs'));
    expect((await hook(app, tenantId, 'GET', 'status?migrationId=theirs')).json()).toMatchObject({
      errorResponseCode: 'E0001',
    });
  });

  it('E0002: a location no region serves', async () => {
    const tenantId = await newTenant();
    const r = await hook(app, tenantId, 'POST', 'schedule', window('m-au', 'AU'));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ status: 'failed', errorResponseCode: 'E0002' });
    expect(await directory.migration.count({ where: { tenantId } })).toBe(0);
  });

  it('E0003: migrations disabled by configuration', async () => {
    const disabled = await appWith({ enabled: false, maxConcurrent: 3, maxDurationHours: 2 });
    const tenantId = await newTenant();
    const r = await hook(disabled, tenantId, 'POST', 'schedule', window('m-off'));
    expect(r.json()).toMatchObject({ errorResponseCode: 'E0003' });
    expect(r.statusCode).toBe(400);
  });

  it('E0004: the concurrency cap, and a tenant already frozen by another migration', async () => {
    const capped = await appWith({ enabled: true, maxConcurrent: 1, maxDurationHours: 2 });
    await directory.migration.updateMany({
      where: { state: { notIn: ['committed', 'rolled_back', 'cancelled'] } },
      data: { state: 'cancelled' },
    });
    const a = await newTenant();
    const b = await newTenant();
    expect((await hook(capped, a, 'POST', 'schedule', window('cap-a'))).statusCode).toBe(200);
    const refused = await hook(capped, b, 'POST', 'schedule', window('cap-b'));
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ errorResponseCode: 'E0004' });
    // Same tenant, new migrationId: an unstarted one is superseded; a started one blocks.
    expect((await hook(capped, a, 'POST', 'schedule', window('cap-a2'))).statusCode).toBe(200);
    expect((await directory.migration.findFirstOrThrow({ where: { externalId: 'cap-a' } })).state).toBe(
      'cancelled',
    );
    expect((await hook(capped, a, 'POST', 'start', window('cap-a'))).json()).toMatchObject({
      errorResponseCode: 'E0001',
    });
    await hook(capped, a, 'POST', 'start', window('cap-a2'));
    const blocked = await hook(capped, a, 'POST', 'schedule', window('cap-a3'));
    expect(blocked.json()).toMatchObject({ errorResponseCode: 'E0004' });
    await hook(capped, a, 'POST', 'rollback', { migrationId: 'cap-a2' });
  });

  it('E9999: the window ends before the copy is verified → failed, unfrozen', async () => {
    const tenantId = await newTenant();
    await hook(app, tenantId, 'POST', 'schedule', window('m-late'));
    await hook(app, tenantId, 'POST', 'start', window('m-late'));
    clock += 2 * 3_600_000;
    const status = await hook(app, tenantId, 'GET', 'status?migrationId=m-late');
    expect(status.json()).toEqual({ status: 'failed', errorResponseCode: 'E9999' });
    const t = await directory.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(t.frozenByMigration).toBeNull();
    expect((await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'm-late' })).json()).toMatchObject({
      state: 'rolled_back',
    });
    clock = Date.now();
  });

  it('rejects malformed bodies with 400 and requires the internal token', async () => {
    const tenantId = await newTenant();
    const bad = await hook(app, tenantId, 'POST', 'schedule', { migrationId: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const badTime = await hook(app, tenantId, 'POST', 'schedule', { ...window('t'), endTime: 'soon' });
    expect(badTime.statusCode).toBe(400);
    const anonymous = await app.inject({
      method: 'POST',
      url: '/dare-migration/schedule',
      payload: window('y'),
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
