import { ensureDatabase, migrateDatabase, type SchemaKind } from './migrate.js';

/**
 * `node packages/db/dist/cli.js migrate <directory|regional> [--create]` — applies the committed
 * migrations to the database in DATABASE_URL. Used by docker-compose and as a one-off task in
 * production (equivalent to `prisma migrate deploy`, which works too: same bookkeeping table).
 */
const [command, kind, ...flags] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (command !== 'migrate' || (kind !== 'directory' && kind !== 'regional') || !url) {
  process.stderr.write('usage: DATABASE_URL=… cli migrate <directory|regional> [--create]\n');
  process.exit(64);
}
try {
  if (flags.includes('--create') && (await ensureDatabase(url))) process.stdout.write('database created\n');
  const { applied, alreadyApplied } = await migrateDatabase(url, kind as SchemaKind);
  process.stdout.write(
    `${kind}: ${applied.length} applied (${applied.join(', ') || '-'}), ${alreadyApplied.length} already applied\n`,
  );
} catch (err) {
  process.stderr.write(`migration failed: ${(err as Error).message}\n`);
  process.exit(1);
}
