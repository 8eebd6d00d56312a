import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TENANT_CHANGED_CHANNEL } from '@rt/directory';
import { createRedis, type Redis } from '@rt/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumTenantRows, localDigestAlgorithm, tenantRowDigests } from '../src/migration/rows.js';
import { type RunningWorkers, startWorkers } from '../src/workers.js';
import { MigrationEnv } from './support/migration-env.js';

let env: MigrationEnv;
let workers: RunningWorkers;
let subscriber: Redis;
const published: string[] = [];

beforeAll(async () => {
  // s3rver computes a copy's ETag from the bytes it wrote (metadata replaced): see the test of a
  // source object altered on disk below.
  env = await MigrationEnv.create('mpipe', {
    tuning: { rowBatchSize: 100, progressIntervalMs: 50, etagProvesCopy: true },
  });
  workers = await startWorkers(env.deps);
  subscriber = createRedis(env.config.redisUrl);
  await subscriber.subscribe(TENANT_CHANGED_CHANNEL);
  subscriber.on('message', (_channel, message) => published.push(message));
});

afterAll(async () => {
  await workers?.close();
  subscriber?.disconnect();
  await env?.close();
});

describe('migration pipeline EU → US', () => {
  it('pre-copies, freezes, copies, verifies, commits and deletes the EU copy', async () => {
    const t = await env.seedTenant('EU', { layouts: 300, themes: 4, assets: 30 });
    const before = await env.snapshot('EU', t.tenantId);
    expect(before.rowCount).toBe(t.rows);

    const now = Date.now();
    const scheduled = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'atl-1',
      location: 'US',
      windowStart: new Date(now),
      windowEnd: new Date(now + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    // Pre-copy runs while the tenant still works: objects and a snapshot of the rows reach US.
    await env.waitFor(async () => {
      const m = await env.directory.migration.findUnique({ where: { id: scheduled.id } });
      return (m?.progress as { phase?: string } | undefined)?.phase === 'pre-copied';
    });
    expect((await env.snapshot('US', t.tenantId)).objects).toEqual(before.objects);
    expect((await env.snapshot('US', t.tenantId)).rowCount).toBe(t.rows);
    // Every copy proven by its ETag against the MD5 recorded at upload: nothing read back.
    const preCopied = (await env.coordinator.get(scheduled.id))?.report as { preCopy: { proofs: object } };
    expect(preCopied.preCopy.proofs).toEqual({ 'etag-md5': 30 });

    // Writes before the start: the freeze must move exactly these (4 updates, 1 insert, 1 delete).
    const { pool } = env.region('EU');
    await pool.query(
      `UPDATE layouts SET name = name || ' (edited)', version = version + 1
        WHERE id IN (SELECT id FROM layouts WHERE tenant_id = $1 ORDER BY id LIMIT 2)`,
      [t.tenantId],
    );
    await pool.query(
      `INSERT INTO layouts (tenant_id, name, scope, content, version) VALUES ($1, 'Late', 'site', '{}', 1)`,
      [t.tenantId],
    );
    await pool.query(
      `DELETE FROM layouts WHERE id = (SELECT id FROM layouts WHERE tenant_id = $1 AND name LIKE 'Layout %'
          AND NOT EXISTS (SELECT 1 FROM asset_references r WHERE r.document_id = layouts.id) ORDER BY id DESC LIMIT 1)`,
      [t.tenantId],
    );
    // The default theme moves to another theme (a partial unique index allows one per tenant).
    await pool.query(
      `UPDATE themes SET is_default = (name = 'Theme 1') WHERE tenant_id = $1 AND name IN ('Theme 0', 'Theme 1')`,
      [t.tenantId],
    );
    const edited = await env.snapshot('EU', t.tenantId);
    const revisionsOfDeleted = before.rows.layout_revisions!.count - edited.rows.layout_revisions!.count;
    expect(
      (await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).frozenByMigration,
    ).toBeNull();

    const started = await env.coordinator.start(scheduled);
    expect(started.state).toBe('frozen');
    const frozen = await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } });
    expect(frozen.frozenByMigration).toBe(scheduled.id);
    // Status polling, as Atlassian does it, until ready.
    const ready = await env.waitFor(async () => {
      const s = await env.coordinator.status(await env.coordinator.get(scheduled.id));
      expect(s.status).not.toBe('failed');
      return s.status === 'ready-to-commit' ? s : undefined;
    });
    expect(ready).toEqual({ status: 'ready-to-commit' });
    const verified = await env.coordinator.get(scheduled.id);
    const report = verified?.report as Record<string, unknown>;
    expect(report.rowsTotal).toBe(edited.rowCount);
    expect(report.objects).toBe(t.objects);
    expect(report.bytes).toBe(t.bytes);
    // Only the delta moved during the freeze: 2 changed + 1 new layout and the 2 themes that
    // traded the default flag upserted, the deleted layout and its revision removed by key. (The
    // tenant stays in pre-copy until the start; a finished pre-copy is not run again before
    // `preCopyRefreshMs`, so nothing else takes part of the edits along.)
    const { rowsChangedDuringFreeze, rowsDeletedDuringFreeze } = report.durations as Record<string, number>;
    expect(rowsChangedDuringFreeze).toBe(5);
    expect(rowsDeletedDuringFreeze).toBe(2);
    expect(revisionsOfDeleted).toBe(1);
    expect(verified?.progress).toMatchObject({
      rows: { done: rowsChangedDuringFreeze, total: rowsChangedDuringFreeze },
      objects: { done: 30, total: 30 },
    });
    // Nothing is destructive before commit: EU is intact and the tenant still lives there.
    expect(await env.snapshot('EU', t.tenantId)).toEqual(edited);
    const usCopy = await env.snapshot('US', t.tenantId);
    expect(usCopy).toEqual(edited);

    // Commit twice (Atlassian retries): the second is harmless.
    const noticesBeforeCommit = published.filter((p) => p === t.tenantId).length;
    const committed = await env.coordinator.commit(verified!);
    await env.coordinator.commit((await env.coordinator.get(scheduled.id))!);
    expect(committed.state).toBe('committed');
    const moved = await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } });
    expect(moved.homeRegion).toBe('US');
    expect(moved.frozenByMigration).toBeNull();
    expect(moved.revision).toBe(frozen.revision + 1);

    const cleaned = await env.waitFor(async () => {
      const m = await env.coordinator.get(scheduled.id);
      return m?.cleanupDoneAt ? m : undefined;
    });
    expect((cleaned.report as Record<string, unknown>).sourceDeleted).toMatchObject({ region: 'EU' });
    const eu = await env.snapshot('EU', t.tenantId);
    expect(eu.rowCount).toBe(0);
    expect(eu.objects).toEqual([]);
    expect(await env.snapshot('US', t.tenantId)).toEqual(usCopy);
    expect(noticesBeforeCommit).toBeGreaterThanOrEqual(1); // the freeze
    // The commit told the routers once: not again by the retried commit, nor by the worker's
    // post-commit step (the coordinator owns the notice).
    expect(published.filter((p) => p === t.tenantId).length).toBe(noticesBeforeCommit + 1);

    const events = await env.directory.migrationEvent.findMany({
      where: { migrationId: scheduled.id },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => e.toState)).toEqual([
      'scheduled',
      'pre_copying',
      'frozen',
      'copying',
      'verifying',
      'ready_to_commit',
      'committed',
    ]);
  });

  it('a value that moves from one row to another changes the bucket digests and the checksum', async () => {
    // Row hashes are summed (order-independent); Postgres' record hash combines columns
    // linearly, so unless each row's hash is mixed once more, two rows trading a value cancel out
    // in the sum, and the copy of a default theme that moved would verify with the old default.
    const t = await env.seedTenant('EU', { layouts: 2, themes: 2, assets: 0 });
    const { pool } = env.region('EU');
    for (const algorithm of [await localDigestAlgorithm(pool), 'text' as const]) {
      const before = await checksumTenantRows(pool, t.tenantId, algorithm);
      const digests = await tenantRowDigests(pool, t.tenantId, algorithm);
      // The default flag moves to the other theme (one default per tenant: cleared first).
      const { rows } = await pool.query<{ id: string }>(
        'UPDATE themes SET is_default = false WHERE tenant_id = $1 AND is_default RETURNING id',
        [t.tenantId],
      );
      await pool.query('UPDATE themes SET is_default = true WHERE tenant_id = $1 AND id <> $2', [
        t.tenantId,
        rows[0]?.id,
      ]);
      const after = await checksumTenantRows(pool, t.tenantId, algorithm);
      expect(after.themes?.count).toBe(2);
      expect(after.themes?.sha256, algorithm).not.toBe(before.themes?.sha256);
      expect((await tenantRowDigests(pool, t.tenantId, algorithm)).themes?.digests).not.toEqual(
        digests.themes?.digests,
      );
      expect(after.layouts).toEqual(before.layouts);
    }
  });

  it('a target row altered after the pre-copy moves again; a target that stores other bytes fails verification', async () => {
    const t = await env.seedTenant('EU', { layouts: 120, themes: 2, assets: 3 });
    const eu = env.region('EU').pool;
    const us = env.region('US').pool;
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'atl-rot',
      location: 'US',
      windowEnd: new Date(Date.now() + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    await env.waitFor(async () => {
      const p = (await env.coordinator.get(m.id))?.progress as { phase?: string } | undefined;
      return p?.phase === 'pre-copied';
    });
    // The idle copy rots (a row altered behind the migration's back) and the source changes:
    // both buckets' digests differ, so both rows move again and the copy verifies.
    await us.query(
      `UPDATE layouts SET name = 'rotted' WHERE id = (SELECT id FROM layouts WHERE tenant_id = $1 ORDER BY id LIMIT 1)`,
      [t.tenantId],
    );
    await eu.query(
      `UPDATE layouts SET name = name || ' (edited)', version = version + 1
        WHERE id = (SELECT id FROM layouts WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1)`,
      [t.tenantId],
    );
    await env.coordinator.start((await env.coordinator.get(m.id))!);
    const ready = await env.waitForState(m.id, ['ready_to_commit', 'failed']);
    expect(ready.state).toBe('ready_to_commit');
    expect((ready.report as { durations: object }).durations).toMatchObject({
      rowsChangedDuringFreeze: 2,
      rowsDeletedDuringFreeze: 0,
    });
    expect(await env.snapshot('US', t.tenantId)).toEqual(await env.snapshot('EU', t.tenantId));
    await env.coordinator.rollback(ready);
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt);

    // A target that does not keep what it is sent (a trigger stands in for a faulty store):
    // the checksums computed by each side's Postgres differ and the migration fails, E9999. The
    // row it corrupts is the lowest id's, never the one edited above (the highest id's), whose
    // name no longer matches a seeded one.
    const victim = (
      await eu.query<{ name: string }>('SELECT name FROM layouts WHERE tenant_id = $1 ORDER BY id LIMIT 1', [
        t.tenantId,
      ])
    ).rows[0]!.name;
    expect(victim).toMatch(/^Layout \d+$/);
    await us.query(`CREATE OR REPLACE FUNCTION rt_test_corrupt() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name = '${victim}' THEN NEW.name := NEW.name || ' (corrupted)'; END IF; RETURN NEW; END $$`);
    await us.query(
      `CREATE TRIGGER rt_test_corrupt BEFORE INSERT OR UPDATE ON layouts FOR EACH ROW
         WHEN (NEW.tenant_id = '${t.tenantId}') EXECUTE FUNCTION rt_test_corrupt()`,
    );
    try {
      const bad = await env.coordinator.schedule({
        tenantId: t.tenantId,
        externalId: 'atl-corrupt',
        location: 'US',
        windowEnd: new Date(Date.now() + 3_600_000),
        origin: 'atlassian',
        autoCommit: false,
      });
      await env.coordinator.start(bad);
      const failed = await env.waitForState(bad.id, ['failed', 'ready_to_commit']);
      expect(failed.state).toBe('failed');
      expect(failed.errorMessage).toMatch(/verification failed: layouts: source 120\/\w+ target 120\//);
      expect(await env.coordinator.status(failed)).toEqual({ status: 'failed', errorResponseCode: 'E9999' });
      await env.waitFor(async () => (await env.coordinator.get(bad.id))?.cleanupDoneAt);
    } finally {
      await us.query('DROP TRIGGER rt_test_corrupt ON layouts');
    }
  });

  it('a source object whose stored bytes changed after upload fails the copy: its ETag is recomputed, not copied', async () => {
    const t = await env.seedTenant('EU', { layouts: 5, themes: 1, assets: 3 });
    const { rows } = await env
      .region('EU')
      .pool.query<{ sha256: string }>('SELECT sha256 FROM assets WHERE tenant_id = $1 LIMIT 1', [t.tenantId]);
    const sha = rows[0]!.sha256;
    const files = await readdir(env.s3Directory!, { recursive: true });
    const stored = files.find(
      (f) => f.includes(env.region('EU').bucket) && f.includes(sha) && f.endsWith('_S3rver_object'),
    );
    expect(stored).toBeDefined();
    // Bit rot behind the store's back: s3rver still answers the MD5 it computed at upload for the
    // source, so only a copy whose ETag is computed from the bytes written can tell.
    const path = join(env.s3Directory!, stored!);
    const bytes = await readFile(path);
    bytes[bytes.length - 1] = (bytes.at(-1) as number) ^ 0xff;
    await writeFile(path, bytes);
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'atl-rot-object',
      location: 'US',
      windowEnd: new Date(Date.now() + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    const failed = await env.waitForState(m.id, ['failed']);
    expect(failed.errorMessage).toContain(`${sha} does not match its sha256`);
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt);
    expect((await env.snapshot('US', t.tenantId)).objects).toEqual([]);
  });

  it('rolls back: target copy deleted, tenant unfrozen, home unchanged', async () => {
    const t = await env.seedTenant('EU', { layouts: 50, themes: 2, assets: 5 });
    const before = await env.snapshot('EU', t.tenantId);
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'atl-rb',
      location: 'US',
      windowEnd: new Date(Date.now() + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    await env.coordinator.start(m);
    await env.waitForState(m.id, ['ready_to_commit']);
    expect((await env.snapshot('US', t.tenantId)).rowCount).toBe(t.rows);

    const rolled = await env.coordinator.rollback((await env.coordinator.get(m.id))!);
    expect(rolled.state).toBe('rolled_back');
    await env.coordinator.rollback((await env.coordinator.get(m.id))!); // retried: harmless
    const tenant = await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } });
    expect(tenant.homeRegion).toBe('EU');
    expect(tenant.frozenByMigration).toBeNull();
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt);
    const us = await env.snapshot('US', t.tenantId);
    expect(us.rowCount).toBe(0);
    expect(us.objects).toEqual([]);
    expect(await env.snapshot('EU', t.tenantId)).toEqual(before);
    await expect(env.coordinator.commit((await env.coordinator.get(m.id))!)).rejects.toMatchObject({
      errorResponseCode: 'E9999',
    });
  });

  it('operator migration with autoCommit runs to committed on its own', async () => {
    const t = await env.seedTenant('EU', { layouts: 20, themes: 1, assets: 3 });
    const before = await env.snapshot('EU', t.tenantId);
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: null,
      location: 'US',
      origin: 'operator',
      autoCommit: true,
      requestedBy: 'op@test',
    });
    await env.coordinator.start(m);
    await env.waitForState(m.id, ['committed']);
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt);
    expect(await env.snapshot('US', t.tenantId)).toEqual(before);
    expect((await env.snapshot('EU', t.tenantId)).rowCount).toBe(0);
  });

  it('fails with E9999 and rolls back when the copy does not verify', async () => {
    const t = await env.seedTenant('EU', { layouts: 10, themes: 1, assets: 2 });
    // A row in the target that the source does not have is pruned; but a corrupt source object
    // (bytes not matching its content address) must fail the migration, not be copied.
    const { s3, bucket } = env.region('EU');
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const bogus = `tenants/${t.tenantId}/assets/${'a'.repeat(64)}`;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: bogus, Body: Buffer.from('not that'), ContentLength: 8 }),
    );
    const m = await env.coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'atl-bad',
      location: 'US',
      windowEnd: new Date(Date.now() + 3_600_000),
      origin: 'atlassian',
      autoCommit: false,
    });
    // The corrupt object is found by the pre-copy already: the migration fails before start.
    await env.waitForState(m.id, ['failed']);
    expect((await env.coordinator.start(m)).state).toBe('failed');
    const status = await env.coordinator.status(await env.coordinator.get(m.id));
    expect(status).toEqual({ status: 'failed', errorResponseCode: 'E9999' });
    const tenant = await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } });
    expect(tenant).toMatchObject({ homeRegion: 'EU', frozenByMigration: null });
    await env.waitFor(async () => (await env.coordinator.get(m.id))?.cleanupDoneAt);
    expect((await env.snapshot('US', t.tenantId)).rowCount).toBe(0);
  });
});
