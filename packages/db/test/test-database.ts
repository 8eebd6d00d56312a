import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, migrateDatabase, type SchemaKind } from '../src/index.js';

// @rt/testing depends on this package, so the package's own tests create their databases here.
export async function freshDatabase(
  kind: SchemaKind,
  label: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const url = new URL(process.env.DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/rt_t_db_${label}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(url.toString());
  await migrateDatabase(url.toString(), kind);
  return { url: url.toString(), drop: () => dropDatabase(url.toString()) };
}
