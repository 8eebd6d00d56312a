import { randomUUID } from 'node:crypto';
import {
  enterTenantWrite,
  listWriteFences,
  type PgPool,
  raiseWriteFence,
  TenantWriteFenced,
  withTenantWrite,
} from '@rt/db';
import { createRedis } from '@rt/queue';
import { testRedisUrl } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMigrationSweeper } from '../src/migration/pipeline.js';
import { liftFencesOnTenantChange } from '../src/migration/write-fence.js';
import { type RunningWorkers, startWorkers } from '../src/workers.js';
import { MigrationEnv } from './support/migration-env.js';

/**
 * The router's freeze is decided from a cached tenant record, so a write that passed it just
 * before /start can still be committing in the source region when the copy begins. The source
 * region's write fence makes such a write either part of the copy or refused — never
 * acknowledged and then lost with the source copy.
 */
let env: MigrationEnv;
let workers: RunningWorkers;

beforeAll(async () => {
  env = await MigrationEnv.create('mfence', { tuning: { rowBatchSize: 100, progressIntervalMs: 50 } });
  workers = await startWorkers(env.deps);
});

afterAll(async () => {
  await workers?.close();
  await env?.close();
});

const insertLayout = (client: Pick<PgPool, 'query'>, tenantId: string, name: string) =>
  client.query(`INSERT INTO layouts (tenant_id, name, scope, content) VALUES ($1, $2, 'site', '{}')`, [
    tenantId,
    name,
  ]);

const layoutNames = async (region: 'EU' | 'US', tenantId: string, like: string): Promise<string[]> =>
  (
    await env
      .region(region)
      .pool.query<{ name: string }>(
        'SELECT name FROM layouts WHERE tenant_id = $1 AND name LIKE $2 ORDER BY name',
        [tenantId, like],
      )
  ).rows.map((r) => r.name);

/** Advisory lock requests waiting in the EU database (the fence waiting for writers, or writers for it). */
async function queuedLocks(): Promise<number> {
  const { rows } = await env.region('EU').pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return rows[0]?.n ?? 0;
}

const fencesOf = async (tenantId: string) =>
  (await listWriteFences(env.region('EU').pool)).filter((f) => f.tenantId === tenantId);

