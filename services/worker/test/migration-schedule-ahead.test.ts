import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../src/workers.js';
import { MigrationEnv } from './support/migration-env.js';

const HOUR = 3_600_000;
const t0 = Date.now();
let clock = t0;
let env: MigrationEnv;
let workers: RunningWorkers;

beforeAll(async () => {
  env = await MigrationEnv.create('mahead', {
    now: () => new Date(clock),
    tuning: { progressIntervalMs: 50 },
  });
  workers = await startWorkers(env.deps);
});

afterAll(async () => {
  await workers?.close();
  await env?.close();
});

describe('a migration Atlassian schedules days ahead', () => {
  it('waits, pre-copies near its window, then starts, verifies and commits', async () => {
    const t = await env.seedTenant('EU', { layouts: 40, themes: 2, assets: 6 });
    const before = await env.snapshot('EU', t.tenantId);
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: '12345',
      location: 'US',
      windowStart: new Date(t0 + 72 * HOUR),
      windowEnd: new Date(t0 + 74 * HOUR),
      origin: 'atlassian',
      autoCommit: false,
    });
    const sweeper = env.deps.migration.coordinator;
    // Hours and days pass before the window: the sweeper neither fails nor pre-copies it.
    for (const h of [2, 3, 24, 47]) {
      clock = t0 + h * HOUR;
      await sweeper.sweep('EU');
      expect((await env.coordinator.get(m.id))?.state).toBe('scheduled');
    }
    expect((await env.snapshot('US', t.tenantId)).objects).toEqual([]);

    // A day before the window the sweeper queues the pre-copy: objects move, the tenant works on.
    clock = t0 + 49 * HOUR;
    await sweeper.sweep('EU');
    await env.waitFor(async () => {
      const p = (await env.coordinator.get(m.id))?.progress as { phase?: string } | undefined;
      return p?.phase === 'pre-copied';
    });
    expect((await env.snapshot('US', t.tenantId)).objects).toEqual(before.objects);
    expect(
      (await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).frozenByMigration,
    ).toBeNull();

    // Atlassian starts at the window; maxMigrationDurationHours counts from here.
    clock = t0 + 72 * HOUR;
    const started = await env.coordinator.start((await env.coordinator.get(m.id))!);
    expect(started.state).toBe('frozen');
    expect(started.deadlineAt?.getTime()).toBe(clock + 2 * HOUR);
    await env.waitFor(async () => {
      const s = await env.coordinator.status(await env.coordinator.get(m.id));
      expect(s.status).not.toBe('failed');
      return s.status === 'ready-to-commit';
    });
    const committed = await env.coordinator.commit((await env.coordinator.get(m.id))!);
    expect(committed.state).toBe('committed');
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt);
    expect(await env.snapshot('US', t.tenantId)).toEqual(before);
    expect((await env.snapshot('EU', t.tenantId)).rowCount).toBe(0);
  });
});
