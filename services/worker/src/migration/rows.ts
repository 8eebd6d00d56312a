import { createHash } from 'node:crypto';
import { type PgPool, quoteIdent, TENANT_TABLES, type TenantTable } from '@rt/db';

const q = quoteIdent;

/**
 * Count and checksum of one table's rows of a tenant: `sha256` is the sha256 of the table's
 * order-independent digest (row count and the sums of the md5 of every row's text), so two
 * sides agree whatever order or bucketing they read the rows in.
 */
export interface TableChecksum {
  count: number;
  sha256: string;
}

type Queryable = Pick<PgPool, 'query'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TABLE_NAMES = new Set(TENANT_TABLES.map((t) => t.name));

/** The row key of a table, as both sides compute it in SQL. */
const keyExpr = (t: TenantTable, alias: string) =>
  `json_build_array(${t.pk.map((c) => `${alias}.${q(c)}`).join(', ')})::text`;

/** Most buckets per table a digest may have (a power of two; the request stays below ~3 MB). */
export const MAX_BUCKETS = 65_536;
const validBuckets = (n: unknown): n is number =>
  Number.isInteger(n) &&
  (n as number) >= 1 &&
  (n as number) <= MAX_BUCKETS &&
  ((n as number) & ((n as number) - 1)) === 0;

/**
 * The bucket of a row (0 … buckets-1) from the md5 of its key: a pure function of the key, so
 * both regions put a row in the same bucket. `buckets` is a checked power of two (inlined).
 */
const bucketExpr = (t: TenantTable, alias: string, buckets: number) =>
  buckets === 1 ? '0' : `((('x' || substr(md5(${keyExpr(t, alias)}), 1, 8))::bit(32)::int) & ${buckets - 1})`;

/**
 * How a row is hashed, the same on both sides. `record-mix@<major>`: Postgres' own
 * `hash_record_extended` of the row — each column's binary value through its type's hash
 * function, nothing rendered as text, about 2.5× faster than `text` on documents — mixed once
 * more by `hashint8extended`. The mix is what makes a SUM of row hashes a checksum:
 * `hash_record_extended` combines the columns linearly (`h = h * 31 + column hash`), so in a raw
 * sum a value that moves from one row to another (two themes trading the default flag, two
 * layouts trading names) cancels out and the bucket's digest and the table's checksum stay the
 * same; a non-linear hash of each row's hash does not cancel. The hash functions are those hash
 * partitioning relies on, but a region pair on different major versions falls back to `text`:
 * md5 of the row's text in time zone UTC, version-independent.
 */
export type DigestAlgorithm = `record-mix@${number}` | 'text';

const rowHashExpr = (algorithm: DigestAlgorithm, alias: string) =>
  algorithm === 'text'
    ? `('x' || substr(md5(${alias}::text), 1, 16))::bit(64)::bigint`
    : `hashint8extended(hash_record_extended(${alias}, 0), 0)`;

const majorCache = new WeakMap<PgPool, Promise<number>>();

/** This region's row-hash algorithm: `record-mix@<Postgres major version>`. */
export function localDigestAlgorithm(pool: PgPool): Promise<DigestAlgorithm> {
  let major = majorCache.get(pool);
  if (!major) {
    major = pool
      .query<{ v: number }>("SELECT current_setting('server_version_num')::int / 10000 AS v")
      .then((r) => r.rows[0]?.v ?? 0);
    majorCache.set(pool, major);
  }
  return major.then((v) => `record-mix@${v}` as const);
}

/**
 * Per table: how many buckets the rows were hashed into and, per non-empty bucket, its digest
 * `count:sum` — the row count and the sum (as a numeric, no overflow) of the rows' 64-bit
 * hashes. Order-independent, so each side's Postgres computes it in one pass without sorting,
 * and the sum over the buckets is the table's checksum.
 */
