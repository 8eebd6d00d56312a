import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The two database kinds of the system, each with its own Prisma schema and migrations. */
export type SchemaKind = 'directory' | 'regional';

const migrationsDir = (kind: SchemaKind): string =>
  fileURLToPath(new URL(`../prisma/${kind}/migrations`, import.meta.url));

/** A migration found on disk. */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Reads the committed migrations of a schema in order (Prisma's folder layout). */
export async function readMigrations(kind: SchemaKind): Promise<MigrationFile[]> {
  const dir = migrationsDir(kind);
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

// Prisma's own bookkeeping table, created exactly as `prisma migrate deploy` creates it, so a
// database migrated here stays valid for `prisma migrate deploy` in production and vice versa.
const CREATE_PRISMA_MIGRATIONS = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Outcome of {@link migrateDatabase}. */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Thrown when an applied migration was edited after it ran (Prisma treats this as drift too). */
export class MigrationChecksumMismatch extends Error {
  constructor(readonly migrationName: string) {
    super(`migration ${migrationName} was changed after it was applied`);
    this.name = 'MigrationChecksumMismatch';
  }
}

/**
 * Applies the committed SQL migrations of `kind` that the database has not seen yet, each in its
 * own transaction, and records them in `_prisma_migrations`. An advisory lock serialises
 * concurrent runners (several services starting at once).
 */
export async function migrateDatabase(url: string, kind: SchemaKind): Promise<MigrateResult> {
  const migrations = await readMigrations(kind);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  try {
    // Same lock key Prisma uses for migrate (72707369), so the two never run at once.
    await client.query('SELECT pg_advisory_lock(72707369)');
    await client.query(CREATE_PRISMA_MIGRATIONS);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    for (const m of migrations) {
      const seen = done.get(m.name);
      if (seen !== undefined) {
        if (seen !== m.checksum) throw new MigrationChecksumMismatch(m.name);
        result.alreadyApplied.push(m.name);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      result.applied.push(m.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(72707369)').catch(() => undefined);
    await client.end();
  }
  return result;
}

/** Creates the database named in `url` if it does not exist (connects to the `postgres` db). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-zA-Z0-9_]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } catch (err) {
    // Another process created it between our check and create.
    if ((err as { code?: string }).code === '42P04') return false;
    throw err;
  } finally {
    await client.end();
  }
}

/** Drops a database (tests only). */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
