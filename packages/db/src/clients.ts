import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient as DirectoryPrismaClient } from './generated/directory/client.js';
import { PrismaClient as RegionalPrismaClient } from './generated/regional/client.js';

/** Connection settings shared by every client factory. */
export interface DbConnectionOptions {
  url: string;
  /** Maximum pool size (connections). */
  poolSize?: number;
}

/** Prisma client of the directory (control-plane) database. */
export type DirectoryDb = InstanceType<typeof DirectoryPrismaClient>;
/** Prisma client of a regional (data-plane) database. */
export type RegionalDb = InstanceType<typeof RegionalPrismaClient>;

const adapter = ({ url, poolSize = 10 }: DbConnectionOptions) =>
  new PrismaPg({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });

/** Creates a Prisma client for the directory database using the `pg` driver adapter. */
export function createDirectoryClient(options: DbConnectionOptions): DirectoryDb {
  return new DirectoryPrismaClient({ adapter: adapter(options) });
}

/** Creates a Prisma client for a regional database using the `pg` driver adapter. */
export function createRegionalClient(options: DbConnectionOptions): RegionalDb {
  return new RegionalPrismaClient({ adapter: adapter(options) });
}

/**
 * A plain `pg` pool for hot read paths where Prisma's per-query overhead matters (measured: a
 * Prisma lookup costs several times a raw query here). Queries must still be tenant-scoped.
 */
export function createPgPool({ url, poolSize = 10 }: DbConnectionOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection (server restart, failover) must not crash the
  // process: the pool drops it and the next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}
