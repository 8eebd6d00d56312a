import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaKind } from '../src/index.js';
import { freshDatabase } from './test-database.js';

/**
 * The committed SQL migrations and the Prisma schemas must describe the same database.
 * `prisma migrate diff` needs the schema engine binary, which cannot be fetched here, so this
 * test migrates a fresh database with the committed SQL and compares what Postgres reports
 * (tables, columns, types, nullability, defaults, enums, indexes, foreign keys) with the DMMF
 * Prisma derives from the schema. Any edit to one side without the other fails here.
 */

interface DmmfField {
  name: string;
  dbName?: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isRequired: boolean;
  isList: boolean;
  hasDefaultValue: boolean;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; values: { name: string }[] }[];
    indexes: { model: string; type: 'id' | 'unique' | 'normal' | 'fulltext'; fields: { name: string }[] }[];
  };
}

const loadDmmf = (kind: SchemaKind): Dmmf => {
  const path = fileURLToPath(new URL(`../prisma/${kind}/schema.prisma`, import.meta.url));
  return JSON.parse(
    get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', readFileSync(path, 'utf8')]] })),
  );
};

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
  Float: 'double precision',
};
const NATIVE_TYPES: Record<string, string> = {
  Uuid: 'uuid',
  Timestamptz: 'timestamp with time zone',
  Text: 'text',
};

const expectedType = (f: DmmfField): string => {
  if (f.kind === 'enum') return `"${f.type}"`;
  if (f.nativeType) {
    const [name, args] = f.nativeType;
    const base = NATIVE_TYPES[name] ?? name.toLowerCase();
    return name === 'Timestamptz' ? `timestamp(${args[0] ?? 3}) with time zone` : base;
  }
  return SCALAR_TYPES[f.type] ?? f.type;
};

// Columns that look personal are forbidden by the product's promise; none exist today.
const PERSONAL = /(account|email|e_mail|user_?name|display_name|full_name|ip_?addr|remote_addr|phone)/i;

for (const kind of ['directory', 'regional'] as const) {
  describe(`${kind} schema vs committed migrations`, () => {
    let database: Awaited<ReturnType<typeof freshDatabase>>;
    let client: pg.Client;
    const dmmf = loadDmmf(kind);
    const models = dmmf.datamodel.models;
    const table = (m: DmmfModel) => m.dbName ?? m.name;
    const column = (f: DmmfField) => f.dbName ?? f.name;
    const fieldOf = (m: DmmfModel, name: string) => m.fields.find((f) => f.name === name)!;

    beforeAll(async () => {
      database = await freshDatabase(kind, 'drift');
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
    });
    afterAll(async () => {
      await client?.end();
      await database?.drop();
    });

    it('has exactly the tables of the schema', async () => {
      const { rows } = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_name <> '_prisma_migrations'`,
      );
      expect(rows.map((r) => r.table_name).sort()).toEqual(models.map(table).sort());
    });

    it('has the columns, types, nullability and defaults of the schema', async () => {
      for (const m of models) {
        const { rows } = await client.query<{
          name: string;
          type: string;
          not_null: boolean;
          has_default: boolean;
        }>(
          `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                  a.atthasdef AS has_default
             FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
          [`"${table(m)}"`],
        );
        const actual = Object.fromEntries(rows.map((r) => [r.name, r]));
        const scalars = m.fields.filter((f) => f.kind !== 'object');
        expect(Object.keys(actual).sort(), `columns of ${table(m)}`).toEqual(scalars.map(column).sort());
        for (const f of scalars) {
          const col = actual[column(f)]!;
          expect(
            { type: col.type, notNull: col.not_null, default: col.has_default },
            `${table(m)}.${column(f)}`,
          ).toEqual({
            type: expectedType(f),
            notNull: f.isRequired,
            default: f.hasDefaultValue,
          });
        }
      }
    });

    it('has the enums of the schema', async () => {
      const { rows } = await client.query<{ name: string; values: string[] }>(
        `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
      );
      const actual = Object.fromEntries(rows.map((r) => [r.name, r.values]));
      const expected = Object.fromEntries(
        dmmf.datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)]),
      );
      expect(actual).toEqual(expected);
    });

    it('has every primary key, unique and index of the schema', async () => {
      const { rows } = await client.query<{
        table: string;
        columns: string[];
        unique: boolean;
        primary: boolean;
        partial: boolean;
      }>(
        `SELECT c.relname AS table, i.indisunique AS unique, i.indisprimary AS primary, i.indpred IS NOT NULL AS partial,
                array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns
           FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace s ON s.oid = c.relnamespace
          WHERE s.nspname = 'public' AND c.relname <> '_prisma_migrations'`,
      );
      const key = (t: string, cols: string[], kindOf: string) => `${t}(${cols.join(',')}):${kindOf}`;
      const actual = new Set(
        rows
          .filter((r) => !r.partial)
          .map((r) => key(r.table, r.columns, r.primary ? 'id' : r.unique ? 'unique' : 'normal')),
      );
      const expected = new Set(
        dmmf.datamodel.indexes.map((ix) => {
          const m = models.find((x) => x.name === ix.model)!;
          return key(
            table(m),
            ix.fields.map((f) => column(fieldOf(m, f.name))),
            ix.type,
          );
        }),
      );
      expect([...actual].sort()).toEqual([...expected].sort());
    });

    it('has every foreign key of the schema', async () => {
      const { rows } = await client.query<{
        table: string;
        columns: string[];
        ref: string;
        on_delete: string;
      }>(
        `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS ref, c.confdeltype AS on_delete,
                array(SELECT a.attname FROM unnest(c.conkey) k(n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)::text[] AS columns
           FROM pg_constraint c WHERE c.contype = 'f'`,
      );
      const deleteCode: Record<string, string> = { Cascade: 'c', Restrict: 'r', SetNull: 'n', NoAction: 'a' };
      const actual = rows
        .map(
          (r) =>
            `${r.table.replace(/"/g, '')}(${r.columns.join(',')})->${r.ref.replace(/"/g, '')}:${r.on_delete}`,
        )
        .sort();
      const expected = models
        .flatMap((m) =>
          m.fields
            .filter((f) => f.kind === 'object' && f.relationFromFields?.length)
            .map((f) => {
              const target = models.find((x) => x.name === f.type)!;
              const cols = f.relationFromFields!.map((n) => column(fieldOf(m, n)));
              return `${table(m)}(${cols.join(',')})->${table(target)}:${deleteCode[f.relationOnDelete ?? 'NoAction']}`;
            }),
        )
        .sort();
      expect(actual).toEqual(expected);
    });

    it('stores no personal data columns', () => {
      const personal = models.flatMap((m) =>
        m.fields
          .filter((f) => f.kind !== 'object' && PERSONAL.test(column(f)))
          .map((f) => `${table(m)}.${column(f)}`),
      );
      expect(personal).toEqual([]);
    });
  });
}
