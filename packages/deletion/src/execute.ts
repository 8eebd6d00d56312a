import type { S3Client } from '@aws-sdk/client-s3';
import { type DirectoryDb, deleteTenantRows, type PgPool, tenantHasRows } from '@rt/db';
import { TENANT_CHANGED_CHANNEL } from '@rt/directory';
import { deleteKeys, listTenantObjects } from '@rt/storage';
import type { Clock, DeletionRecord } from './schedule.js';

/** One region as the deletion sees it: its database pool and its bucket. */
export interface DeletionRegion {
  id: string;
  pool: PgPool;
  s3: S3Client;
  bucket: string;
}

/** What was removed in one region. Counts only: no personal data. */
export interface RegionReceipt {
  rows: number;
  objects: number;
  /** Rows removed per table. */
  tables: Record<string, number>;
  /** The region's pass finished (progress display; a resumed run passes every region again). */
  done: boolean;
  /**
   * A DeleteObjects batch under way: its key range and size. Keys are listed in order and
   * deleted from the start, so after a crash the batch's keys still listed are exactly those
   * not deleted — the rest are counted then.
   */
  objectsInFlight?: { first: string; last: string; n: number } | null;
  /** Row counts of a region transaction about to commit; settled after a crash by re-checking. */
  rowsInFlight?: { rows: number; tables: Record<string, number> } | null;
}

/**
 * The deletion receipt kept on the Deletion row: while running it is the progress, at the end the
 * proof. Client key, reason, times and counts — nothing personal.
 */
export interface DeletionReceipt {
  clientKey: string;
  reason: string;
  uninstalledAt: string;
  dueAt: string;
  startedAt: string;
  completedAt?: string;
  attempts: number;
  regions: Record<string, RegionReceipt>;
}

/**
 * A configured region whose database this process does not hold: its own worker deletes there
 * when asked (on AWS every region but the worker's own; no process holds another region's
 * database credentials or delete rights on its bucket).
 */
export interface RemoteDeletionRegion {
  id: string;
  /**
   * Asks that region to delete the tenant's rows and objects for this deletion and resolves with
   * what it removed in total for it (counts only). Throws when the region cannot be reached or
   * refuses: the deletion then stays `running` and is retried.
   */
  deleteTenant: (deletionId: string) => Promise<RegionReceipt>;
}

/** Everything {@link runDeletion} needs. */
export interface DeletionContext extends Clock {
  directory: DirectoryDb;
  /**
   * The regions whose database and bucket this process holds (deleted here). Together with
   * `remoteRegions` they must be EVERY configured region: a tenant may have left data behind in a
   * former home (a migration whose source clean-up never finished, a crash mid-copy).
   */
  regions: DeletionRegion[];
  /** Every other configured region, deleted by that region's own worker on request. */
  remoteRegions?: RemoteDeletionRegion[];
  /** Only deletions of tenants homed here run in this process (each region's worker owns its own). */
  homeRegion: string;
  /** Invalidates caches of the tenant (publishes on every region's `rt:tenant-changed`). */
  notifyTenantChanged: (tenantId: string) => Promise<void>;
  /** Objects per DeleteObjects call (≤ 1000, the S3 limit); also the progress granularity. */
  batchSize?: number;
}

/** Some regions have not deleted the tenant yet (unreachable or refused); the run is retried. */
export class RegionsNotDeleted extends Error {
  readonly code = 'REGIONS_NOT_DELETED';
  constructor(readonly failures: Record<string, string>) {
    super(
      `not deleted yet in ${Object.entries(failures)
        .map(([id, why]) => `${id} (${why})`)
        .join(', ')}`,
    );
    this.name = 'RegionsNotDeleted';
  }
}

/** How a run ended. */
export type DeletionOutcome =
  | { status: 'done'; receipt: DeletionReceipt }
  | { status: 'already-done' | 'cancelled' | 'not-due' | 'other-region' | 'missing' };

/** Channel the routers subscribe to for dropping a tenant's cached directory entry (@rt/directory). */
export { TENANT_CHANGED_CHANNEL };

/**
 * Deletes every object under `tenants/{tenantId}/` of a bucket: lists the first page, deletes it
 * in batches, lists again, until the prefix is empty. Re-listing from the start (instead of
 * following a continuation token across deletes) makes it trivially resumable.
 */
