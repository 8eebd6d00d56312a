import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationChecksumMismatch, migrateDatabase, readMigrations } from '../src/index.js';
import { freshDatabase } from './test-database.js';

describe('migration runner', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    database = await freshDatabase('regional', 'runner');
  });
  afterAll(async () => database?.drop());

  it('records every migration in _prisma_migrations with Prisma-compatible checksums', async () => {
    const files = await readMigrations('regional');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    await client.end();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, f] of files.entries()) {
      expect(rows[i].checksum).toBe(createHash('sha256').update(f.sql).digest('hex'));
      expect(rows[i].finished_at).toBeInstanceOf(Date);
      expect(rows[i].applied_steps_count).toBe(1);
    }
  });

  it('is idempotent and safe to run concurrently', async () => {
    const results = await Promise.all([
      migrateDatabase(database.url, 'regional'),
      migrateDatabase(database.url, 'regional'),
    ]);
    for (const r of results) expect(r.applied).toEqual([]);
  });

  it('refuses to continue when an applied migration was edited', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
    await client.end();
    await expect(migrateDatabase(database.url, 'regional')).rejects.toBeInstanceOf(MigrationChecksumMismatch);
  });
});
