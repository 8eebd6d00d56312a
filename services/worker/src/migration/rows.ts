import { type PgPool, quoteIdent, TENANT_TABLES, type TenantTable } from '@rt/db';

const q = quoteIdent;

/** Count and checksum of one table's rows of a tenant. */
export interface TableChecksum {
  count: number;
  sha256: string;
}

type Queryable = Pick<PgPool, 'query'>;

/**
 * Count and sha256 of the canonical text of a tenant's rows of every table (rows in primary-key
 * order, Postgres' own row text, time zone UTC so both sides render alike), computed by Postgres
 * inside the caller's transaction — on the source inside the export's snapshot, on the target
 * after the import — so verification never reads the rows a second time over the wire.
 */
async function checksumsOn(client: Queryable, tenantId: string): Promise<Record<string, TableChecksum>> {
  const sums: Record<string, TableChecksum> = {};
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
  return sums;
}

/** {@link checksumsOn} in a read-only transaction of its own. */
export async function checksumTenantRows(
  pool: PgPool,
  tenantId: string,
): Promise<Record<string, TableChecksum>> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    const sums = await checksumsOn(client, tenantId);
    await client.query('COMMIT');
    return sums;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TABLE_NAMES = new Set(TENANT_TABLES.map((t) => t.name));

/** The row key and row hash of a table, as both sides compute them in SQL. */
const keyExpr = (t: TenantTable, alias: string) =>
  `json_build_array(${t.pk.map((c) => `${alias}.${q(c)}`).join(', ')})::text`;
const hashExpr = (alias: string) => `md5(${alias}::text)`;

/** Per table: row key → md5 of the row's text, of one tenant in one region. */
export type RowHashes = Record<string, Record<string, string>>;

/**
 * The key and hash of every row of a tenant in this region (the target sends them to the
 * source, which answers only the rows that differ). Computed by Postgres; time zone UTC so both
 * sides render rows alike.
 */
