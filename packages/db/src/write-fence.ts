import type { Pool, PoolClient, QueryResult } from 'pg';
import { statement } from './statements.js';
import { WRITE_FENCE_TABLE, withTransaction } from './tenant-data.js';

/**
 * The write fence of a tenant in one regional database: while a migration copies the tenant's
 * data out of this region, no write of that data may commit here, and every write that committed
 * before the fence went up is visible to the copy.
 *
 * The router's freeze alone cannot promise that: it decides from a cached tenant record, so a
 * write that passed its check just before `/start` (the router not yet told, or the request
 * already at the service) could commit after the copy's snapshot — acknowledged to the client,
 * then lost with the source copy. The fence closes that gap in the database itself:
 *
 * - every writer of tenant data, first thing in its write transaction, takes the tenant's fence
 *   lock SHARED and then looks for a fence row ({@link enterTenantWrite}); writers never wait for
 *   each other;
 * - the fencing side takes the same lock EXCLUSIVE in the transaction that inserts the fence row
 *   ({@link raiseWriteFence}): it waits for every writer in flight to commit or roll back, and a
 *   writer that arrives meanwhile queues behind it and then finds the row.
 *
 * So once `raiseWriteFence` has returned, every write of the tenant that will ever commit here
 * has committed, and a snapshot taken from then on holds all of them.
 *
 * The check is a statement of its own after the lock: under READ COMMITTED each statement sees
 * what committed before it began, so it sees a fence committed while the writer waited for the
 * lock (a single statement would use a snapshot taken before the wait). Under REPEATABLE READ the
 * lock statement would fix the snapshot too early, so writers must run READ COMMITTED; anything
 * else is refused as a programming error.
 */

/** Seconds after which a refused writer may retry (the router's freeze says the same). */
export const MIGRATION_RETRY_AFTER_SECONDS = 60;

// The id through uuid's own text form: one lock per tenant however a caller spells its id (case).
const LOCK_KEY = `hashtextextended('rt.write-fence:' || $1::uuid::text, 0)`;

/** Every tenant write's two statements (named: they run on every write). */
const FENCE_LOCK = statement(
  'rt.write-fence.lock',
  `SELECT current_setting('transaction_isolation') AS isolation, pg_advisory_xact_lock_shared(${LOCK_KEY})`,
);
const FENCE_READ = statement(
  'rt.write-fence.read',
  `SELECT migration_id FROM ${WRITE_FENCE_TABLE} WHERE tenant_id = $1`,
);

/**
 * A write of a tenant whose writes are fenced in this region (a migration is copying its data
 * away). Mapped to 503 `TENANT_MIGRATING` with `Retry-After`, as the router answers a frozen
 * tenant's writes.
 */
export class TenantWriteFenced extends Error {
  readonly code = 'TENANT_MIGRATING';
  readonly retryAfterSeconds = MIGRATION_RETRY_AFTER_SECONDS;
  constructor(
    readonly tenantId: string,
    readonly migrationId: string,
  ) {
    super(`writes of tenant ${tenantId} are fenced by migration ${migrationId}`);
    this.name = 'TenantWriteFenced';
  }
}

/**
 * Enters a write of `tenantId` in the transaction open on `client`: takes the tenant's fence lock
 * shared (held until the transaction ends) and throws {@link TenantWriteFenced} when the tenant is
 * fenced. Call it before the transaction's first write of tenant data.
 */
export async function enterTenantWrite(client: PoolClient, tenantId: string): Promise<void> {
  const locked = await client.query<{ isolation: string }>({ ...FENCE_LOCK, values: [tenantId] });
  assertReadCommitted(locked.rows[0]?.isolation);
  const { rows } = await client.query<{ migration_id: string }>({ ...FENCE_READ, values: [tenantId] });
  if (rows[0]) throw new TenantWriteFenced(tenantId, rows[0].migration_id);
}

const assertReadCommitted = (isolation: string | undefined) => {
  // A later snapshot is needed than the one the lock statement fixed: see the module comment.
  if (isolation !== 'read committed')
    throw new Error(`a tenant write must run READ COMMITTED, not ${isolation}`);
};

