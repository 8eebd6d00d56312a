import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deleteTenantRows } from '@rt/db';
import { type DeletionReceipt, enqueueDeletion, scheduleDeletion, sweepDueDeletions } from '@rt/deletion';
import { TENANT_CHANGED_CHANNEL } from '@rt/directory';
import { createRedis, JobProducer } from '@rt/queue';
import { deleteKeys, listTenantObjects } from '@rt/storage';
import { redisTestPrefix } from '@rt/testing';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionJob } from '../src/jobs/deletion.js';
import { startWorkers } from '../src/workers.js';
import {
  countObjects,
  countRows,
  createTenant,
  createWorld,
  type SeedShape,
  seedTenant,
  type World,
} from './support/world.js';

// This file owns Redis DB 9 (it flushes it); everything else uses the shared DB 0 with prefixes.
const REDIS_URL = process.env.DELETION_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
const SMALL: SeedShape = {
  layouts: 4,
  revisionsPerLayout: 2,
  themes: 2,
  spaceThemes: 2,
  assets: 6,
  references: 3,
};
const LEFTOVER: SeedShape = {
  layouts: 2,
  revisionsPerLayout: 1,
  themes: 1,
  spaceThemes: 1,
  assets: 3,
  references: 1,
};
const DAY = 24 * 3600 * 1000;

let world: World;
let producer: JobProducer<'deletion'>;
const prefix = redisTestPrefix('deletion');
const noJob = {} as Job;

beforeAll(async () => {
  world = await createWorld({ label: 'del', redisUrl: REDIS_URL, queuePrefix: prefix });
  producer = new JobProducer('deletion', { connection: world.redis, prefix });
});

afterAll(async () => {
  await producer?.close();
  await world?.close();
});

const region = (id: string) => world.regions.get(id) as NonNullable<ReturnType<World['regions']['get']>>;

/** A tenant with data in both regions (home + leftover of a past migration), as the router leaves it. */
async function tenantWithData(clientKey: string, home: 'EU' | 'US') {
  const tenantId = await createTenant(world.directory, { clientKey, homeRegion: home });
  const other = home === 'EU' ? 'US' : 'EU';
  const seeded = {
    [home]: await seedTenant(region(home), tenantId, SMALL),
    [other]: await seedTenant(region(other), tenantId, LEFTOVER),
  } as Record<'EU' | 'US', { rows: number; objects: number }>;
  return { tenantId, clientKey, seeded };
}

async function uninstall(t: { tenantId: string; clientKey: string }) {
  const uninstalledAt = world.clock.now();
  await world.directory.tenant.update({
    where: { id: t.tenantId },
    data: { state: 'uninstalled', uninstalledAt },
  });
  const res = await scheduleDeletion(
    world.directory,
    producer,
    { tenantId: t.tenantId, clientKey: t.clientKey, uninstalledAt },
    world.clock,
  );
  expect(res.error).toBeUndefined();
  expect(res.enqueued).toBe(true);
  return res.deletion;
}

