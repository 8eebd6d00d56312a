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

const regionalPools = new WeakMap<RegionalDb, pg.Pool>();

/**
 * Creates a Prisma client for a regional database using the `pg` driver adapter. The client runs
 * on a `pg` pool of its own ({@link pgPoolOf}), ended by `$disconnect()`.
 */
export function createRegionalClient(options: DbConnectionOptions): RegionalDb {
  const pool = createPgPool(options);
  const client = new RegionalPrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
  });
  regionalPools.set(client, pool);
  return client;
}

/**
 * The `pg` pool under a client made by {@link createRegionalClient}: code handed only the
 * Prisma client can still run the raw-SQL write paths (e.g. `DocumentRepository`) on the same
 * connections, without a second pool to size and close.
 */
export function pgPoolOf(db: RegionalDb): pg.Pool {
  const pool = regionalPools.get(db);
  if (!pool) throw new Error('pgPoolOf: the client was not made by createRegionalClient');
  return pool;
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
