import type { DirectoryDb, directory } from '@rt/db';
import { NotFound } from '@rt/http';
import type { JobProducer } from '@rt/queue';

/** The promise to customers: data is deleted this many days after uninstall. */
export const DELETION_GRACE_DAYS = 30;

const DAY_MS = 24 * 3600 * 1000;

/** A Deletion row as stored in the directory. */
export type DeletionRecord = directory.Deletion;

/** Why a deletion exists: the uninstall lifecycle or an operator purge (customer request). */
export type DeletionReason = 'uninstalled' | 'purge';

/** The clock every function takes, so tests move time instead of waiting. */
export interface Clock {
  now: () => Date;
}

/** The producer of the `deletion` queue (one region's Redis). */
export type DeletionProducer = JobProducer<'deletion'>;

/** When a deletion for an uninstall at `uninstalledAt` is due. */
export function deletionDueAt(uninstalledAt: Date): Date {
  return new Date(uninstalledAt.getTime() + DELETION_GRACE_DAYS * DAY_MS);
}

/** Result of putting a deletion on the queue; Postgres stays the source of truth either way. */
export interface EnqueueResult {
  /** false when Redis could not be reached: the sweeper re-enqueues once the deletion is due. */
  enqueued: boolean;
  error?: string;
}

/**
 * Puts (or moves) the BullMQ job of a deletion so it fires at `dueAt`. The job id is the
 * deletion id, which makes this idempotent; a job left from an earlier run (delayed with an old
 * due date, or already completed/failed) is moved or replaced, because BullMQ silently ignores an
 * add with an existing id.
 */
export async function enqueueDeletion(
  producer: DeletionProducer,
  deletion: Pick<DeletionRecord, 'id' | 'dueAt'>,
  clock: Clock,
): Promise<EnqueueResult> {
  const delay = Math.max(0, deletion.dueAt.getTime() - clock.now().getTime());
  try {
    const existing = await producer.queue.getJob(deletion.id);
    if (existing) {
      const state = await existing.getState();
      if (state === 'delayed') {
        // Due now: promote (changeDelay(0) would still wait for the delayed-set scan).
        if (delay === 0) await existing.promote();
        else await existing.changeDelay(delay);
        return { enqueued: true };
      }
      if (
        state === 'active' ||
        state === 'waiting' ||
        state === 'prioritized' ||
        state === 'waiting-children'
      ) {
        return { enqueued: true };
      }
      // completed / failed / unknown: a finished job of an earlier attempt; replace it.
      await existing.remove();
    }
    await producer.add('deletion', { deletionId: deletion.id }, { jobId: deletion.id, delay });
    return { enqueued: true };
  } catch (err) {
    return { enqueued: false, error: (err as Error).message };
  }
}

/** Removes a deletion's job if it is not running (a running job re-checks the state itself). */
async function dequeueDeletion(producer: DeletionProducer, deletionId: string): Promise<void> {
  try {
    const job = await producer.queue.getJob(deletionId);
    if (job && !(await job.isActive())) await job.remove();
  } catch {
    // Redis down or the job is locked: harmless, the handler sees state `cancelled` and stops.
  }
}

/** Input of {@link scheduleDeletion}. */
export interface ScheduleDeletionInput {
  tenantId: string;
  clientKey: string;
  uninstalledAt: Date;
  reason?: DeletionReason;
}

/**
 * Records that a tenant's data is due for deletion 30 days after `uninstalledAt` and enqueues the
 * delayed job. Keeps an already open (pending or running) deletion of the tenant, so a
 * re-delivered `uninstalled` hook neither duplicates nor postpones it. The tenant row is locked
 * while deciding, so two concurrent hooks cannot create two deletions.
 */