async function remaining(tenantId: string) {
  const out: Record<string, { rows: number; objects: number }> = {};
  for (const id of ['EU', 'US']) {
    const r = region(id);
    out[id] = {
      rows: await countRows(r.pool, tenantId),
      objects: await countObjects(r.s3, r.bucket, tenantId),
    };
  }
  return out;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('deletion 30 days after uninstall', () => {
  it('deletes everything of the tenant in both regions at +30 d, keeps others, leaves a receipt', async () => {
    world.clock.set(new Date('2026-02-01T12:00:00Z'));
    const victim = await tenantWithData('client-victim', 'EU');
    const bystander = await tenantWithData('client-bystander', 'EU');
    const before = await remaining(bystander.tenantId);
    const deletion = await uninstall(victim);
    expect(deletion.dueAt.getTime() - world.clock.now().getTime()).toBe(30 * DAY);
    expect(await (await producer.queue.getJob(deletion.id))?.getState()).toBe('delayed');

    // A re-delivered hook keeps the same deletion and due date.
    world.clock.advanceDays(1);
    const again = await scheduleDeletion(
      world.directory,
      producer,
      { tenantId: victim.tenantId, clientKey: victim.clientKey, uninstalledAt: world.clock.now() },
      world.clock,
    );
    expect(again).toMatchObject({ created: false, deletion: { id: deletion.id, dueAt: deletion.dueAt } });

    // Day 29: not due; neither the sweeper nor a (prematurely fired) job touch anything.
    world.clock.set(new Date(deletion.dueAt.getTime() - DAY));
    expect(await sweepDueDeletions(world.directory, producer, { region: 'EU' }, world.clock)).toEqual([]);
    expect(await deletionJob(world.deps('EU'), { deletionId: deletion.id }, noJob)).toEqual({
      status: 'not-due',
    });
    expect((await remaining(victim.tenantId)).EU?.rows).toBe(victim.seeded.EU.rows);

    // Day 30: due. The sweeper re-enqueues it (moving the delayed job), the handler deletes.
    world.clock.set(deletion.dueAt);
    expect(await sweepDueDeletions(world.directory, producer, { region: 'EU' }, world.clock)).toEqual([
      deletion.id,
    ]);
    expect(await (await producer.queue.getJob(deletion.id))?.getState()).toBe('waiting');
    const sub = createRedis(REDIS_URL);
    const published: string[] = [];
    sub.on('message', (_channel, message) => published.push(message));
    await sub.subscribe(TENANT_CHANGED_CHANNEL);
    const outcome = await deletionJob(world.deps('EU'), { deletionId: deletion.id }, noJob);
    expect(outcome).toMatchObject({ status: 'done' });

    expect(await remaining(victim.tenantId)).toEqual({
      EU: { rows: 0, objects: 0 },
      US: { rows: 0, objects: 0 },
    });
    expect(await remaining(bystander.tenantId)).toEqual(before);

    const row = await world.directory.deletion.findUniqueOrThrow({ where: { id: deletion.id } });
    expect(row).toMatchObject({ state: 'done', attempts: 1, lastError: null });
    const receipt = row.receipt as unknown as DeletionReceipt;
    expect(receipt).toMatchObject({
      clientKey: 'client-victim',
      completedAt: deletion.dueAt.toISOString(),
      regions: {
        EU: { rows: victim.seeded.EU.rows, objects: victim.seeded.EU.objects, done: true },
        US: { rows: victim.seeded.US.rows, objects: victim.seeded.US.objects, done: true },
      },
    });
    expect(JSON.stringify(receipt)).not.toContain('atlassian.net');
    const tenant = await world.directory.tenant.findUniqueOrThrow({ where: { id: victim.tenantId } });
    expect(tenant).toMatchObject({ state: 'deleted', sharedSecretEnc: null });

    await waitFor(async () => (published.includes(victim.tenantId) ? true : undefined), 5000, 'cache notice');
    sub.disconnect();

    // Idempotent: a second run changes nothing and keeps the receipt.
    expect(await deletionJob(world.deps('EU'), { deletionId: deletion.id }, noJob)).toEqual({
      status: 'already-done',
    });
    const after = await world.directory.deletion.findUniqueOrThrow({ where: { id: deletion.id } });
    expect(after.receipt).toEqual(row.receipt);
  });

  it('a reinstall at day 29 cancels the deletion and the data stays', async () => {
    world.clock.set(new Date('2026-03-01T08:00:00Z'));
    const t = await tenantWithData('client-returning', 'EU');
    const deletion = await uninstall(t);
    world.clock.advanceDays(29);
    // What the router's `installed` hook does: tenant active again, pending deletion cancelled.
    await world.directory.tenant.update({ where: { id: t.tenantId }, data: { state: 'active' } });
    const { cancelDeletion } = await import('@rt/deletion');
    const cancelled = await cancelDeletion(world.directory, producer, { tenantId: t.tenantId }, world.clock);
    expect(cancelled.map((d) => d.id)).toEqual([deletion.id]);
    expect(await producer.queue.getJob(deletion.id)).toBeUndefined();

    world.clock.advanceDays(5);
    expect(await sweepDueDeletions(world.directory, producer, { region: 'EU' }, world.clock)).toEqual([]);
    expect(await deletionJob(world.deps('EU'), { deletionId: deletion.id }, noJob)).toEqual({
      status: 'cancelled',
    });
    expect(await remaining(t.tenantId)).toEqual({ EU: t.seeded.EU, US: t.seeded.US });
    const row = await world.directory.deletion.findUniqueOrThrow({ where: { id: deletion.id } });
    expect(row.state).toBe('cancelled');
  });

  it('a deletion the router already cancelled loses its delayed job on onReinstalled', async () => {
    world.clock.set(new Date('2026-03-05T08:00:00Z'));
    const t = await tenantWithData('client-router-cancelled', 'EU');
    const deletion = await uninstall(t);
    await world.directory.deletion.update({ where: { id: deletion.id }, data: { state: 'cancelled' } });
    expect(await (await producer.queue.getJob(deletion.id))?.getState()).toBe('delayed');
    const { cancelDeletion } = await import('@rt/deletion');
    expect(await cancelDeletion(world.directory, producer, { tenantId: t.tenantId }, world.clock)).toEqual(
      [],
    );
    expect(await producer.queue.getJob(deletion.id)).toBeUndefined();
  });

  it('never deletes a reinstalled tenant even when the cancel was lost', async () => {
    world.clock.set(new Date('2026-03-10T08:00:00Z'));
    const t = await tenantWithData('client-lost-cancel', 'EU');
    const deletion = await uninstall(t);
    await world.directory.tenant.update({ where: { id: t.tenantId }, data: { state: 'active' } });
    world.clock.advanceDays(31);
    expect(await deletionJob(world.deps('EU'), { deletionId: deletion.id }, noJob)).toEqual({
      status: 'cancelled',
    });
    expect(await remaining(t.tenantId)).toEqual({ EU: t.seeded.EU, US: t.seeded.US });
  });

  it('a tenant migrated EU → US leaves nothing behind in either region', async () => {
    world.clock.set(new Date('2026-04-01T08:00:00Z'));
    const t = await tenantWithData('client-migrated', 'US');
    const deletion = await uninstall(t);
    world.clock.advanceDays(30);
    // Only the home region's worker runs it (no double execution across regions).
    expect(await deletionJob(world.deps('EU'), { deletionId: deletion.id }, noJob)).toEqual({
      status: 'other-region',
    });
    expect(await deletionJob(world.deps('US'), { deletionId: deletion.id }, noJob)).toMatchObject({
      status: 'done',
    });
    expect(await remaining(t.tenantId)).toEqual({ EU: { rows: 0, objects: 0 }, US: { rows: 0, objects: 0 } });
  });

  it('Redis flushed between uninstall and due date: the sweeper still gets it done (real BullMQ worker)', async () => {
    world.clock.set(new Date('2026-05-01T08:00:00Z'));
    const t = await tenantWithData('client-flushed', 'EU');
    const deletion = await uninstall(t);
    await world.redis.flushdb(); // DB 9 belongs to this file
    expect(await producer.queue.getJob(deletion.id)).toBeUndefined();
    world.clock.advanceDays(30);

    const workers = await startWorkers(world.deps('EU'));
    try {
      const maintenance = new JobProducer('maintenance', { connection: world.redis, prefix });
      await maintenance.add('deletion-sweep', { task: 'deletion-sweep', region: 'EU' });
      await maintenance.close();
      const done = await waitFor(
        async () => {
          const row = await world.directory.deletion.findUniqueOrThrow({ where: { id: deletion.id } });
          return row.state === 'done' ? row : undefined;
        },
        20_000,
        'deletion done',
      );
      expect(done.attempts).toBe(1);
    } finally {
      await workers.close();
    }
    expect(await remaining(t.tenantId)).toEqual({ EU: { rows: 0, objects: 0 }, US: { rows: 0, objects: 0 } });
  });

  it('a crash between a delete and saving its count still yields an exact receipt', async () => {
    world.clock.set(new Date('2026-05-15T08:00:00Z'));
    const t = await tenantWithData('client-crash-window', 'EU');
    const deletion = await uninstall(t);
    world.clock.advanceDays(30);
    // State a run killed right after COMMIT (EU rows) and right after DeleteObjects (first 4
    // EU keys) leaves behind: in-flight markers saved, counts not yet added.
    const eu = region('EU');
    const keys: string[] = [];
    for await (const page of listTenantObjects(eu.s3, eu.bucket, t.tenantId))
      keys.push(...page.map((o) => o.Key as string));
    keys.sort();
    await deleteKeys(eu.s3, eu.bucket, keys.slice(0, 4));
    const removed = await deleteTenantRows(eu.pool, t.tenantId);
    await world.directory.deletion.update({
      where: { id: deletion.id },
      data: {
        state: 'running',
        attempts: 1,
        startedAt: world.clock.now(),
        receipt: {
          clientKey: t.clientKey,
          reason: 'uninstalled',
          uninstalledAt: deletion.uninstalledAt.toISOString(),
          dueAt: deletion.dueAt.toISOString(),
          startedAt: world.clock.now().toISOString(),
          attempts: 1,
          regions: {
            EU: {
              rows: 0,
              objects: 0,
              tables: {},
              done: false,
              objectsInFlight: { first: keys[0] as string, last: keys[3] as string, n: 4 },
              rowsInFlight: removed,
            },
          },
        } as never,
      },
    });
    expect(await deletionJob(world.deps('EU'), { deletionId: deletion.id }, noJob)).toMatchObject({
      status: 'done',
    });
    const row = await world.directory.deletion.findUniqueOrThrow({ where: { id: deletion.id } });
    const receipt = row.receipt as unknown as DeletionReceipt;
    expect(receipt.regions.EU).toEqual({
      rows: t.seeded.EU.rows,
      objects: t.seeded.EU.objects,
      tables: removed.tables,
      done: true,
    });
    expect(receipt.regions.US).toMatchObject({ rows: t.seeded.US.rows, objects: t.seeded.US.objects });
    expect(row.attempts).toBe(2);
  });

  it('worker killed (kill -9) mid-deletion: a restarted worker finishes it', async () => {
    world.clock.set(new Date('2026-06-01T08:00:00Z'));
    const tenantId = await createTenant(world.directory, { clientKey: 'client-killed', homeRegion: 'EU' });
    const shape: SeedShape = { ...SMALL, assets: 400, references: 4 };
    const seeded = {
      EU: await seedTenant(region('EU'), tenantId, shape),
      US: await seedTenant(region('US'), tenantId, shape),
    };
    const deletion = await uninstall({ tenantId, clientKey: 'client-killed' });
    world.clock.advanceDays(30);
    await enqueueDeletion(producer, deletion, world.clock); // due now: the delayed job is promoted

    const spawnWorker = (): ChildProcess => {
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        CHILD_DIRECTORY_URL: world.directoryUrl,
        CHILD_REDIS_URL: REDIS_URL,
        CHILD_QUEUE_PREFIX: prefix,
        CHILD_HOME_REGION: 'EU',
        CHILD_BATCH_SIZE: '20',
        FAKE_NOW: world.clock.now().toISOString(),
      };
      for (const [id, r] of world.regions) env[`CHILD_REGION_${id}`] = JSON.stringify(r.settings);
      return spawn(
        process.execPath,
        [
          '--conditions=development',
          '--import',
          'tsx',
          fileURLToPath(new URL('./support/worker-child.ts', import.meta.url)),
        ],
        { env, stdio: ['ignore', 'pipe', 'inherit'] },
      );
    };
    const readRow = () => world.directory.deletion.findUniqueOrThrow({ where: { id: deletion.id } });

    const first = spawnWorker();
    await waitFor(
      async () => {
        const r = (await readRow()).receipt as unknown as DeletionReceipt | null;
        return (r?.regions.EU?.objects ?? 0) >= 40 ? true : undefined;
      },
      30_000,
      'deletion under way',
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const mid = await readRow();
    expect(mid.state).toBe('running');
    const left = await remaining(tenantId);
    expect(left.EU?.objects).toBeGreaterThan(0);
    expect(left.US).toEqual(seeded.US);

    // BullMQ hands the stalled job to the new worker once the dead one's lock expires (2 s here).
    const second = spawnWorker();
    try {
      const done = await waitFor(
        async () => {
          const row = await readRow();
          return row.state === 'done' ? row : undefined;
        },
        70_000,
        'deletion finished after restart',
      );
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      const receipt = done.receipt as unknown as DeletionReceipt;
      expect(receipt.regions.US).toMatchObject({ rows: seeded.US.rows, objects: seeded.US.objects });
      // Exact even though the kill may have hit between a DeleteObjects call and saving its count.
      expect(receipt.regions.EU).toMatchObject({ rows: seeded.EU.rows, objects: seeded.EU.objects });
      expect(receipt.regions.EU).not.toHaveProperty('objectsInFlight');
    } finally {
      second.kill('SIGKILL');
    }
    expect(await remaining(tenantId)).toEqual({ EU: { rows: 0, objects: 0 }, US: { rows: 0, objects: 0 } });
  }, 120_000);
});
