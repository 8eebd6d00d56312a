import type { S3Client } from '@aws-sdk/client-s3';
import type { RegionSettings } from '@rt/config';
import type { DirectoryDb, PgPool, RegionalDb } from '@rt/db';
import type { Redis } from '@rt/queue';
import type { FastifyBaseLogger } from 'fastify';

/** One region as the worker sees it: its database and bucket. */
export interface RegionHandle {
  settings: RegionSettings;
  db: RegionalDb;
  pool: PgPool;
  s3: S3Client;
  bucket: string;
}

/** Everything job handlers may use. Handlers are plain functions of these deps. */
export interface WorkerDeps {
  /** Region whose queues this worker consumes. */
  region: string;
  directory: DirectoryDb;
  /** Every configured region (migrations and deletions span regions). */
  regions: Map<string, RegionHandle>;
  redis: Redis;
  /** BullMQ key prefix (tests use a unique one). */
  queuePrefix?: string;
  logger: FastifyBaseLogger;
  /** Injected clock, so tests can move time instead of waiting. */
  now: () => Date;
  /** The router's access-log directory of this region (retention job); unset = not on this host. */
  accessLog?: { dir: string; retentionDays: number };
}