export async function deleteTenantObjects(
  s3: S3Client,
  bucket: string,
  tenantId: string,
  options: {
    batchSize?: number;
    /** Called with the first page of each listing (resume bookkeeping). */
    onListed?: (keys: string[]) => Promise<void>;
    beforeBatch?: (batch: { first: string; last: string; n: number }) => Promise<void>;
    onBatch?: (deleted: number) => Promise<void>;
  } = {},
): Promise<number> {
  const batchSize = Math.min(1000, Math.max(1, options.batchSize ?? 1000));
  let total = 0;
  for (;;) {
    let page: string[] = [];
    for await (const objects of listTenantObjects(s3, bucket, tenantId)) {
      page = objects.flatMap((o) => (o.Key ? [o.Key] : []));
      break;
    }
    await options.onListed?.(page);
    if (page.length === 0) return total;
    for (let i = 0; i < page.length; i += batchSize) {
      const batch = page.slice(i, i + batchSize);
      await options.beforeBatch?.({
        first: batch[0] as string,
        last: batch.at(-1) as string,
        n: batch.length,
      });
      const n = await deleteKeys(s3, bucket, batch);
      total += n;
      await options.onBatch?.(n);
    }
  }
}

/** An empty per-region receipt (nothing removed yet). */
export const emptyRegionReceipt = (): RegionReceipt => ({ rows: 0, objects: 0, tables: {}, done: false });

/**
 * One region's pass of a deletion: removes the tenant's objects (`tenants/{id}/`) and rows (every
 * tenant table, children first) in a region this process holds, adding to `r` and calling `save`
 * before and after every step that cannot be undone, so a run killed anywhere is finished — with
 * exact counts — by the next one (see {@link RegionReceipt}). The home region saves `r` in the
 * directory's receipt; another region's worker saves it in its own Redis (`region-deletion.ts`).
 */
export async function deleteTenantInRegion(
  region: DeletionRegion,
  tenantId: string,
  r: RegionReceipt,
  save: () => Promise<unknown>,
  options: { batchSize?: number } = {},
): Promise<RegionReceipt> {
  r.done = false;
  const addRows = (removed: { rows: number; tables: Record<string, number> }) => {
    r.rows += removed.rows;
    for (const [table, n] of Object.entries(removed.tables)) r.tables[table] = (r.tables[table] ?? 0) + n;
  };
  // Settle what a crashed run left in flight (see RegionReceipt).
  if (r.rowsInFlight) {
    if (!(await tenantHasRows(region.pool, tenantId))) addRows(r.rowsInFlight);
    r.rowsInFlight = null;
  }
  await deleteTenantObjects(region.s3, region.bucket, tenantId, {
    batchSize: options.batchSize,
    onListed: async (keys) => {
      const inFlight = r.objectsInFlight;
      if (!inFlight) return;
      const stillThere = keys.filter((k) => k >= inFlight.first && k <= inFlight.last).length;
      r.objects += inFlight.n - stillThere;
      r.objectsInFlight = null;
    },
    beforeBatch: async (batch) => {
      r.objectsInFlight = batch;
      await save();
    },
    onBatch: async (n) => {
      r.objects += n;
      r.objectsInFlight = null;
      await save();
    },
  });
  const removed = await deleteTenantRows(region.pool, tenantId, {
    beforeCommit: async (counts) => {
      r.rowsInFlight = counts;
      await save();
    },
  });
  addRows(removed);
  delete r.rowsInFlight;
  delete r.objectsInFlight;
  r.done = true;
  await save();
  return r;
}

/**
 * Executes one deletion: re-checks that it is still wanted (not cancelled, tenant not
 * reinstalled, due), claims it (`running`, attempts + 1), removes the tenant's objects and rows in
 * EVERY region — itself in the regions it holds, through each other region's worker for the rest —
 * then, only when every region answered done, in one directory transaction drops the tenant's
 * secret, marks it `deleted` and stores the receipt, and finally invalidates caches. A region that
 * cannot be reached or refuses leaves the deletion `running` (error in `lastError`, the run
 * throws) for the retry or the sweeper. Idempotent and resumable: a run interrupted anywhere is
 * finished by the next run (counts resume from the stored progress).
 */
