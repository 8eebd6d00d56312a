export type { Pool as PgPool, PoolClient as PgPoolClient } from 'pg';
export type { DbConnectionOptions, DirectoryDb, RegionalDb } from './clients.js';
export { createDirectoryClient, createPgPool, createRegionalClient, pgPoolOf } from './clients.js';
export * as directory from './generated/directory/client.js';
export * as regional from './generated/regional/client.js';
export type { MigrateResult, MigrationFile, SchemaKind } from './migrate.js';
export {
  dropDatabase,
  ensureDatabase,
  MigrationChecksumMismatch,
  migrateDatabase,
  readMigrations,
} from './migrate.js';
export {
  countTenantRows,
  deleteTenantRows,
  quoteIdent,
  type RemovedRows,
  TENANT_TABLES,
  type TenantTable,
  tenantHasRows,
  withTransaction,
} from './tenant-data.js';
