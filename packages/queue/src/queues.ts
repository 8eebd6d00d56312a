import './formats.js';
import { type Static, type TSchema, Type } from '@sinclair/typebox';

const Uuid = Type.String({ format: 'uuid', pattern: '^[0-9a-fA-F-]{36}$' });
const RegionId = Type.String({ pattern: '^[A-Z]{2,8}$' });

/**
 * Every queue of the system and the payload of its jobs, declared once: producers and the
 * worker import these, so a payload change fails to compile everywhere at once.
 */
export const Queues = {
  /** Data-residency migration steps (pre-copy, copy, verify, commit, rollback). */
  migration: {
    name: 'rt-migration',
    payload: Type.Object({
      migrationId: Uuid,
      step: Type.Union([
        Type.Literal('pre-copy'),
        Type.Literal('copy'),
        Type.Literal('verify'),
        Type.Literal('commit'),
        Type.Literal('rollback'),
        Type.Literal('cleanup-source'),
      ]),
    }),
  },
  /** Deletion of a tenant's data (30 days after uninstall, or an operator purge). */
  deletion: {
    name: 'rt-deletion',
    payload: Type.Object({ deletionId: Uuid }),
  },
  /** Periodic housekeeping: deletion sweeper, access-log retention, unused-asset collection. */
  maintenance: {
    name: 'rt-maintenance',
    payload: Type.Object({
      task: Type.Union([
        Type.Literal('deletion-sweep'),
        Type.Literal('access-log-retention'),
        Type.Literal('asset-gc'),
      ]),
      region: Type.Optional(RegionId),
    }),
  },
} as const satisfies Record<string, { name: string; payload: TSchema }>;

/** Name of a declared queue. */
export type QueueKey = keyof typeof Queues;
/** Payload type of a declared queue's jobs. */
export type JobPayload<K extends QueueKey> = Static<(typeof Queues)[K]['payload']>;