export async function runDeletion(ctx: DeletionContext, deletionId: string): Promise<DeletionOutcome> {
  const deletion = await ctx.directory.deletion.findUnique({
    where: { id: deletionId },
    include: { tenant: { select: { id: true, state: true, homeRegion: true } } },
  });
  if (!deletion) return { status: 'missing' };
  if (deletion.state === 'done') {
    // A crash between the final commit and the cache notice is healed by any later run.
    await ctx.notifyTenantChanged(deletion.tenantId);
    return { status: 'already-done' };
  }
  if (deletion.state === 'cancelled') return { status: 'cancelled' };
  if (deletion.tenant.state === 'active') {
    // Reinstalled but the cancel did not land (e.g. the hook crashed): never delete a live tenant.
    await ctx.directory.deletion.updateMany({
      where: { id: deletion.id, state: 'pending' },
      data: { state: 'cancelled', completedAt: ctx.now() },
    });
    return { status: 'cancelled' };
  }
  if (deletion.dueAt > ctx.now()) return { status: 'not-due' };
  if (deletion.tenant.homeRegion !== ctx.homeRegion) return { status: 'other-region' };

  const now = ctx.now();
  const claimed = await ctx.directory.deletion.updateMany({
    where: { id: deletion.id, state: { in: ['pending', 'running'] } },
    data: { state: 'running', attempts: { increment: 1 }, startedAt: deletion.startedAt ?? now },
  });
  if (claimed.count === 0) return { status: 'cancelled' };

  const previous = (deletion.receipt ?? null) as DeletionReceipt | null;
  const receipt: DeletionReceipt = {
    clientKey: deletion.clientKey,
    reason: deletion.reason,
    uninstalledAt: deletion.uninstalledAt.toISOString(),
    dueAt: deletion.dueAt.toISOString(),
    startedAt: (deletion.startedAt ?? now).toISOString(),
    attempts: deletion.attempts + 1,
    regions: Object.fromEntries(
      [...ctx.regions, ...(ctx.remoteRegions ?? [])].map((r) => [
        r.id,
        previous?.regions?.[r.id] ?? emptyRegionReceipt(),
      ]),
    ),
  };
  const save = () =>
    ctx.directory.deletion.update({ where: { id: deletion.id }, data: { receipt: receipt as never } });

  try {
    for (const region of ctx.regions) {
      const r = receipt.regions[region.id] ?? emptyRegionReceipt();
      receipt.regions[region.id] = r;
      await deleteTenantInRegion(region, deletion.tenantId, r, save, { batchSize: ctx.batchSize });
    }
    // Every other region deletes its own copy; one that fails does not stop the others.
    const failures: Record<string, string> = {};
    for (const region of ctx.remoteRegions ?? []) {
      try {
        const answer = await region.deleteTenant(deletion.id);
        receipt.regions[region.id] = {
          rows: answer.rows,
          objects: answer.objects,
          tables: answer.tables,
          done: answer.done,
        };
        if (!answer.done) failures[region.id] = 'not done';
      } catch (err) {
        const r = receipt.regions[region.id] ?? emptyRegionReceipt();
        receipt.regions[region.id] = { ...r, done: false };
        failures[region.id] = (err as Error).message.slice(0, 200);
      }
      await save();
    }
    if (Object.keys(failures).length > 0) throw new RegionsNotDeleted(failures);
    receipt.completedAt = ctx.now().toISOString();
    await ctx.directory.$transaction([
      // A tenant that reinstalled while this ran keeps its new secret; its old data is gone.
      ctx.directory.tenant.updateMany({
        where: { id: deletion.tenantId, state: { not: 'active' } },
        data: { sharedSecretEnc: null, state: 'deleted', revision: { increment: 1 } },
      }),
      ctx.directory.deletion.update({
        where: { id: deletion.id },
        data: { state: 'done', completedAt: ctx.now(), lastError: null, receipt: receipt as never },
      }),
    ]);
  } catch (err) {
    await ctx.directory.deletion
      .update({
        where: { id: deletion.id },
        data: { lastError: (err as Error).message.slice(0, 500), receipt: receipt as never },
      })
      .catch(() => undefined);
    throw err;
  }
  await ctx.notifyTenantChanged(deletion.tenantId);
  return { status: 'done', receipt };
}

/** The stored receipt of a deletion row, typed (null before the first run). */
export function receiptOf(deletion: Pick<DeletionRecord, 'receipt'>): DeletionReceipt | null {
  return (deletion.receipt ?? null) as DeletionReceipt | null;
}

/** Why another region's worker may not delete for a deletion (or the tenant it may delete). */
export type RegionDeletionCheck =
  | { status: 'ok'; tenantId: string }
  | { status: 'missing' | 'cancelled' | 'tenant-active' | 'not-due' | 'not-running' };

/** Clock skew between regions tolerated on the due date (the home region's clock claimed it). */
const DUE_SKEW_MS = 5 * 60_000;

/**
 * The checks a region makes (reading the directory only) before deleting its copy of a tenant
 * for a deletion run by the tenant's home region `home`: the deletion exists and belongs to a
 * tenant homed there, is not cancelled, is due, and is `running` (the home claims it before it
 * asks any region), and the tenant has not come back (`active`). Everything else is refused.
 */
export async function checkRegionDeletion(
  directory: DirectoryDb,
  deletionId: string,
  options: { home: string } & Clock,
): Promise<RegionDeletionCheck> {
  const deletion = await directory.deletion.findUnique({
    where: { id: deletionId },
    include: { tenant: { select: { state: true, homeRegion: true } } },
  });
  // A direction the directory does not record looks like a deletion that does not exist.
  if (!deletion || deletion.tenant.homeRegion !== options.home) return { status: 'missing' };
  if (deletion.state === 'cancelled') return { status: 'cancelled' };
  if (deletion.tenant.state === 'active') return { status: 'tenant-active' };
  if (deletion.dueAt.getTime() > options.now().getTime() + DUE_SKEW_MS) return { status: 'not-due' };
  if (deletion.state !== 'running') return { status: 'not-running' };
  return { status: 'ok', tenantId: deletion.tenantId };
}