export interface TableDigests {
  buckets: number;
  digests: Record<string, string>;
}
export type RowDigests = Record<string, TableDigests>;

/** Buckets for a table of `count` rows: about 8 rows each, so a changed row moves few others. */
export const bucketsFor = (count: number): number =>
  Math.min(MAX_BUCKETS, Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(1, count / 8)))));

async function tableDigestsOn(
  client: Queryable,
  t: TenantTable,
  tenantId: string,
  buckets: number,
  algorithm: DigestAlgorithm,
): Promise<Record<string, string>> {
  const { rows } = await client.query<{ b: number; n: number; s: string }>(
    `SELECT ${bucketExpr(t, 'x', buckets)} AS b, count(*)::int AS n, sum(${rowHashExpr(algorithm, 'x')})::text AS s
       FROM ${q(t.name)} x WHERE x.tenant_id = $1 GROUP BY 1`,
    [tenantId],
  );
  return Object.fromEntries(rows.map((r) => [String(r.b), `${r.n}:${r.s}`]));
}

/** A table's checksum from its bucket digests (the sums do not depend on the bucketing). */
export function checksumOfDigests(digests: Record<string, string>): TableChecksum {
  let count = 0;
  let sum = 0n;
  for (const d of Object.values(digests)) {
    const [n, h] = d.split(':');
    count += Number(n);
    sum += BigInt(h as string);
  }
  const sha256 = createHash('sha256').update(`${count}:${sum}`).digest('hex');
  return { count, sha256 };
}

/**
 * Runs `work` on up to two connections (the machine's Postgres works on both tables at once),
 * each in a read-only transaction in time zone UTC; `snapshot` makes them all read one
 * exported snapshot (the source's), else each reads the latest committed rows (the target's
 * copy, which nothing else writes).
 */
async function onConnections(
  pool: PgPool,
  tables: readonly TenantTable[],
  work: (client: Queryable, t: TenantTable) => Promise<void>,
  snapshot?: string,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    if (next >= tables.length) return;
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (snapshot) await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, '')}'`);
      await client.query("SET LOCAL TIME ZONE 'UTC'");
      while (next < tables.length) await work(client, tables[next++] as TenantTable);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  // The largest tables first, so the two lanes finish together.
  await Promise.all([lane(), lane()]);
}

/**
 * The bucket digests of a tenant's rows of every table in this region, computed by Postgres.
 * `buckets` gives the bucketing per table (the source uses the target's); by default it follows
 * the table's size.
 */
export async function tenantRowDigests(
  pool: PgPool,
  tenantId: string,
  algorithm: DigestAlgorithm,
): Promise<RowDigests> {
  const { rows } = await pool.query<{ t: string; n: number }>(
    TENANT_TABLES.map(
      (t) => `SELECT '${t.name}' AS t, count(*)::int AS n FROM ${q(t.name)} WHERE tenant_id = $1`,
    ).join(' UNION ALL '),
    [tenantId],
  );
  const counts = new Map(rows.map((r) => [r.t, r.n]));
  const out: RowDigests = {};
  const bySize = [...TENANT_TABLES].sort((a, b) => (counts.get(b.name) ?? 0) - (counts.get(a.name) ?? 0));
  await onConnections(pool, bySize, async (client, t) => {
    const n = bucketsFor(counts.get(t.name) ?? 0);
    out[t.name] = { buckets: n, digests: await tableDigestsOn(client, t, tenantId, n, algorithm) };
  });
  return out;
}

/**
 * Count and checksum of a tenant's rows of the given tables (default all), computed by this
 * region's Postgres over the rows as committed: what verification compares with the source's.
 */
export async function checksumTenantRows(
  pool: PgPool,
  tenantId: string,
  algorithm: DigestAlgorithm,
  tables: readonly TenantTable[] = TENANT_TABLES,
): Promise<Record<string, TableChecksum>> {
  const sums: Record<string, TableChecksum> = {};
  await onConnections(pool, tables, async (client, t) => {
    sums[t.name] = checksumOfDigests(await tableDigestsOn(client, t, tenantId, 1, algorithm));
  });
  return sums;
}

