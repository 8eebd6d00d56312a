import type { PgPool } from '@rt/db';

/** A tenant-scoped table of the regional schema and its primary key. */
export interface TenantTable {
  name: string;
  pk: readonly string[];
}

/**
 * Every tenant-scoped regional table, parents before children (foreign keys): rows are
 * upserted in this order and deleted in the reverse one.
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

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
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

/**
 * The export stream of a tenant's rows (NDJSON), as the source region serves it to the target:
 * `{"@counts":{table:n}}`, then per table (parents first) `{"@table":"name"}` followed by one
 * `row_to_json` line per row, and last `{"@checksums":{table:{count,sha256}}}`. Everything is
 * read in ONE repeatable-read snapshot (the tenant is frozen anyway), through a cursor, so memory
 * stays flat and the checksums describe exactly the rows that were sent. Rows are rendered by
 * Postgres and parsed back by Postgres on the target: no per-row work in JavaScript.
 */
export async function* exportTenantRows(
  pool: PgPool,
  tenantId: string,
  batchRows = 5000,
): AsyncGenerator<string> {
  if (!UUID.test(tenantId)) throw new Error('tenant id is not a uuid');
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    const counts: Record<string, number> = {};
    for (const t of TENANT_TABLES) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${q(t.name)} WHERE tenant_id = $1`,
        [tenantId],
      );
      counts[t.name] = rows[0]?.n ?? 0;
    }
    yield `${JSON.stringify({ '@counts': counts })}\n`;
    for (const t of TENANT_TABLES) {
      yield `${JSON.stringify({ '@table': t.name })}\n`;
      if (!counts[t.name]) continue;
      // The tenant id is a checked uuid literal: DECLARE takes no bind parameters.
      await client.query(
        `DECLARE rt_export NO SCROLL CURSOR FOR
           SELECT row_to_json(x)::text AS j FROM ${q(t.name)} x WHERE x.tenant_id = '${tenantId}'::uuid`,
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

/** What {@link importTenantRows} reports. */
export interface ImportedRows {
  /** Rows per table as the source counted them in its snapshot. */
  counts: Record<string, number>;
  /** The source's checksums (from the export's trailer), to compare with the target's. */
  sourceChecksums: Record<string, TableChecksum>;
  rows: number;
}

/** The export stream ended or broke before its trailer, or carried something it must not. */
export class ExportStreamInvalid extends Error {
  constructor(message: string) {
    super(`row export: ${message}`);
    this.name = 'ExportStreamInvalid';
  }
}

/**
 * Imports an export stream ({@link exportTenantRows}) into this region's database in ONE
 * transaction: the tenant's previous target rows (an earlier attempt) are deleted, then rows go
 * in bulk — a few thousand per `INSERT … SELECT FROM json_populate_recordset`, COPY-class
 * throughput without a driver extension. A stream that ends early, names an unknown table or
 * carries another tenant's row rolls everything back, so a retry starts clean.
 */
export async function importTenantRows(
  pool: PgPool,
  tenantId: string,
  lines: AsyncIterable<string>,
  options: { batchRows: number; onRows: (n: number, total: number) => Promise<void> },
): Promise<ImportedRows> {
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('BEGIN');
    open = true;
    for (const t of [...TENANT_TABLES].reverse()) {
      await client.query(`DELETE FROM ${q(t.name)} WHERE tenant_id = $1`, [tenantId]);
    }
    let counts: Record<string, number> | undefined;
    let total = 0;
    let table: string | undefined;
    let seenTables = 0;
    let batch: string[] = [];
    let rows = 0;
    let sourceChecksums: Record<string, TableChecksum> | undefined;
    const flush = async () => {
      if (!batch.length || !table) return;
      const n = batch.length;
      const r = await client.query(
        `INSERT INTO ${q(table)} SELECT r.* FROM json_populate_recordset(NULL::${q(table)}, $1::json) r
          WHERE r.tenant_id = $2`,
        [`[${batch.join(',')}]`, tenantId],
      );
      if (r.rowCount !== n) throw new ExportStreamInvalid(`${table}: a row of another tenant`);
      batch = [];
      rows += n;
      await options.onRows(n, total);
    };
    for await (const line of lines) {
      if (!line) continue;
      if (sourceChecksums) throw new ExportStreamInvalid('data after the trailer');
      if (line.startsWith('{"@')) {
        await flush();
        const control = JSON.parse(line) as Record<string, unknown>;
        if (control['@counts']) {
          counts = control['@counts'] as Record<string, number>;
          total = Object.values(counts).reduce((a, b) => a + b, 0);
        } else if (typeof control['@table'] === 'string') {
          const next = control['@table'];
          // Tables arrive in TENANT_TABLES order (parents first), and only those: the name
          // becomes an identifier in SQL.
          if (!TABLE_NAMES.has(next) || TENANT_TABLES[seenTables]?.name !== next)
            throw new ExportStreamInvalid(`unexpected table ${String(next).slice(0, 64)}`);
          seenTables++;
          table = next;
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
    if (rows !== total) throw new ExportStreamInvalid(`${rows} rows received, ${total} announced`);
    await client.query('COMMIT');
    open = false;
    return { counts, sourceChecksums, rows };
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** Deletes every row of a tenant in one region (children first), in one transaction. */
export async function deleteTenantRows(pool: PgPool, tenantId: string): Promise<Record<string, number>> {
  const client = await pool.connect();
  const deleted: Record<string, number> = {};
  try {
    await client.query('BEGIN');
    for (const t of [...TENANT_TABLES].reverse()) {
      const r = await client.query(`DELETE FROM ${q(t.name)} WHERE tenant_id = $1`, [tenantId]);
      deleted[t.name] = r.rowCount ?? 0;
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  return deleted;
}
