import { type PgPool, quoteIdent, TENANT_TABLES, type TenantTable } from '@rt/db';

const q = quoteIdent;
const pkList = (t: TenantTable) => t.pk.map(q).join(', ');

/** Count and checksum of one table's rows of a tenant. */
export interface TableChecksum {
  count: number;
  sha256: string;
}

const columnCache = new WeakMap<PgPool, Map<string, string[]>>();

async function columnsOf(pool: PgPool, table: string): Promise<string[]> {
  let byTable = columnCache.get(pool);
  if (!byTable) {
    byTable = new Map();
    columnCache.set(pool, byTable);
  }
  const cached = byTable.get(table);
  if (cached) return cached;
  const { rows } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  const columns = rows.map((r) => r.column_name);
  byTable.set(table, columns);
  return columns;
}

/**
 * Makes the target's copy of a tenant's table equal to the source's: rows missing from the
 * source are deleted first (leftovers of an earlier attempt), then the source rows are
 * upserted in batches (`INSERT … ON CONFLICT DO UPDATE`), so a re-run after a crash neither
 * duplicates nor loses a row. Batches travel as one JSON document per query
 * (`json_populate_recordset`), which keeps the copy generic and fast. Children must be pruned
 * before parents and parents upserted before children: see {@link copyTenantRows}.
 */
async function upsertTable(
  source: PgPool,
  target: PgPool,
  tenantId: string,
  t: TenantTable,
  batchSize: number,
  onRows: (n: number) => Promise<void>,
  shouldStop: () => Promise<boolean>,
): Promise<void> {
  const columns = await columnsOf(target, t.name);
  const nonKey = columns.filter((c) => !t.pk.includes(c));
  const onConflict = nonKey.length
    ? `DO UPDATE SET ${nonKey.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')}
       WHERE ${q(t.name)}.tenant_id = EXCLUDED.tenant_id`
    : 'DO NOTHING';
  if (t.name === 'themes') {
    // One default theme per tenant (partial unique index): clear stale defaults in the target
    // copy before the source's default arrives. The target copy is not live.
    await target.query('UPDATE themes SET is_default = false WHERE tenant_id = $1 AND is_default', [
      tenantId,
    ]);
  }
  for (let offset = 0; ; offset += batchSize) {
    const { rows } = await source.query<{ batch: string; n: number }>(
      `SELECT coalesce(json_agg(x ORDER BY ${pkList(t)}), '[]')::text AS batch, count(*)::int AS n
         FROM (SELECT * FROM ${q(t.name)} WHERE tenant_id = $1 ORDER BY ${pkList(t)} LIMIT $2 OFFSET $3) x`,
      [tenantId, batchSize, offset],
    );
    const n = rows[0]?.n ?? 0;
    if (n === 0) break;
    await target.query(
      `INSERT INTO ${q(t.name)} SELECT * FROM json_populate_recordset(NULL::${q(t.name)}, $1::json)
         ON CONFLICT (${pkList(t)}) ${onConflict}`,
      [rows[0]?.batch],
    );
    await onRows(n);
    if (n < batchSize || (await shouldStop())) break;
  }
}

async function pruneTable(source: PgPool, target: PgPool, tenantId: string, t: TenantTable): Promise<number> {
  const { rows } = await source.query<{ keys: string }>(
    `SELECT coalesce(json_agg(json_build_object(${t.pk.map((c) => `'${c}', ${q(c)}`).join(', ')})), '[]')::text AS keys
       FROM ${q(t.name)} WHERE tenant_id = $1`,
    [tenantId],
  );
  const result = await target.query(
    `DELETE FROM ${q(t.name)} WHERE tenant_id = $1 AND (${pkList(t)}) NOT IN
       (SELECT ${pkList(t)} FROM json_populate_recordset(NULL::${q(t.name)}, $2::json))`,
    [tenantId, rows[0]?.keys ?? '[]'],
  );
  return result.rowCount ?? 0;
}

/** Copies every tenant-scoped table from source to target (see {@link upsertTable}). */
export async function copyTenantRows(
  source: PgPool,
  target: PgPool,
  tenantId: string,
  options: { batchSize: number; onRows: (n: number) => Promise<void>; shouldStop: () => Promise<boolean> },
): Promise<{ pruned: number }> {
  let pruned = 0;
  for (const t of [...TENANT_TABLES].reverse()) pruned += await pruneTable(source, target, tenantId, t);
  for (const t of TENANT_TABLES) {
    await upsertTable(source, target, tenantId, t, options.batchSize, options.onRows, options.shouldStop);
    if (await options.shouldStop()) break;
  }
  return { pruned };
}

/**
 * Count and sha256 of the canonical text of a tenant's rows of every table (rows in primary-key
 * order, Postgres' own row text, time zone fixed to UTC so both sides render alike).
 */
export async function checksumTenantRows(
  pool: PgPool,
  tenantId: string,
): Promise<Record<string, TableChecksum>> {
  const client = await pool.connect();
  const sums: Record<string, TableChecksum> = {};
  try {
    await client.query('BEGIN READ ONLY');
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    for (const t of TENANT_TABLES) {
      const order = t.pk.map((c) => `x.${q(c)}`).join(', ');
      const { rows } = await client.query<{ n: number; sum: string }>(
        `SELECT count(*)::int AS n,
                encode(sha256(convert_to(coalesce(string_agg(x::text, E'\\n' ORDER BY ${order}), ''), 'UTF8')), 'hex') AS sum
           FROM ${q(t.name)} x WHERE x.tenant_id = $1`,
        [tenantId],
      );
      sums[t.name] = { count: rows[0]?.n ?? 0, sha256: rows[0]?.sum ?? '' };
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  return sums;
}