export async function scheduleDeletion(
  db: DirectoryDb,
  producer: DeletionProducer,
  input: ScheduleDeletionInput,
  clock: Clock,
): Promise<{ deletion: DeletionRecord; created: boolean } & EnqueueResult> {
  const { deletion, created } = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${input.tenantId}::uuid FOR UPDATE`;
    const open = await tx.deletion.findFirst({
      where: { tenantId: input.tenantId, state: { in: ['pending', 'running'] } },
      orderBy: { createdAt: 'asc' },
    });
    if (open) return { deletion: open, created: false };
    const row = await tx.deletion.create({
      data: {
        tenantId: input.tenantId,
        clientKey: input.clientKey,
        reason: input.reason ?? 'uninstalled',
        uninstalledAt: input.uninstalledAt,
        dueAt: deletionDueAt(input.uninstalledAt),
        createdAt: clock.now(),
      },
    });
    return { deletion: row, created: true };
  });
  return { deletion, created, ...(await enqueueDeletion(producer, deletion, clock)) };
}

/**
 * A reinstall: cancels the tenant's pending deletion(s) and removes their jobs, so the data
 * stays. A deletion already `running` is not stopped half-way (that would leave a torn tenant);
 * the job finishes it but leaves the reinstalled tenant's new secret alone.
 */
export async function cancelDeletion(
  db: DirectoryDb,
  producer: DeletionProducer,
  input: { tenantId: string },
  clock: Clock,
): Promise<DeletionRecord[]> {
  const pending = await db.deletion.findMany({ where: { tenantId: input.tenantId, state: 'pending' } });
  const cancelled: DeletionRecord[] = [];
  for (const d of pending) {
    const res = await db.deletion.updateMany({
      where: { id: d.id, state: 'pending' },
      data: { state: 'cancelled', completedAt: clock.now() },
    });
    if (res.count === 1) {
      cancelled.push({ ...d, state: 'cancelled', completedAt: clock.now() });
      await dequeueDeletion(producer, d.id);
    }
  }
  // The router's `installed` hook may already have cancelled the row in its own transaction and
  // only calls this for the jobs: drop the delayed jobs of cancelled deletions not yet due.
  const alreadyCancelled = await db.deletion.findMany({
    where: { tenantId: input.tenantId, state: 'cancelled', dueAt: { gt: clock.now() } },
    select: { id: true },
  });
  for (const d of alreadyCancelled) await dequeueDeletion(producer, d.id);
  return cancelled;
}

/** The tenant asked for an operator purge does not exist: 404 `TENANT_NOT_FOUND`. */
export class TenantNotFound extends NotFound {
  constructor(readonly clientKey: string) {
    super('tenant', 'TENANT_NOT_FOUND');
    this.name = 'TenantNotFound';
  }
}

/**
 * Operator purge (a customer asked for deletion now): makes the tenant's open deletion due now,
 * or creates one, and enqueues it without delay. An active tenant is disabled first so the
 * router stops serving it. Purging an already deleted tenant returns its finished deletion.
 */
export async function purgeNow(
  db: DirectoryDb,
  producer: DeletionProducer,
  input: { clientKey: string },
  clock: Clock,
): Promise<{ deletion: DeletionRecord; created: boolean } & EnqueueResult> {
  const now = clock.now();
  const result = await db.$transaction(async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { clientKey: input.clientKey } });
    if (!tenant) throw new TenantNotFound(input.clientKey);
    await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenant.id}::uuid FOR UPDATE`;
    if (tenant.state === 'deleted') {
      const done = await tx.deletion.findFirst({
        where: { tenantId: tenant.id, state: 'done' },
        orderBy: { completedAt: 'desc' },
      });
      if (done) return { deletion: done, created: false, finished: true };
    }
    if (tenant.state === 'active') {
      await tx.tenant.update({
        where: { id: tenant.id },
        data: { state: 'disabled', revision: { increment: 1 } },
      });
    }
    const open = await tx.deletion.findFirst({
      where: { tenantId: tenant.id, state: { in: ['pending', 'running'] } },
    });
    if (open) {
      const deletion =
        open.dueAt > now
          ? await tx.deletion.update({ where: { id: open.id }, data: { dueAt: now, reason: 'purge' } })
          : open;
      return { deletion, created: false, finished: false };
    }
    const deletion = await tx.deletion.create({
      data: {
        tenantId: tenant.id,
        clientKey: tenant.clientKey,
        reason: 'purge',
        uninstalledAt: tenant.uninstalledAt ?? now,
        dueAt: now,
        createdAt: now,
      },
    });
    return { deletion, created: true, finished: false };
  });
  if (result.finished) return { deletion: result.deletion, created: false, enqueued: false };
  return {
    deletion: result.deletion,
    created: result.created,
    ...(await enqueueDeletion(producer, result.deletion, clock)),
  };
}

/**
 * The sweeper: re-enqueues every deletion that is due (pending, or running but interrupted) and
 * whose tenant is homed in `region`, straight from Postgres — so a Redis flush, a lost delayed job
 * or a killed worker never loses a deletion. Returns the ids it (re-)enqueued.
 */
export async function sweepDueDeletions(
  db: DirectoryDb,
  producer: DeletionProducer,
  options: { region: string; limit?: number },
  clock: Clock,
): Promise<string[]> {
  const due = await db.deletion.findMany({
    where: {
      state: { in: ['pending', 'running'] },
      dueAt: { lte: clock.now() },
      tenant: { homeRegion: options.region },
    },
    orderBy: { dueAt: 'asc' },
    take: options.limit ?? 500,
    select: { id: true, dueAt: true },
  });
  const enqueued: string[] = [];
  for (const d of due) {
    const res = await enqueueDeletion(producer, d, clock);
    if (!res.enqueued) throw new Error(`sweeper could not enqueue deletion ${d.id}: ${res.error}`);
    enqueued.push(d.id);
  }
  return enqueued;
}