/** A tenant id as the directory makes them (a uuid, lower or upper case): safe as a literal. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * BEGIN and {@link enterTenantWrite}'s two statements as one simple query: one round trip where
 * they took three (a write transaction is otherwise 3–6 statements and COMMIT, each a round trip
 * and a socket write on both sides). The statements of a simple query run one after the other,
 * and under READ COMMITTED each takes its own snapshot when it starts, as separate queries do, so
 * the fence read still sees a fence committed while the lock waited. The tenant id is a literal
 * (a simple query has no parameters): only a uuid, checked here, is ever spliced in.
 * https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT,
 * https://www.postgresql.org/docs/15/transaction-iso.html#XACT-READ-COMMITTED (the first test of
 * test/write-fence.test.ts holds a writer's lock behind a fence being raised, through this path).
 */
const beginTenantWrite = (tenantId: string) => async (client: PoolClient) => {
  if (!UUID.test(tenantId)) {
    // Another spelling (Postgres reads uuids in braces or without hyphens too): the
    // parameterised statements, three round trips, nothing spliced.
    await client.query('BEGIN');
    return enterTenantWrite(client, tenantId);
  }
  const id = `'${tenantId}'`;
  const results = (await client.query(
    `BEGIN; ${FENCE_LOCK.text.replaceAll('$1', id)}; ${FENCE_READ.text.replaceAll('$1', id)}`,
  )) as unknown as Array<QueryResult<{ isolation?: string; migration_id?: string }>>;
  assertReadCommitted(results[1]?.rows[0]?.isolation);
  const fence = results[2]?.rows[0]?.migration_id;
  if (fence) throw new TenantWriteFenced(tenantId, fence);
};

/**
 * Runs `work` as one write transaction of `tenantId` (`withTransaction`, READ COMMITTED) entered
 * through the fence: refused with {@link TenantWriteFenced} before `work` runs when the tenant is
 * fenced, committed otherwise before any fence can go up.
 */
export async function withTenantWrite<T>(
  pool: Pool,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, work, beginTenantWrite(tenantId));
}

/** A tenant's write fence in one region. */
export interface WriteFence {
  tenantId: string;
  migrationId: string;
  createdAt: Date;
}

/**
 * Fences the tenant's writes for `migrationId`; returns once every write in flight has ended, so
 * a snapshot taken afterwards holds every write that will ever commit here. Idempotent (a fence of
 * this migration already up returns at once); a fence left by another migration (one that ended
 * while this region did not hear of it) is taken over.
 */
export async function raiseWriteFence(pool: Pool, tenantId: string, migrationId: string): Promise<void> {
  const { rows } = await pool.query(
    `SELECT 1 FROM ${WRITE_FENCE_TABLE} WHERE tenant_id = $1 AND migration_id = $2`,
    [tenantId, migrationId],
  );
  if (rows.length > 0) return;
  await withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`, [tenantId]);
    await client.query(
      `INSERT INTO ${WRITE_FENCE_TABLE} (tenant_id, migration_id) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET migration_id = EXCLUDED.migration_id, created_at = now()
       WHERE ${WRITE_FENCE_TABLE}.migration_id <> EXCLUDED.migration_id`,
      [tenantId, migrationId],
    );
  });
}

/**
 * Lifts the tenant's fence (only the one of `migrationId` when given); true when one was lifted.
 * Writes are accepted again at once.
 */
export async function liftWriteFence(
  db: Pool | PoolClient,
  tenantId: string,
  migrationId?: string,
): Promise<boolean> {
  const res = await db.query(
    `DELETE FROM ${WRITE_FENCE_TABLE} WHERE tenant_id = $1 AND ($2::uuid IS NULL OR migration_id = $2::uuid)`,
    [tenantId, migrationId ?? null],
  );
  return (res.rowCount ?? 0) > 0;
}

/** The fences up in this region (few: one per tenant being copied away). */
export async function listWriteFences(db: Pool | PoolClient): Promise<WriteFence[]> {
  const { rows } = await db.query<{ tenant_id: string; migration_id: string; created_at: Date }>(
    `SELECT tenant_id, migration_id, created_at FROM ${WRITE_FENCE_TABLE} ORDER BY created_at`,
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, migrationId: r.migration_id, createdAt: r.created_at }));
}
