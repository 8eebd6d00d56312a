import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countTenantRows,
  createPgPool,
  deleteTenantRows,
  TENANT_TABLES,
  tenantHasRows,
  WRITE_FENCE_TABLE,
  withTransaction,
} from '../src/index.js';
import { freshDatabase } from './test-database.js';

/**
 * The tenant data catalog must name every regional table that holds tenant rows, parents before
 * children: migration, deletion and the size report copy, verify and delete exactly these.
 */
let db: { url: string; drop(): Promise<void> };
let pool: pg.Pool;

beforeAll(async () => {
  db = await freshDatabase('regional', 'catalog');
  pool = createPgPool({ url: db.url, poolSize: 2 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('tenant data catalog', () => {
  it('lists every table with a tenant_id column of the migrated regional schema (the write fence apart)', async () => {
    const { rows } = await pool.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'`,
    );
    expect([...TENANT_TABLES.map((t) => t.name), WRITE_FENCE_TABLE].sort()).toEqual(
      rows.map((r) => r.table_name).sort(),
    );
  });

  it('orders parents before children and names each table’s real primary key', async () => {
    const { rows: edges } = await pool.query<{ child: string; parent: string }>(
      `SELECT cc.relname AS child, pc.relname AS parent FROM pg_constraint k
         JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_class pc ON pc.oid = k.confrelid
        WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`,
    );
    const position = (name: string) => TENANT_TABLES.findIndex((t) => t.name === name);
    for (const e of edges.filter((e) => e.child !== e.parent && position(e.parent) >= 0))
      expect(position(e.parent), `${e.parent} before ${e.child}`).toBeLessThan(position(e.child));

    const { rows: keys } = await pool.query<{ table_name: string; columns: string[] }>(
      `SELECT c.relname AS table_name, array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_constraint p JOIN pg_class c ON c.oid = p.conrelid
         CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE p.contype = 'p' AND p.connamespace = current_schema()::regnamespace
        GROUP BY c.relname`,
    );
    for (const t of TENANT_TABLES)
      expect([...t.pk], t.name).toEqual(keys.find((k) => k.table_name === t.name)?.columns);
  });

  it('counts, detects and deletes one tenant’s rows without touching another’s', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    for (const tenant of [a, b])
      await pool.query(
        `INSERT INTO layouts (id, tenant_id, name, scope, schema_version, content, version, updated_at)
         VALUES ($1, $2, 'x', 'site', 1, '{}', 1, now())`,
        [randomUUID(), tenant],
      );
    expect((await countTenantRows(pool, a)).layouts).toBe(1);
    expect(await tenantHasRows(pool, a)).toBe(true);

    // A failing beforeCommit rolls the whole deletion back.
    await expect(
      deleteTenantRows(pool, a, {
        beforeCommit: async () => {
          throw new Error('crash before commit');
        },
      }),
    ).rejects.toThrow('crash before commit');
    expect(await tenantHasRows(pool, a)).toBe(true);

    const removed = await deleteTenantRows(pool, a);
    expect(removed).toMatchObject({ rows: 1, tables: { layouts: 1 } });
    expect(await tenantHasRows(pool, a)).toBe(false);
    expect((await countTenantRows(pool, b)).layouts).toBe(1);
    await withTransaction(pool, (c) => c.query('DELETE FROM layouts WHERE tenant_id = $1', [b]));
    expect(await tenantHasRows(pool, b)).toBe(false);
  });
});
