import type { DirectoryDb } from '@rt/db';
import { type DeletionReceipt, receiptOf } from './execute.js';
import { type Clock, type DeletionProducer, type DeletionRecord, purgeNow } from './schedule.js';

/** States an operator can filter by. */
export const DELETION_STATES = ['pending', 'running', 'done', 'cancelled'] as const;
export type DeletionStateName = (typeof DELETION_STATES)[number];

/** A deletion as operators see it (API, CLI, console). */
export interface DeletionView {
  id: string;
  tenantId: string;
  clientKey: string;
  reason: string;
  state: DeletionStateName;
  uninstalledAt: string;
  dueAt: string;
  attempts: number;
  lastError: string | null;
  startedAt: string | null;
  completedAt: string | null;
  /** 0–100: share of regions finished (100 once done). */
  percent: number;
  receipt: DeletionReceipt | null;
}

/** Maps a row to the operator view. */
export function toDeletionView(d: DeletionRecord): DeletionView {
  const receipt = receiptOf(d);
  const regions = Object.values(receipt?.regions ?? {});
  const percent =
    d.state === 'done'
      ? 100
      : regions.length === 0
        ? 0
        : Math.floor((100 * regions.filter((r) => r.done).length) / regions.length);
  return {
    id: d.id,
    tenantId: d.tenantId,
    clientKey: d.clientKey,
    reason: d.reason,
    state: d.state,
    uninstalledAt: d.uninstalledAt.toISOString(),
    dueAt: d.dueAt.toISOString(),
    attempts: d.attempts,
    lastError: d.lastError,
    startedAt: d.startedAt?.toISOString() ?? null,
    completedAt: d.completedAt?.toISOString() ?? null,
    percent,
    receipt,
  };
}

/** Filters of {@link listDeletions}. */
export interface ListDeletionsQuery {
  state?: DeletionStateName;
  clientKey?: string;
  limit?: number;
}

/** Deletions, the next due first, then the finished ones (most recent first). */
export async function listDeletions(
  db: DirectoryDb,
  query: ListDeletionsQuery = {},
): Promise<DeletionView[]> {
  const rows = await db.deletion.findMany({
    where: {
      ...(query.state ? { state: query.state } : {}),
      ...(query.clientKey ? { clientKey: query.clientKey } : {}),
    },
    orderBy: [{ dueAt: 'desc' }, { id: 'asc' }],
    take: Math.min(500, Math.max(1, query.limit ?? 100)),
  });
  return rows.map(toDeletionView);
}

/** One deletion by id (progress polling), or null. */
export async function getDeletion(db: DirectoryDb, id: string): Promise<DeletionView | null> {
  const row = await db.deletion.findUnique({ where: { id } });
  return row ? toDeletionView(row) : null;
}

/** Operator purge: the tenant's deletion is due now and queued at once. */
export async function purgeTenant(
  db: DirectoryDb,
  producer: DeletionProducer,
  clientKey: string,
  clock: Clock,
): Promise<{ deletion: DeletionView; created: boolean; enqueued: boolean }> {
  const res = await purgeNow(db, producer, { clientKey }, clock);
  return { deletion: toDeletionView(res.deletion), created: res.created, enqueued: res.enqueued };
}
