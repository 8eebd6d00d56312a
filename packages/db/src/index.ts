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
export { type Statement, statement } from './statements.js';
export {
  countTenantRows,
  deleteTenantRows,
  quoteIdent,
  type RemovedRows,
  TENANT_TABLES,
  type TenantTable,
  tenantHasRows,
  WRITE_FENCE_TABLE,
  withTransaction,
} from './tenant-data.js';
export {
  enterTenantWrite,
  liftWriteFence,
  listWriteFences,
  MIGRATION_RETRY_AFTER_SECONDS,
  raiseWriteFence,
  TenantWriteFenced,
  type WriteFence,
  withTenantWrite,
} from './write-fence.js';