/**
 * Why the target's digests (as sent over the wire) cannot be used, or undefined when they can:
 * known tables only, bucket counts powers of two (they are inlined into SQL).
 */
export function invalidDigests(target: RowDigests): string | undefined {
  for (const [name, d] of Object.entries(target)) {
    if (!TABLE_NAMES.has(name)) return `unknown table ${name.slice(0, 64)}`;
    if (!validBuckets(d?.buckets) || typeof d.digests !== 'object' || d.digests === null)
      return `bad digests of ${name}`;
  }
  return undefined;
}

/**
 * The export of a tenant's rows as a DELTA against what the target holds, by bucket: the target
 * sends its bucket digests ({@link tenantRowDigests}; `{}` = it holds nothing), the source
 * computes its own in ONE repeatable-read snapshot with the same bucketing, and only buckets
 * whose digests differ move. An unchanged tenant costs one digest pass on each side. NDJSON:
 * `{"@counts":{table:n}}` (the source's counts), then, children first, `{"@buckets":{table,
 * buckets, ids, keys}}` for mismatching buckets in which the target holds rows (the target
 * deletes its rows there whose key is not in `keys`), `{"@changes":n}` (rows to come), then per
 * table (parents first) `{"@table":"name"}` followed by one `row_to_json` line per row of the
 * mismatching buckets, and last `{"@checksums":{table:{count,sha256}}}` of the source's rows,
 * from the same digests. Rows are read through a cursor, so memory stays flat. No change
 * tracking in the schema: nothing a write could forget.
 */