describe('the source region’s write fence during a migration EU → US', () => {
  it('a write in flight across /start commits before the copy reads and is copied; a write queued behind the fence is refused; nothing is lost at commit', async () => {
    const t = await env.seedTenant('EU', { layouts: 30, themes: 2, assets: 4 });
    const { pool } = env.region('EU');
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'atl-fence',
      location: 'US',
      origin: 'atlassian',
      autoCommit: false,
    });
    await env.waitFor(async () => {
      const fresh = await env.coordinator.get(m.id);
      return (fresh?.progress as { phase?: string } | undefined)?.phase === 'pre-copied';
    });

    // A write that passed the router before it heard of /start: its transaction is open, its
    // layout written but not committed, while the migration starts.
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await enterTenantWrite(writer, t.tenantId);
      await insertLayout(writer, t.tenantId, 'Race: in flight');

      expect((await env.coordinator.start(m)).state).toBe('frozen');
      // The copy asks the EU export for the freeze's delta; the fence waits for the writer.
      await env.waitFor(async () => (await queuedLocks()) >= 1, 30_000, 'the fence waiting for the writer');
      expect((await env.coordinator.get(m.id))?.state).toBe('copying');
      // A write arriving now queues behind the fence.
      const late = withTenantWrite(pool, t.tenantId, (c) => insertLayout(c, t.tenantId, 'Race: late'));
      late.catch(() => undefined);
      await env.waitFor(async () => (await queuedLocks()) >= 2, 30_000, 'the late writer queued');

      // The in-flight write commits: acknowledged to its client.
      await writer.query('COMMIT');
      await expect(late).rejects.toBeInstanceOf(TenantWriteFenced);
    } finally {
      writer.release();
    }
    expect(await fencesOf(t.tenantId)).toEqual([expect.objectContaining({ migrationId: m.id })]);

    const ready = await env.waitForState(m.id, ['ready_to_commit', 'failed']);
    expect(ready.state).toBe('ready_to_commit');
    expect(await layoutNames('US', t.tenantId, 'Race:%')).toEqual(['Race: in flight']);
    expect(await env.snapshot('US', t.tenantId)).toEqual(await env.snapshot('EU', t.tenantId));
    // Still fenced while ready to commit: nothing can slip in between verify and commit.
    await expect(
      withTenantWrite(pool, t.tenantId, (c) => insertLayout(c, t.tenantId, 'Race: before commit')),
    ).rejects.toBeInstanceOf(TenantWriteFenced);

    await env.coordinator.commit(ready);
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt);
    // The acknowledged write lives on in the new home; the EU copy is gone, and its fence with it.
    expect(await layoutNames('US', t.tenantId, 'Race:%')).toEqual(['Race: in flight']);
    expect((await env.snapshot('EU', t.tenantId)).rowCount).toBe(0);
    expect(await fencesOf(t.tenantId)).toEqual([]);
  });

  it('a rolled-back migration’s fence is lifted by the sweeper, and the tenant writes again', async () => {
    const t = await env.seedTenant('EU', { layouts: 10, themes: 1, assets: 2 });
    const { pool } = env.region('EU');
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'atl-fence-rb',
      location: 'US',
      origin: 'atlassian',
      autoCommit: false,
    });
    await env.coordinator.start(m);
    await env.waitForState(m.id, ['ready_to_commit']);
    expect(await fencesOf(t.tenantId)).toEqual([expect.objectContaining({ migrationId: m.id })]);
    await expect(
      withTenantWrite(pool, t.tenantId, (c) => insertLayout(c, t.tenantId, 'Fenced')),
    ).rejects.toBeInstanceOf(TenantWriteFenced);

    // A fence no migration explains (its migration unknown here) is lifted as well.
    const stray = randomUUID();
    await raiseWriteFence(pool, stray, randomUUID());

    await env.coordinator.rollback((await env.coordinator.get(m.id))!);
    // Still up until the sweeper of the source region sees the rollback.
    expect(await fencesOf(t.tenantId)).toHaveLength(1);
    const sweeper = startMigrationSweeper(env.deps, 200);
    try {
      await env.waitFor(async () => (await fencesOf(t.tenantId)).length === 0, 30_000, 'fence lifted');
      await env.waitFor(async () => (await fencesOf(stray)).length === 0, 30_000, 'stray fence lifted');
    } finally {
      sweeper.stop();
    }
    await withTenantWrite(pool, t.tenantId, (c) => insertLayout(c, t.tenantId, 'After rollback'));
    expect(await layoutNames('EU', t.tenantId, 'After%')).toEqual(['After rollback']);
  });

  it('a rolled-back migration’s fence is lifted as soon as the tenant-changed notice arrives', async () => {
    const t = await env.seedTenant('EU', { layouts: 5, themes: 1, assets: 1 });
    const { pool } = env.region('EU');
    const subscriber = createRedis(testRedisUrl());
    // The coordinator of this environment publishes on the unprefixed channel, as in production.
    const lifts = await liftFencesOnTenantChange(env.deps, subscriber);
    try {
      const m = await env.coordinator.schedule({
        tenantId: t.tenantId,
        externalId: 'atl-fence-bus',
        location: 'US',
        origin: 'atlassian',
        autoCommit: false,
      });
      await env.coordinator.start(m);
      await env.waitForState(m.id, ['ready_to_commit']);
      expect(await fencesOf(t.tenantId)).toHaveLength(1);
      // No sweeper runs here: only the notice of the rollback can lift the fence.
      await env.coordinator.rollback((await env.coordinator.get(m.id))!);
      await env.waitFor(async () => (await fencesOf(t.tenantId)).length === 0, 10_000, 'fence lifted');
      await withTenantWrite(pool, t.tenantId, (c) => insertLayout(c, t.tenantId, 'Right after'));
      expect(await layoutNames('EU', t.tenantId, 'Right%')).toEqual(['Right after']);
    } finally {
      await lifts.close();
      subscriber.disconnect();
    }
  });
});
