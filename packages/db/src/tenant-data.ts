import type { Pool, PoolClient } from 'pg';

/** A tenant-scoped table of the regional schema and its primary key. */
export interface TenantTable {
  name: string;
  pk: readonly string[];
}

/**
 * The catalog of a tenant's regional data: every table of the regional schema that holds tenant
 * rows (each has a `tenant_id` column), parents before children (foreign-key order). Migration
 * copy and verification, deletion, the operators' size report and asset collection all read this
 * one list; a test beside the schema-drift test fails when a table with a `tenant_id` column is
 * missing here or the order breaks a foreign key — a table left out would be silently skipped by
 * a migration (data left in the wrong region) or by a deletion (data kept past its promise).
 */
export const TENANT_TABLES: readonly TenantTable[] = [
  { name: 'tenant_settings', pk: ['tenant_id'] },
  { name: 'layouts', pk: ['id'] },
  { name: 'layout_revisions', pk: ['layout_id', 'version'] },
  { name: 'themes', pk: ['id'] },
  { name: 'theme_revisions', pk: ['theme_id', 'version'] },
  { name: 'space_themes', pk: ['tenant_id', 'space_key'] },
  { name: 'assets', pk: ['id'] },
  { name: 'asset_references', pk: ['document_type', 'document_id', 'asset_id'] },
];

/**
 * The one other regional table with a `tenant_id` column: a tenant's write fence (see
 * `write-fence.ts`). It is migration control, not the tenant's data, so it is not in
 * {@link TENANT_TABLES} — a copied fence would freeze the tenant in its new region — but it goes
 * with the tenant's rows when they are deleted (a region that holds none of its data has nothing
 * to fence).
 */
export const WRITE_FENCE_TABLE = 'tenant_write_fences';

/** Quotes an SQL identifier (table and column names come from the catalog, never from input). */
export const quoteIdent = (ident: string): string => `"${ident.replace(/"/g, '""')}"`;

/**
 * Runs `work` in one transaction on one connection of `pool`: COMMIT when it resolves, ROLLBACK
 * when it throws (the error passes through unchanged), the connection released either way.
 * `begin` opens the transaction (default: `BEGIN`); it may run more in the same round trip, and
 * what it throws rolls back like `work`.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  begin: (client: PoolClient) => Promise<unknown> = (client) => client.query('BEGIN'),
): Promise<T> {
  const client = await pool.connect();
  try {
    await begin(client);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Number of a tenant's rows per catalog table, in one round trip. */
export async function countTenantRows(
  db: Pool | PoolClient,
  tenantId: string,
): Promise<Record<string, number>> {
  const sql = TENANT_TABLES.map(
    (t) => `SELECT '${t.name}' AS t, count(*)::int AS n FROM ${quoteIdent(t.name)} WHERE tenant_id = $1`,
  ).join(' UNION ALL ');
  const { rows } = await db.query<{ t: string; n: number }>(sql, [tenantId]);
  const counts: Record<string, number> = {};
  for (const t of TENANT_TABLES) counts[t.name] = rows.find((r) => r.t === t.name)?.n ?? 0;
  return counts;
}

/** Whether any catalog table still holds a row of the tenant. */
export async function tenantHasRows(db: Pool | PoolClient, tenantId: string): Promise<boolean> {
  const sql = TENANT_TABLES.map(
    (t) => `EXISTS (SELECT 1 FROM ${quoteIdent(t.name)} WHERE tenant_id = $1)`,
  ).join(' OR ');
  const { rows } = await db.query<{ found: boolean }>(`SELECT (${sql}) AS found`, [tenantId]);
  return rows[0]?.found === true;
}

/** What {@link deleteTenantRows} removed. */
export interface RemovedRows {
  rows: number;
  tables: Record<string, number>;
}

/**
 * Deletes every row of the tenant in one regional database, children before parents, in one
 * transaction (all or nothing: a kill leaves nothing half-deleted and a retry runs it again),
 * and lifts the tenant's write fence there (not counted: it is not the tenant's data).
 * `beforeCommit` runs inside the transaction with the counts (e.g. to record a receipt).
 */
export async function deleteTenantRows(
  pool: Pool,
  tenantId: string,
  options: { beforeCommit?: (removed: RemovedRows) => Promise<void> } = {},
): Promise<RemovedRows> {
  return withTransaction(pool, async (client) => {
    const removed: RemovedRows = { rows: 0, tables: {} };
    for (const t of [...TENANT_TABLES].reverse()) {
      const res = await client.query(`DELETE FROM ${quoteIdent(t.name)} WHERE tenant_id = $1`, [tenantId]);
      removed.tables[t.name] = res.rowCount ?? 0;
      removed.rows += res.rowCount ?? 0;
    }
    await client.query(`DELETE FROM ${quoteIdent(WRITE_FENCE_TABLE)} WHERE tenant_id = $1`, [tenantId]);
    await options.beforeCommit?.(removed);
    return removed;
  });
}