export async function* exportTenantRowDelta(
  pool: PgPool,
  tenantId: string,
  target: RowDigests,
  algorithm: DigestAlgorithm,
  batchRows = 5000,
): AsyncGenerator<string> {
  if (!UUID.test(tenantId)) throw new Error('tenant id is not a uuid');
  const invalid = invalidDigests(target);
  if (invalid) throw new Error(`row digests: ${invalid}`);
  const held = target;
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    // The digests are computed on two connections reading this transaction's snapshot.
    const { rows: snap } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const ours: Record<string, Record<string, string>> = {};
    await onConnections(
      pool,
      TENANT_TABLES,
      async (c, t) => {
        ours[t.name] = await tableDigestsOn(c, t, tenantId, held[t.name]?.buckets ?? 1, algorithm);
      },
      snap[0]?.id,
    );
    const plan = TENANT_TABLES.map((t) => {
      const theirs = held[t.name] ?? { buckets: 1, digests: {} };
      const mine = ours[t.name] ?? {};
      const differ = [...new Set([...Object.keys(mine), ...Object.keys(theirs.digests)])]
        .filter((b) => mine[b] !== theirs.digests[b])
        .map(Number);
      const moving = differ.reduce((a, b) => a + Number(mine[String(b)]?.split(':')[0] ?? 0), 0);
      return {
        t,
        buckets: theirs.buckets,
        ours: mine,
        theirs: theirs.digests,
        differ,
        moving,
        sum: checksumOfDigests(mine),
      };
    });
    yield `${JSON.stringify({ '@counts': Object.fromEntries(plan.map((p) => [p.t.name, p.sum.count])) })}\n`;
    for (const p of [...plan].reverse()) {
      const ids = p.differ.filter((b) => p.theirs[String(b)] !== undefined);
      if (!ids.length) continue;
      const { rows } = await client.query<{ keys: string[] | null }>(
        `SELECT array_agg(${keyExpr(p.t, 'x')}) AS keys FROM ${q(p.t.name)} x
          WHERE x.tenant_id = $1 AND ${bucketExpr(p.t, 'x', p.buckets)} = ANY($2::int[])`,
        [tenantId, ids],
      );
      const keys = rows[0]?.keys ?? [];
      yield `${JSON.stringify({ '@buckets': { table: p.t.name, buckets: p.buckets, ids, keys } })}\n`;
    }
    yield `${JSON.stringify({ '@changes': plan.reduce((a, p) => a + p.moving, 0) })}\n`;
    for (const p of plan) {
      // `fresh`: the target holds no row of this table, so it inserts without conflict handling.
      const fresh = !Object.keys(p.theirs).length;
      yield `${JSON.stringify({ '@table': p.t.name, ...(fresh && p.moving ? { fresh } : {}) })}\n`;
      if (!p.moving) continue;
      const all = p.differ.length >= Object.keys(p.ours).length && !Object.keys(p.theirs).length;
      // The tenant id is a checked uuid literal and the buckets are integers: DECLARE takes no
      // bind parameters.
      await client.query(
        `DECLARE rt_export NO SCROLL CURSOR FOR
           SELECT row_to_json(x)::text AS j FROM ${q(p.t.name)} x
            WHERE x.tenant_id = '${tenantId}'::uuid${
              all
                ? ''
                : ` AND ${bucketExpr(p.t, 'x', p.buckets)} IN (${p.differ.map((b) => String(Math.trunc(b))).join(',')})`
            }`,
      );
      for (;;) {
        const { rows } = await client.query<{ j: string }>(`FETCH ${batchRows} FROM rt_export`);
        if (rows.length) yield `${rows.map((r) => r.j).join('\n')}\n`;
        if (rows.length < batchRows) break;
      }
      await client.query('CLOSE rt_export');
    }
    yield `${JSON.stringify({ '@checksums': Object.fromEntries(plan.map((p) => [p.t.name, p.sum])) })}\n`;
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
  /** Rows received (every row of a mismatching bucket). */
  received: number;
  /** Rows that were new or differed in the target, and rows deleted from it. */
  upserted: number;
  deleted: number;
  /** Tables whose rows were received or deleted (the others were not written). */
  touched: string[];
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
 * transaction: rows of mismatching buckets that the source no longer has go first (children
 * first), then the buckets' rows in bulk — a few thousand per `INSERT … SELECT FROM
 * json_populate_recordset … ON CONFLICT DO UPDATE`, parsed by Postgres, COPY-class throughput
 * without a driver extension; rows that are already equal are not rewritten. `replace` first
 * deletes every row of the tenant here (a fresh full copy). A stream that ends early, names an
 * unknown table or carries another tenant's row rolls everything back, so a retry starts clean.
 */
export async function applyTenantRowDelta(
  pool: PgPool,
  tenantId: string,
  lines: AsyncIterable<string>,
  options: { batchRows: number; replace?: boolean; onRows: (n: number, changes: number) => Promise<void> },
): Promise<AppliedRows> {
  const upsertSql = new Map<string, string>();
  const insertSql = new Map<string, string>();
  for (const t of TENANT_TABLES) {
    insertSql.set(
      t.name,
      `INSERT INTO ${q(t.name)} SELECT r.* FROM json_populate_recordset(NULL::${q(t.name)}, $1::json) r WHERE r.tenant_id = $2`,
    );
    const nonKey = (await columnsOf(pool, t.name)).filter((c) => !t.pk.includes(c));
    const set = nonKey.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ');
    upsertSql.set(
      t.name,
      `WITH src AS (SELECT * FROM json_populate_recordset(NULL::${q(t.name)}, $1::json)),
            w AS (INSERT INTO ${q(t.name)} SELECT * FROM src WHERE tenant_id = $2
                  ON CONFLICT (${t.pk.map(q).join(', ')}) ${
                    set
                      ? `DO UPDATE SET ${set} WHERE ${q(t.name)}.tenant_id = EXCLUDED.tenant_id
                           AND (${q(t.name)}.*) IS DISTINCT FROM (EXCLUDED.*)`
                      : 'DO NOTHING'
                  } RETURNING ${keyExpr(t, q(t.name))} AS k)
       SELECT (SELECT count(*) FROM src WHERE tenant_id IS DISTINCT FROM $2)::int AS foreign,
              (SELECT coalesce(array_agg(k), '{}') FROM w) AS written`,
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
    let fresh = false;
    let seenTables = 0;
    let batch: string[] = [];
    let received = 0;
    let upserted = 0;
    let deleted = 0;
    let changes = 0;
    let sourceChecksums: Record<string, TableChecksum> | undefined;
    const touched = new Set<string>();
    const flush = async () => {
      if (!batch.length || !table) return;
      const n = batch.length;
      const json = `[${batch.join(',')}]`;
      if (fresh) {
        // A table the target held nothing of: a plain bulk insert (a row that exists after all
        // collides, and the copy starts over in full).
        const r = await client.query(insertSql.get(table.name) as string, [json, tenantId]);
        if (r.rowCount !== n) throw new ExportStreamInvalid(`${table.name}: a row of another tenant`);
        batch = [];
        touched.add(table.name);
        received += n;
        upserted += n;
        await options.onRows(n, changes);
        return;
      }
      let cleared: string[] = [];
      if (table.name === 'themes') {
        // One default theme per tenant (partial unique index): the themes that arrive without
        // the flag drop it first, so a default moving between two of them never collides
        // mid-statement.
        const r = await client.query<{ k: string }>(
          `UPDATE themes SET is_default = false WHERE tenant_id = $1 AND is_default
             AND id IN (SELECT r.id FROM json_populate_recordset(NULL::themes, $2::json) r WHERE NOT r.is_default)
           RETURNING json_build_array(id)::text AS k`,
          [tenantId, json],
        );
        cleared = r.rows.map((x) => x.k);
      }
      const { rows } = await client.query<{ foreign: number; written: string[] }>(
        upsertSql.get(table.name) as string,
        [json, tenantId],
      );
      if (rows[0]?.foreign) throw new ExportStreamInvalid(`${table.name}: a row of another tenant`);
      batch = [];
      touched.add(table.name);
      received += n;
      // A theme that only lost its default flag was changed by the UPDATE, not the upsert.
      upserted += new Set([...cleared, ...(rows[0]?.written ?? [])]).size;
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
        } else if (control['@buckets']) {
          const d = control['@buckets'] as { table: string; buckets: number; ids: number[]; keys: string[] };
          const t = TENANT_TABLES.find((x) => x.name === d.table);
          if (
            !t ||
            seenTables ||
            !validBuckets(d.buckets) ||
            !Array.isArray(d.ids) ||
            !d.ids.every((b) => Number.isInteger(b)) ||
            !Array.isArray(d.keys)
          )
            throw new ExportStreamInvalid('unexpected bucket list');
          const r = await client.query(
            `DELETE FROM ${q(t.name)} x WHERE x.tenant_id = $1 AND ${bucketExpr(t, 'x', d.buckets)} = ANY($2::int[])
                AND NOT (${keyExpr(t, 'x')} = ANY($3::text[]))`,
            [tenantId, d.ids, d.keys],
          );
          deleted += r.rowCount ?? 0;
          touched.add(t.name);
        } else if (typeof control['@table'] === 'string') {
          const next = control['@table'];
          // Tables arrive in TENANT_TABLES order (parents first), and only those: the name
          // becomes an identifier in SQL.
          if (!TABLE_NAMES.has(next) || TENANT_TABLES[seenTables]?.name !== next)
            throw new ExportStreamInvalid(`unexpected table ${String(next).slice(0, 64)}`);
          table = TENANT_TABLES[seenTables];
          fresh = control.fresh === true;
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
    return { counts, sourceChecksums, received, upserted, deleted, touched: [...touched] };
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
