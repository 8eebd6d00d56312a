import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationEnv } from './support/migration-env.js';

const entry = fileURLToPath(new URL('./support/worker-entry.ts', import.meta.url));
let env: MigrationEnv;
let child: ChildProcess | undefined;

/** Starts a worker process and resolves once it consumes the queue. */
function startWorker(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', entry], {
      env: { ...process.env, RT_WORKER_TEST_CONFIG: JSON.stringify(env.config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => reject(new Error('worker did not start')), 60_000);
    p.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(p);
      }
    });
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== null && code !== 0) reject(new Error(`worker exited ${code}`));
    });
  });
}

/** kill -9, and wait until the process is really gone. */
async function kill9(p: ChildProcess): Promise<void> {
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
}

beforeAll(async () => {
  env = await MigrationEnv.create('mkill');
  env.config.tuning = { rowBatchSize: 10, objectConcurrency: 1, progressIntervalMs: 0 };
});

afterAll(async () => {
  if (child && child.exitCode === null) await kill9(child);
  await env?.close();
});

describe('worker killed with -9 mid-migration', () => {
  it('resumes after every kill and ends with an identical copy, no duplicates, no loss', async () => {
    const t = await env.seedTenant('EU', { layouts: 500, themes: 3, assets: 30, assetBytes: 16_384 });
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'kill-1',
      location: 'US',
      windowEnd: new Date(Date.now() + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    const progressOf = async () => {
      const row = await env.directory.migration.findUniqueOrThrow({ where: { id: m.id } });
      return row.progress as {
        phase?: string;
        rows?: { done: number };
        objects?: { done: number; total: number };
      };
    };

    // Kill 1: during the pre-copy of objects.
    child = await startWorker();
    await env.waitFor(async () => {
      const p = await progressOf();
      return p.phase === 'pre-copy' && (p.objects?.done ?? 0) > 3;
    });
    await kill9(child);
    child = await startWorker();
    await env.waitFor(
      async () => (await progressOf()).phase === 'pre-copied',
      60_000,
      'pre-copy after restart',
    );

    // Uploads between schedule and start: objects the freeze-time copy has to move.
    const extra = await env.seedTenant('EU', { layouts: 0, themes: 0, assets: 0 });
    expect(extra.rows).toBe(1);
    const { s3, bucket, pool } = env.region('EU');
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const { createHash, randomBytes } = await import('node:crypto');
    for (let i = 0; i < 25; i++) {
      const body = randomBytes(16_384);
      const sha = createHash('sha256').update(body).digest('hex');
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `tenants/${t.tenantId}/assets/${sha}`, Body: body }),
      );
      await pool.query(
        "INSERT INTO assets (tenant_id, sha256, media_type, size) VALUES ($1, $2, 'image/png', $3)",
        [t.tenantId, sha, body.length],
      );
    }
    // Every layout edited after the pre-copy: the freeze has a delta of 500 rows to move.
    await pool.query("UPDATE layouts SET name = name || ' (edited)' WHERE tenant_id = $1", [t.tenantId]);
    const before = await env.snapshot('EU', t.tenantId);

    await env.coordinator.start(m);
    // Kill 2: in the middle of the row copy.
    await env.waitFor(
      async () => {
        const p = await progressOf();
        return p.phase === 'copy-rows' && (p.rows?.done ?? 0) > 200;
      },
      60_000,
      'row copy under way',
    );
    await kill9(child);
    child = await startWorker();
    // Kill 3: in the middle of the object copy.
    await env.waitFor(
      async () => {
        const p = await progressOf();
        return p.phase === 'copy-objects' && (p.objects?.done ?? 0) > (p.objects?.total ?? 0) - 20;
      },
      90_000,
      'object copy under way',
    );
    await kill9(child);
    child = await startWorker();

    const ready = await env.waitForState(m.id, ['ready_to_commit', 'failed'], 120_000);
    expect(ready.state).toBe('ready_to_commit');
    const copy = await env.snapshot('US', t.tenantId);
    expect(copy).toEqual(before);
    expect(await env.snapshot('EU', t.tenantId)).toEqual(before);
    const events = await env.directory.migrationEvent.findMany({
      where: { migrationId: m.id },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => e.toState)).toEqual([
      'scheduled',
      'pre_copying',
      'frozen',
      'copying',
      'verifying',
      'ready_to_commit',
    ]);
    await env.coordinator.commit(ready);
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt, 60_000, 'source cleanup');
    expect((await env.snapshot('EU', t.tenantId)).rowCount).toBe(0);
    expect(await env.snapshot('US', t.tenantId)).toEqual(copy);
  }, 300_000);
});
