import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, migrateDatabase, type SchemaKind } from '@rt/db';

/** Admin connection of the local Postgres (trust auth). Override with DATABASE_ADMIN_URL. */
export const adminDatabaseUrl = (): string =>
  process.env.DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A database created for one test file. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, migrated database for one test file (create + migrate), dropped by `drop()`.
 * Names are random so test files can run in parallel against the same server.
 */
export async function createTestDatabase(kind: SchemaKind, label = 'test'): Promise<TestDatabase> {
  const name =
    `rt_t_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${kind.slice(0, 3)}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  await ensureDatabase(dbUrl);
  await migrateDatabase(dbUrl, kind);
  return { url: dbUrl, drop: () => dropDatabase(dbUrl) };
}