export async function tenantRowHashes(pool: PgPool, tenantId: string): Promise<RowHashes> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    const hashes: RowHashes = {};
    for (const t of TENANT_TABLES) {
      const { rows } = await client.query<{ m: Record<string, string> | null }>(
        `SELECT json_object_agg(${keyExpr(t, 'x')}, ${hashExpr('x')}) AS m FROM ${q(t.name)} x WHERE x.tenant_id = $1`,
        [tenantId],
      );
      hashes[t.name] = rows[0]?.m ?? {};
    }
    await client.query('COMMIT');
    return hashes;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The export of a tenant's rows as a DELTA against what the target already holds (`target`,
 * from {@link tenantRowHashes}; empty = everything), NDJSON:
 * `{"@counts":{table:n}}` (the source's full counts), then `{"@deleted":{"table","keys"}}` for
 * rows the target has and the source no longer does (children first), `{"@changes":n}` (rows to
 * come), then per table (parents
 * first) `{"@table":"name"}` followed by one `row_to_json` line per new or changed row, and last
 * `{"@checksums":{table:{count,sha256}}}` of the source's full rows. Everything comes from ONE
 * repeatable-read snapshot, read through a cursor, so memory stays flat. Deletions are found by
 * key, changes by row hash — no change tracking in the schema, nothing a write could forget.
 */
export async function* exportTenantRowDelta(
  pool: PgPool,
  tenantId: string,
  target: RowHashes,
  batchRows = 5000,
): AsyncGenerator<string> {
  if (!UUID.test(tenantId)) throw new Error('tenant id is not a uuid');
  const client = await pool.connect();
  let open = false;
  try {
    // Not READ ONLY: the target's hashes go into a temporary table (dropped at commit).
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    open = true;
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    await client.query('CREATE TEMPORARY TABLE rt_target_rows (tbl text, k text, h text) ON COMMIT DROP');
    for (const t of TENANT_TABLES) {
      const given = target[t.name];
      if (!given || !Object.keys(given).length) continue;
      await client.query(
        'INSERT INTO rt_target_rows (tbl, k, h) SELECT $1, key, value FROM json_each_text($2::json)',
        [t.name, JSON.stringify(given)],
      );
    }
    await client.query('CREATE INDEX ON rt_target_rows (tbl, k)');
    // Temporary tables are never auto-analyzed: without statistics the planner picks nested loops.
    await client.query('ANALYZE rt_target_rows');
    const counts: Record<string, number> = {};
    for (const t of TENANT_TABLES) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${q(t.name)} WHERE tenant_id = $1`,
        [tenantId],
      );
      counts[t.name] = rows[0]?.n ?? 0;
    }
    yield `${JSON.stringify({ '@counts': counts })}\n`;
    for (const t of [...TENANT_TABLES].reverse()) {
      const { rows } = await client.query<{ keys: string[] | null }>(
        `SELECT array_agg(r.k) AS keys FROM rt_target_rows r
          WHERE r.tbl = $1 AND NOT EXISTS
            (SELECT 1 FROM ${q(t.name)} x WHERE x.tenant_id = $2 AND ${keyExpr(t, 'x')} = r.k)`,
        [t.name, tenantId],
      );
      const keys = rows[0]?.keys ?? [];
      if (keys.length) yield `${JSON.stringify({ '@deleted': { table: t.name, keys } })}\n`;
    }
    let changes = 0;
    for (const t of TENANT_TABLES) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${q(t.name)} x
           LEFT JOIN rt_target_rows r ON r.tbl = $2 AND r.k = ${keyExpr(t, 'x')}
          WHERE x.tenant_id = $1 AND (r.h IS NULL OR r.h <> ${hashExpr('x')})`,
        [tenantId, t.name],
      );
      changes += rows[0]?.n ?? 0;
    }
    yield `${JSON.stringify({ '@changes': changes })}\n`;
    for (const t of TENANT_TABLES) {
      yield `${JSON.stringify({ '@table': t.name })}\n`;
      if (!counts[t.name]) continue;
      // The tenant id is a checked uuid literal: DECLARE takes no bind parameters.
      await client.query(
        `DECLARE rt_export NO SCROLL CURSOR FOR
           SELECT row_to_json(x)::text AS j FROM ${q(t.name)} x
             LEFT JOIN rt_target_rows r ON r.tbl = '${t.name}' AND r.k = ${keyExpr(t, 'x')}
            WHERE x.tenant_id = '${tenantId}'::uuid AND (r.h IS NULL OR r.h <> ${hashExpr('x')})`,
      );
      for (;;) {
        const { rows } = await client.query<{ j: string }>(`FETCH ${batchRows} FROM rt_export`);
        if (rows.length) yield `${rows.map((r) => r.j).join('\n')}\n`;
        if (rows.length < batchRows) break;
      }
      await client.query('CLOSE rt_export');
    }
    yield `${JSON.stringify({ '@checksums': await checksumsOn(client, tenantId) })}\n`;
    await client.query('COMMIT');
    open = false;
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** What {@link applyTenantRowDelta} reports. */
export interface AppliedRows {
  /** Rows per table as the source counted them in its snapshot. */
  counts: Record<string, number>;
  /** The source's checksums (from the export's trailer), to compare with the target's. */
  sourceChecksums: Record<string, TableChecksum>;
  /** Rows written (new or changed) and deleted in the target. */
  upserted: number;
  deleted: number;
}

/** The export stream ended or broke before its trailer, or carried something it must not. */
export class ExportStreamInvalid extends Error {
  constructor(message: string) {
    super(`row export: ${message}`);
    this.name = 'ExportStreamInvalid';
  }
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
 * Applies a delta export ({@link exportTenantRowDelta}) to this region's copy in ONE
 * transaction: deleted rows go first (children first), then new and changed rows in bulk — a few
 * thousand per `INSERT … SELECT FROM json_populate_recordset … ON CONFLICT DO UPDATE`, parsed by
 * Postgres, COPY-class throughput without a driver extension. `replace` first deletes every row
 * of the tenant here (a fresh full copy). A stream that ends early, names an unknown table or
 * carries another tenant's row rolls everything back, so a retry starts clean.
 */
export async function applyTenantRowDelta(
  pool: PgPool,
  tenantId: string,
  lines: AsyncIterable<string>,
  options: { batchRows: number; replace?: boolean; onRows: (n: number, changes: number) => Promise<void> },
): Promise<AppliedRows> {
  const upsertSql = new Map<string, string>();
  for (const t of TENANT_TABLES) {
    const nonKey = (await columnsOf(pool, t.name)).filter((c) => !t.pk.includes(c));
    const set = nonKey.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ');
    upsertSql.set(
      t.name,
      `INSERT INTO ${q(t.name)} SELECT r.* FROM json_populate_recordset(NULL::${q(t.name)}, $1::json) r
        WHERE r.tenant_id = $2
       ON CONFLICT (${t.pk.map(q).join(', ')}) ${
         set ? `DO UPDATE SET ${set} WHERE ${q(t.name)}.tenant_id = EXCLUDED.tenant_id` : 'DO NOTHING'
       }`,
    );
  }
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('BEGIN');
    open = true;
    if (options.replace) {
      for (const t of [...TENANT_TABLES].reverse()) {
        await client.query(`DELETE FROM ${q(t.name)} WHERE tenant_id = $1`, [tenantId]);
      }
    }
    let counts: Record<string, number> | undefined;
    let table: TenantTable | undefined;
    let seenTables = 0;
    let batch: string[] = [];
    let upserted = 0;
    let deleted = 0;
    let changes = 0;
    let sourceChecksums: Record<string, TableChecksum> | undefined;
    const flush = async () => {
      if (!batch.length || !table) return;
      const n = batch.length;
      if (table.name === 'themes') {
        // One default theme per tenant (partial unique index): the changed themes drop their
        // flag first, so a default moving between two of them never collides mid-statement.
        await client.query(
          `UPDATE themes SET is_default = false WHERE tenant_id = $1 AND is_default
             AND id IN (SELECT r.id FROM json_populate_recordset(NULL::themes, $2::json) r)`,
          [tenantId, `[${batch.join(',')}]`],
        );
      }
      const r = await client.query(upsertSql.get(table.name) as string, [`[${batch.join(',')}]`, tenantId]);
      if (r.rowCount !== n) throw new ExportStreamInvalid(`${table.name}: a row of another tenant`);
      batch = [];
      upserted += n;
      await options.onRows(n, changes);
    };
    for await (const line of lines) {
      if (!line) continue;
      if (sourceChecksums) throw new ExportStreamInvalid('data after the trailer');
      if (line.startsWith('{"@')) {
        await flush();
        const control = JSON.parse(line) as Record<string, unknown>;
        if (control['@counts']) {
          counts = control['@counts'] as Record<string, number>;
        } else if (typeof control['@changes'] === 'number') {
          changes = control['@changes'];
        } else if (control['@deleted']) {
          const d = control['@deleted'] as { table: string; keys: string[] };
          const t = TENANT_TABLES.find((x) => x.name === d.table);
          if (!t || seenTables || !Array.isArray(d.keys))
            throw new ExportStreamInvalid('unexpected deletion');
          const r = await client.query(
            `DELETE FROM ${q(t.name)} x WHERE x.tenant_id = $1 AND ${keyExpr(t, 'x')} = ANY($2::text[])`,
            [tenantId, d.keys],
          );
          deleted += r.rowCount ?? 0;
        } else if (typeof control['@table'] === 'string') {
          const next = control['@table'];
          // Tables arrive in TENANT_TABLES order (parents first), and only those: the name
          // becomes an identifier in SQL.
          if (!TABLE_NAMES.has(next) || TENANT_TABLES[seenTables]?.name !== next)
            throw new ExportStreamInvalid(`unexpected table ${String(next).slice(0, 64)}`);
          table = TENANT_TABLES[seenTables];
          seenTables++;
        } else if (control['@checksums']) {
          sourceChecksums = control['@checksums'] as Record<string, TableChecksum>;
        } else throw new ExportStreamInvalid('unknown control line');
        continue;
      }
      if (!table) throw new ExportStreamInvalid('row before its table');
      batch.push(line);
      if (batch.length >= options.batchRows) await flush();
    }
    await flush();
    if (!counts || !sourceChecksums || seenTables !== TENANT_TABLES.length)
      throw new ExportStreamInvalid('the stream ended before its trailer');
    await client.query('COMMIT');
    open = false;
    return { counts, sourceChecksums, upserted, deleted };
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
