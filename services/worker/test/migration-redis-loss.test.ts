import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMigrationSweeper } from '../src/migration/pipeline.js';
import { type RunningWorkers, startWorkers } from '../src/workers.js';
import { MigrationEnv } from './support/migration-env.js';

// This test restarts Redis, so it runs its OWN redis-server on a free port (never the shared one).
let port = 0;
let redisServer: ChildProcess | undefined;
let env: MigrationEnv;
let workers: RunningWorkers;
let sweeper: { stop(): void };

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

async function startRedis(): Promise<void> {
  redisServer = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    redisServer?.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function stopRedis(): Promise<void> {
  const p = redisServer;
  if (!p || p.exitCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  env = await MigrationEnv.create('mredis', {
    redisUrl: `redis://127.0.0.1:${port}`,
    tuning: { rowBatchSize: 10, objectConcurrency: 2, progressIntervalMs: 0 },
  });
  workers = await startWorkers(env.deps);
  for (const { worker: w } of workers.workers) w.on('error', () => undefined);
});

afterAll(async () => {
  sweeper?.stop();
  await workers?.close().catch(() => undefined);
  await env?.close().catch(() => undefined);
  await stopRedis();
});

describe('Redis lost mid-migration', () => {
  it('a restart with empty Redis: jobs are re-enqueued from Postgres and the copy completes identical', async () => {
    const t = await env.seedTenant('EU', { layouts: 400, themes: 2, assets: 10 });
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'redis-1',
      location: 'US',
      windowEnd: new Date(Date.now() + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    await env.waitFor(
      async () =>
        ((await env.coordinator.get(m.id))?.progress as { phase?: string } | undefined)?.phase ===
        'pre-copied',
    );
    // Every layout edited after the pre-copy: the freeze has a delta of 400 rows to move.
    await env
      .region('EU')
      .pool.query("UPDATE layouts SET name = name || ' (edited)' WHERE tenant_id = $1", [t.tenantId]);
    const before = await env.snapshot('EU', t.tenantId);
    // The target writes those rows slowly (a few ms each), so the copy is surely still moving them
    // when Redis goes: without this, on a fast run the whole freeze fits between two polls below.
    await env.region('US').pool.query(`CREATE OR REPLACE FUNCTION rt_test_slow() RETURNS trigger
      LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.004); RETURN NEW; END $$`);
    await env.region('US').pool.query(
      `CREATE TRIGGER rt_test_slow BEFORE INSERT OR UPDATE ON layouts FOR EACH ROW
         WHEN (NEW.tenant_id = '${t.tenantId}'::uuid) EXECUTE FUNCTION rt_test_slow()`,
    );
    await env.coordinator.start(m);
    await env.waitFor(async () => {
      const current = await env.coordinator.get(m.id);
      const p = current?.progress as { phase?: string; rows?: { done: number } };
      // Past the copy already: the test would no longer interrupt anything.
      expect(current?.state).not.toMatch(/verifying|ready_to_commit|failed/);
      return p.phase === 'copy-rows' && (p.rows?.done ?? 0) > 50;
    });
    // Redis dies and comes back empty: every job in flight and queued is gone.
    await stopRedis();
    await startRedis();
    // Only now the sweeper: it is what re-enqueues the lost jobs from Postgres. Running before,
    // it would re-run the pre-copy after the edits above and leave the freeze no delta to move.
    sweeper = startMigrationSweeper(env.deps, 500);

    const end = await env.waitForState(m.id, ['ready_to_commit', 'failed'], 120_000);
    if (end.state === 'failed') {
      // The other acceptable outcome: a clean failure with E9999 and a rolled-back target.
      expect(end.errorCode).toBe('E9999');
      await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt, 60_000);
      expect((await env.snapshot('US', t.tenantId)).rowCount).toBe(0);
      return;
    }
    expect(await env.snapshot('US', t.tenantId)).toEqual(before);
    await env.coordinator.commit(end);
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt, 60_000, 'cleanup');
    const tenant = await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } });
    expect(tenant).toMatchObject({ homeRegion: 'US', frozenByMigration: null });
    expect(await env.snapshot('US', t.tenantId)).toEqual(before);
    expect((await env.snapshot('EU', t.tenantId)).rowCount).toBe(0);
  }, 240_000);
});
