import { createRegionExportSigner } from '@rt/auth';
import { MigrationCoordinator, MigrationJobs } from '@rt/residency';
import { allRegions, type RegionHandle, type WorkerDeps } from '../deps.js';
import { SourceRegionClient } from './source-client.js';

/** Knobs of the copy (tests make batches small to have something to interrupt). */
export interface MigrationTuning {
  /** Rows per upsert batch. */
  rowBatchSize: number;
  /** Objects copied / hashed in parallel. */
  objectConcurrency: number;
  /** Minimum interval between progress writes (ms). */
  progressIntervalMs: number;
  /** Copy objects with S3 CopyObject instead of GET + PUT through the worker. */
  serverSideCopy: boolean;
  /**
   * The object store computes a copy's ETag as the MD5 of the bytes it wrote (s3rver; S3 for
   * unencrypted/SSE-S3 objects), so a copy whose ETag equals the MD5 recorded at upload needs no
   * read-back. Off by default: on AWS the copy's SHA-256 checksum proves it instead.
   */
  etagProvesCopy: boolean;
  /**
   * How long a finished pre-copy stands before the pre-copy step (queued again by every sweep
   * while the tenant waits for its start) refreshes it: each pass hashes every row of the
   * tenant on both sides, so a tenant pre-copied a day ahead is not rehashed every few seconds.
   * What changes meanwhile moves at the freeze.
   */
  preCopyRefreshMs: number;
}

export const DEFAULT_TUNING: MigrationTuning = {
  rowBatchSize: 1000,
  objectConcurrency: 32,
  progressIntervalMs: 250,
  serverSideCopy: true,
  etagProvesCopy: false,
  preCopyRefreshMs: 15 * 60_000,
};

/** What the migration jobs share within one worker process. */
export interface MigrationContext {
  coordinator: MigrationCoordinator;
  jobs: MigrationJobs;
  tuning: MigrationTuning;
  /** A region whose database and bucket this worker holds (the one a step writes to). */
  region(id: string): RegionHandle;
  /** The export endpoint of a migration's source region, as seen from `self` (the target). */
  source(id: string, self: string): SourceRegionClient;
  /** The bucket name of any configured region (server-side copies read the source's). */
  bucketName(id: string): string;
  /** Redis key of the set of object keys whose copy was hashed and proven in this migration. */
  verifiedKey(migrationId: string): string;
  /** Closes the queues (the Redis connections belong to the worker and `deps.regionRedis`). */
  close(): Promise<void>;
}

/**
 * Creates the migration context of a worker process (once, in `createWorkerDeps`). Its queues
 * reach every region's Redis through `deps.regionRedis`; closing it closes only its queues.
 */
export function createMigrationContext(
  deps: Omit<WorkerDeps, 'migration'>,
  tuning: Partial<MigrationTuning> = {},
): MigrationContext {
  const queues = Object.fromEntries(
    [...deps.regionRedis.byRegion].map(([id, connection]) => [id, { connection, prefix: deps.queuePrefix }]),
  );
  const jobs = new MigrationJobs({ connection: deps.redis, prefix: deps.queuePrefix }, queues, deps.region);
  const secret = deps.regionExport?.exportSecret;
  const sign = secret ? createRegionExportSigner(secret) : undefined;
  const coordinator = new MigrationCoordinator({
    directory: deps.directory,
    resolveLocation: (location) => allRegions(deps).find((r) => r.id === location.toUpperCase()),
    jobs,
    publishTenantChanged: (tenantId) => deps.regionRedis.publishTenantChanged(tenantId),
    // The worker never schedules; these limits only matter to the hooks and the ops API.
    limits: { enabled: true, maxConcurrent: Number.MAX_SAFE_INTEGER, maxDurationHours: 72 },
    now: deps.now,
    onSideEffectError: (err, what) =>
      deps.logger.warn({ err: (err as Error).message, what }, 'migration side effect failed'),
  });
  return {
    coordinator,
    jobs,
    tuning: { ...DEFAULT_TUNING, ...tuning },
    region(id) {
      const r = deps.regions.get(id);
      if (!r) throw new Error(`region ${id}'s database is not configured in this worker`);
      return r;
    },
    source(id, self) {
      const url = deps.regionExport?.exportUrls[id];
      if (!url || !sign)
        throw new Error(`REGION_${id}_EXPORT_URL and REGION_EXPORT_SECRET are needed to migrate from ${id}`);
      return new SourceRegionClient(url, sign, self, id);
    },
    bucketName(id) {
      const r = allRegions(deps).find((s) => s.id === id);
      if (!r) throw new Error(`region ${id} is not configured`);
      return r.bucket;
    },
    verifiedKey: (id) => `${deps.queuePrefix ?? 'bull'}:rt-migration:verified:${id}`,
    async close() {
      await jobs.close();
    },
  };
}
