import type { S3Client } from '@aws-sdk/client-s3';
import type { RegionSettings } from '@rt/config';
import type { DirectoryDb, PgPool, RegionalDb } from '@rt/db';
import type { Redis } from '@rt/queue';
import type { FastifyBaseLogger } from 'fastify';
import type { MigrationContext } from './migration/context.js';
import type { RegionRedis } from './region-redis.js';

/** One region as the worker sees it: its database and bucket. */
export interface RegionHandle {
  settings: RegionSettings;
  db: RegionalDb;
  pool: PgPool;
  s3: S3Client;
  bucket: string;
}

/**
 * Everything job handlers may use. Handlers are plain functions of these deps. Built once per
 * process by `createWorkerDeps` (`worker-state.ts`), which also creates the worker's state.
 */
export interface WorkerDeps {
  /** Region whose queues this worker consumes. */
  region: string;
  directory: DirectoryDb;
  /**
   * Regions whose database and bucket this worker holds — on AWS only its own. Migrations reach
   * other regions through their export endpoint and S3 server-side copy instead.
   */
  regions: Map<string, RegionHandle>;
  /** Settings of every configured region (bucket names, Redis), database or not; default: `regions`. */
  regionTable?: RegionSettings[];
  /** Cross-region transport of migrations and deletions (`migration/export.ts`, `region-deletion.ts`). */
  regionExport?: {
    /** Key of region-export tokens (`REGION_EXPORT_SECRET`); unset = no export served or pulled. */
    exportSecret?: string;
    /** Export endpoint of each other region (`REGION_<R>_EXPORT_URL`). */
    exportUrls: Record<string, string>;
  };
  redis: Redis;
  /** BullMQ key prefix (tests use a unique one). */
  queuePrefix?: string;
  logger: FastifyBaseLogger;
  /** Injected clock, so tests can move time instead of waiting. */
  now: () => Date;
  /** The router's access-log directory of this region (retention job); unset = not on this host. */
  accessLog?: { dir: string; retentionDays: number };
  /** State: the connection to each region's Redis (tenant-changed notices, steps queued there). */
  regionRedis: RegionRedis;
  /** State: what the migration jobs share (coordinator, queues, tuning). */
  migration: MigrationContext;
}

/** Settings of every region the worker knows (the region table, else the regions it holds). */
export function allRegions(deps: Pick<WorkerDeps, 'regions' | 'regionTable'>): RegionSettings[] {
  return deps.regionTable ?? [...deps.regions.values()].map((r) => r.settings);
}
