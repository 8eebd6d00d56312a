import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPgPool,
  deleteTenantRows,
  enterTenantWrite,
  liftWriteFence,
  listWriteFences,
  raiseWriteFence,
  TenantWriteFenced,
  withTenantWrite,
} from '../src/index.js';
import { freshDatabase } from './test-database.js';

/**
 * The write fence against a real Postgres: a write in flight when the fence goes up commits and
 * is seen by a snapshot taken after it; no write commits after it; lifting it re-enables writes.
 */
let db: { url: string; drop(): Promise<void> };
let pool: pg.Pool;

beforeAll(async () => {
  db = await freshDatabase('regional', 'fence');
  pool = createPgPool({ url: db.url, poolSize: 8 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const insertLayout = (client: pg.Pool | pg.PoolClient, tenantId: string, name: string) =>
  client.query(`INSERT INTO layouts (tenant_id, name, scope, content) VALUES ($1, $2, 'site', '{}')`, [
    tenantId,
    name,
  ]);

const layoutNames = async (tenantId: string): Promise<string[]> =>
  (
    await pool.query<{ name: string }>('SELECT name FROM layouts WHERE tenant_id = $1 ORDER BY name', [
      tenantId,
    ])
  ).rows.map((r) => r.name);

/** Waits until `n` advisory lock requests are queued (no fixed sleeps). */
async function waitForQueuedLocks(n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database =
         (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if ((rows[0]?.n ?? 0) >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never saw ${n} queued advisory locks`);
}

describe('tenant write fence', () => {
  it('waits for a write in flight, which commits and is in every snapshot taken after the fence; a writer queued behind the fence is refused', async () => {
    const tenant = randomUUID();
    const migration = randomUUID();
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await enterTenantWrite(writer, tenant);
      await insertLayout(writer, tenant, 'in flight');

      let fenced = false;
      const fencing = raiseWriteFence(pool, tenant, migration).then(() => {
        fenced = true;
      });
      await waitForQueuedLocks(1);
      // A writer arriving now queues behind the fence and must find it once it is up.
      const late = withTenantWrite(pool, tenant, (c) => insertLayout(c, tenant, 'late'));
      late.catch(() => undefined);
      await waitForQueuedLocks(2);
      expect(fenced).toBe(false);

      await writer.query('COMMIT');
      await fencing;
      await expect(late).rejects.toBeInstanceOf(TenantWriteFenced);

      // The copy's snapshot, taken after the fence: holds the in-flight write, nothing else.
      const snapshot = await pool.connect();
      try {
        await snapshot.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const { rows } = await snapshot.query<{ name: string }>(
          'SELECT name FROM layouts WHERE tenant_id = $1',
          [tenant],
        );
        expect(rows.map((r) => r.name)).toEqual(['in flight']);
        await snapshot.query('COMMIT');
      } finally {
        snapshot.release();
      }
    } finally {
      writer.release();
    }
  });

  it('refuses every write after the fence with TENANT_MIGRATING, changing nothing; other tenants write on; lifting re-enables writes', async () => {
    const [tenant, other, migration] = [randomUUID(), randomUUID(), randomUUID()];
    await withTenantWrite(pool, tenant, (c) => insertLayout(c, tenant, 'before'));
    await raiseWriteFence(pool, tenant, migration);

    let ran = false;
    const refused = await withTenantWrite(pool, tenant, async (c) => {
      ran = true;
      await insertLayout(c, tenant, 'after');
    }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TenantWriteFenced);
    expect(refused).toMatchObject({
      code: 'TENANT_MIGRATING',
      retryAfterSeconds: 60,
      migrationId: migration,
    });
    expect(ran).toBe(false);
    expect(await layoutNames(tenant)).toEqual(['before']);

    await withTenantWrite(pool, other, (c) => insertLayout(c, other, 'unaffected'));
    expect(await layoutNames(other)).toEqual(['unaffected']);

    // Only the named migration's fence is lifted.
    expect(await liftWriteFence(pool, tenant, randomUUID())).toBe(false);
    expect(await liftWriteFence(pool, tenant, migration)).toBe(true);
    await withTenantWrite(pool, tenant, (c) => insertLayout(c, tenant, 'after lift'));
    expect(await layoutNames(tenant)).toEqual(['after lift', 'before']);
  });

  it('is idempotent per migration, takes over a stale fence of another migration, and goes with the tenant’s rows', async () => {
    const [tenant, first, second] = [randomUUID(), randomUUID(), randomUUID()];
    await withTenantWrite(pool, tenant, (c) => insertLayout(c, tenant, 'x'));
    await raiseWriteFence(pool, tenant, first);
    await raiseWriteFence(pool, tenant, first);
    await raiseWriteFence(pool, tenant, second);
    expect((await listWriteFences(pool)).filter((f) => f.tenantId === tenant)).toEqual([
      expect.objectContaining({ tenantId: tenant, migrationId: second }),
    ]);
    await deleteTenantRows(pool, tenant);
    expect((await listWriteFences(pool)).filter((f) => f.tenantId === tenant)).toEqual([]);
  });

  it('enters a write in one round trip with BEGIN, and refuses one whose transactions default to another isolation', async () => {
    const tenant = randomUUID();
    const client = await pool.connect();
    const sent: unknown[] = [];
    const query = client.query.bind(client);
    // Every query this connection is given, as withTenantWrite gives them.
    client.query = ((...args: Parameters<typeof query>) => {
      sent.push(args[0]);
      return query(...args);
    }) as typeof client.query;
    // One connection for every transaction (released for good at the end).
    const release = client.release.bind(client);
    client.release = () => undefined;
    const onePool = { connect: async () => client } as unknown as pg.Pool;
    try {
      await withTenantWrite(onePool, tenant, (c) => insertLayout(c, tenant, 'one trip'));
      expect(sent).toHaveLength(3); // BEGIN + the fence's lock and read; the insert; COMMIT
      expect(String(sent[0])).toMatch(/^BEGIN; SELECT .*pg_advisory_xact_lock_shared.*; SELECT migration_id/);
      expect(await layoutNames(tenant)).toEqual(['one trip']);
      await client.query('SET default_transaction_isolation = "repeatable read"');
      await expect(
        withTenantWrite(onePool, tenant, (c) => insertLayout(c, tenant, 'refused')),
      ).rejects.toThrow(/READ COMMITTED/);
      expect(await layoutNames(tenant)).toEqual(['one trip']);
    } finally {
      client.query = query;
      await client.query('RESET default_transaction_isolation');
      release();
    }
  });

  it('holds one lock per tenant however a caller spells its id', async () => {
    const tenant = randomUUID();
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await enterTenantWrite(writer, tenant.toUpperCase());
      let fenced = false;
      const fencing = raiseWriteFence(pool, tenant, randomUUID()).then(() => {
        fenced = true;
      });
      await waitForQueuedLocks(1);
      expect(fenced).toBe(false);
      await writer.query('COMMIT');
      await fencing;
      await expect(withTenantWrite(pool, tenant.toUpperCase(), async () => undefined)).rejects.toBeInstanceOf(
        TenantWriteFenced,
      );
    } finally {
      writer.release();
    }
  });

  it('refuses a write transaction that is not READ COMMITTED (its snapshot would predate the fence)', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await expect(enterTenantWrite(client, randomUUID())).rejects.toThrow(/READ COMMITTED/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
