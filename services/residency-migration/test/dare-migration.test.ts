import { createDirectoryClient, type DirectoryDb } from '@rt/db';
import { TENANT_CHANGED_CHANNEL } from '@rt/directory';
import type { ServiceApp } from '@rt/http';
import { createRedis, type Redis } from '@rt/queue';
import type { MigrationJobs } from '@rt/residency';
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
    // maxMigrationDurationHours (2 here) counts from /start.
    clock += 2 * 3_600_000 - 60_000;
    expect((await hook(app, tenantId, 'GET', 'status?migrationId=m-late')).json()).toMatchObject({
      status: 'in-progress',
    });
    clock += 2 * 60_000;
    const status = await hook(app, tenantId, 'GET', 'status?migrationId=m-late');
    expect(status.json()).toEqual({ status: 'failed', errorResponseCode: 'E9999' });
    const t = await directory.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(t.frozenByMigration).toBeNull();
    expect((await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'm-late' })).json()).toMatchObject({
      state: 'rolled_back',
    });
    clock = Date.now();
  });

  describe('schedules as Atlassian sends them (deadlines count from start, never from schedule)', () => {
    const HOUR = 3_600_000;
    const windowAt = (migrationId: string | number, startMs: number, endMs: number) => ({
      startTime: new Date(startMs).toISOString(),
      endTime: new Date(endMs).toISOString(),
      location: 'US',
      migrationId,
    });
    const stateOf = async (tenantId: string) =>
      (await directory.migration.findFirstOrThrow({ where: { tenantId }, orderBy: { createdAt: 'desc' } }))
        .state;
    const t0 = Date.now();

    it('scheduled three days ahead: waits without failing, pre-copies near the window, starts', async () => {
      clock = t0;
      const tenantId = await newTenant();
      const body = windowAt('ahead-3d', t0 + 72 * HOUR, t0 + 74 * HOUR);
      expect((await hook(app, tenantId, 'POST', 'schedule', body)).statusCode).toBe(200);
      const m = await directory.migration.findFirstOrThrow({ where: { tenantId } });
      // Nothing is copied days ahead, and the schedule call sets no short deadline.
      expect(await jobs.queue.getJob(`${m.id}-pre-copy`)).toBeFalsy();
      expect(m.deadlineAt?.getTime()).toBeGreaterThan(t0 + 74 * HOUR);
      for (const h of [2, 24, 47]) {
        clock = t0 + h * HOUR;
        const s = await hook(app, tenantId, 'GET', 'status?migrationId=ahead-3d');
        expect(s.json()).toMatchObject({
          status: 'in-progress',
          progress: 0,
          detail: { state: 'scheduled' },
        });
        expect(await jobs.queue.getJob(`${m.id}-pre-copy`)).toBeFalsy();
      }
      // Within a day of the window the next poll (or the sweeper) queues the pre-copy.
      clock = t0 + 49 * HOUR;
      await hook(app, tenantId, 'GET', 'status?migrationId=ahead-3d');
      expect(await jobs.queue.getJob(`${m.id}-pre-copy`)).toBeTruthy();
      clock = t0 + 72 * HOUR;
      const started = await hook(app, tenantId, 'POST', 'start', body);
      expect(started.json()).toMatchObject({ state: 'frozen' });
      const frozen = await directory.migration.findUniqueOrThrow({ where: { id: m.id } });
      expect(frozen.deadlineAt?.getTime()).toBe(t0 + 74 * HOUR);
      await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'ahead-3d' });
    });

    it('scheduled 23 hours ahead: pre-copies at once and is still alive when the window opens', async () => {
      clock = t0;
      const tenantId = await newTenant();
      const body = windowAt('ahead-23h', t0 + 23 * HOUR, t0 + 25 * HOUR);
      await hook(app, tenantId, 'POST', 'schedule', body);
      const m = await directory.migration.findFirstOrThrow({ where: { tenantId } });
      expect(await jobs.queue.getJob(`${m.id}-pre-copy`)).toBeTruthy();
      clock = t0 + 23 * HOUR + 5 * 60_000;
      expect((await hook(app, tenantId, 'POST', 'start', body)).json()).toMatchObject({ state: 'frozen' });
      clock += 2 * HOUR - 60_000;
      expect((await hook(app, tenantId, 'GET', 'status?migrationId=ahead-23h')).json()).toMatchObject({
        status: 'in-progress',
      });
      await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'ahead-23h' });
    });

    it('window already over when scheduled: accepted, and a start still runs', async () => {
      clock = t0;
      const tenantId = await newTenant();
      const body = windowAt('over', t0 - 3 * HOUR, t0 - HOUR);
      expect((await hook(app, tenantId, 'POST', 'schedule', body)).statusCode).toBe(200);
      const m = await directory.migration.findFirstOrThrow({ where: { tenantId } });
      expect(await jobs.queue.getJob(`${m.id}-pre-copy`)).toBeTruthy();
      expect((await hook(app, tenantId, 'POST', 'start', body)).json()).toMatchObject({ state: 'frozen' });
      await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'over' });
    });

    it('start after the window is honoured; a migration never started expires a day later', async () => {
      clock = t0;
      const late = await newTenant();
      const body = windowAt('late-start', t0 + HOUR, t0 + 2 * HOUR);
      await hook(app, late, 'POST', 'schedule', body);
      clock = t0 + 7 * HOUR;
      expect((await hook(app, late, 'POST', 'start', body)).json()).toMatchObject({ state: 'frozen' });
      expect(await stateOf(late)).toBe('frozen');
      await hook(app, late, 'POST', 'rollback', { migrationId: 'late-start' });

      clock = t0;
      const never = await newTenant();
      await hook(app, never, 'POST', 'schedule', windowAt('never-started', t0 + HOUR, t0 + 2 * HOUR));
      clock = t0 + 2 * HOUR + 23 * HOUR;
      expect(await stateOf(never)).toBe('scheduled');
      clock = t0 + 2 * HOUR + 25 * HOUR;
      expect((await hook(app, never, 'GET', 'status?migrationId=never-started')).json()).toEqual({
        status: 'failed',
        errorResponseCode: 'E9999',
      });
      const t = await directory.tenant.findUniqueOrThrow({ where: { id: never } });
      expect(t.frozenByMigration).toBeNull();
      clock = Date.now();
    });
  });

  it('migrationId as Atlassian sends it: a JSON number in bodies, a query parameter on status', async () => {
    clock = Date.now();
    const tenantId = await newTenant();
    const numeric = { ...window('x'), migrationId: 12345 };
    const scheduled = await hook(app, tenantId, 'POST', 'schedule', numeric);
    expect(scheduled.statusCode).toBe(200);
    expect(scheduled.json()).toMatchObject({ migrationId: '12345', state: 'scheduled' });
    // The same migration whichever type the id arrives as.
    expect(
      (await hook(app, tenantId, 'POST', 'schedule', { ...numeric, migrationId: '12345' })).statusCode,
    ).toBe(200);
    expect(await directory.migration.count({ where: { tenantId } })).toBe(1);
    expect((await hook(app, tenantId, 'POST', 'start', numeric)).json()).toMatchObject({ state: 'frozen' });
    const status = await hook(app, tenantId, 'GET', 'status?migrationId=12345');
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ status: 'in-progress' });
    const rolled = await hook(app, tenantId, 'POST', 'rollback', { migrationId: 12345 });
    expect(rolled.json()).toMatchObject({ migrationId: '12345', state: 'rolled_back' });
  });

  it('status without migrationId answers for the current, else the latest migration — always 200', async () => {
    clock = Date.now();
    const tenantId = await newTenant();
    const none = await hook(app, tenantId, 'GET', 'status');
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ status: 'failed', errorResponseCode: 'E0001' });
    await hook(app, tenantId, 'POST', 'schedule', window('cur-1'));
    await hook(app, tenantId, 'POST', 'start', window('cur-1'));
    const current = await hook(app, tenantId, 'GET', 'status');
    expect(current.statusCode).toBe(200);
    expect(current.json()).toMatchObject({ status: 'in-progress' });
    const m = await directory.migration.findFirstOrThrow({ where: { tenantId } });
    await directory.migration.update({ where: { id: m.id }, data: { state: 'ready_to_commit' } });
    expect((await hook(app, tenantId, 'GET', 'status?migrationId=')).json()).toEqual({
      status: 'ready-to-commit',
    });
    await hook(app, tenantId, 'POST', 'rollback', { migrationId: 'cur-1' });
    // Nothing in progress: the most recent one (rolled back) answers.
    expect((await hook(app, tenantId, 'GET', 'status')).json()).toMatchObject({ status: 'failed' });
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
