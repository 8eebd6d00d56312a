import type { MigrationLimits, RegionSettings } from '@rt/config';
import type { DirectoryDb, directory } from '@rt/db';
import { DareErrorCode, MigrationRefused, MigrationStateChanged } from './errors.js';
import { type MigrationJobs, type MigrationStep, stepRegion } from './jobs.js';
import { ABANDONED_STATES, ACTIVE_STATES, canTransition, type MigrationState } from './states.js';

/** A migration row of the directory. */
export type Migration = directory.Migration;
type Tx = directory.Prisma.TransactionClient;
type Json = directory.Prisma.InputJsonValue;

/** What the coordinator needs; every piece is passed in (no I/O at construction). */
export interface CoordinatorDeps {
  directory: DirectoryDb;
  /** Resolves Atlassian locations (EU, DE, US) to configured regions. */
  resolveLocation: (location: string) => RegionSettings | undefined;
  jobs: MigrationJobs;
  /** Broadcasts that a tenant's directory entry changed (freeze, home flip) to every region. */
  publishTenantChanged: (tenantId: string) => Promise<unknown>;
  limits: MigrationLimits;
  now?: () => Date;
  /** Called when a best-effort side effect (enqueue, publish) failed; the sweeper repairs it. */
  onSideEffectError?: (err: unknown, what: string) => void;
}

/** Input of {@link MigrationCoordinator.schedule}. */
export interface ScheduleInput {
  tenantId: string;
  /** Atlassian's migrationId; null for operator migrations. */
  externalId: string | null;
  location: string;
  windowStart?: Date;
  windowEnd?: Date;
  origin: 'atlassian' | 'operator';
  autoCommit: boolean;
  requestedBy?: string;
}

/** The body of Atlassian's `GET /status` answer. */
export type DareStatus =
  | { status: 'ready-to-commit' }
  | { status: 'failed'; errorResponseCode: string }
  | { status: 'in-progress'; progress: number; detail: MigrationProgressDetail };

/** What `/status` adds for people watching (Atlassian reads `status` and `progress` only). */
export interface MigrationProgressDetail {
  state: MigrationState;
  phase?: string;
  rows?: { done: number; total: number };
  objects?: { done: number; total: number };
  bytes?: { done: number; total: number };
  etaSeconds?: number;
}

/** The `progress` JSON of a migration. */
export interface MigrationProgress {
  phase?: string;
  rows?: { done: number; total: number };
  objects?: { done: number; total: number };
  bytes?: { done: number; total: number };
  /** Estimated seconds until the current phase is done (from its rate so far). */
  etaSeconds?: number;
  updatedAt?: string;
}

const ADVISORY_SCHEDULE_LOCK = 7_266_001;
const HOUR_MS = 3_600_000;

/**
 * Time rules of Atlassian's data-residency contract
 * (https://developer.atlassian.com/cloud/confluence/data-residency/): `/schedule` announces a
 * window (`startTime`…`endTime`) that may lie days ahead — apps declaring more than 90 minutes
 * are scheduled with a lead time of days; `/start` opens the budget of
 * `maxMigrationDurationHours` within which `/status` must reach `ready-to-commit`; any non-2xx
 * status answer rolls the migration back. So no deadline is ever counted from the schedule call.
 */
export const MIGRATION_TIMING = {
  /**
   * Objects are pre-copied from this long before the window opens: early enough to leave only a
   * small delta for the freeze, late enough not to copy (and keep a second copy of) a tenant days
   * ahead of a window Atlassian may still move.
   */
  preCopyLeadMs: 24 * HOUR_MS,
  /**
   * A migration never started expires this long after its window closed (Atlassian retries
   * `/start` with backoff and may call it after the window; until then it is honoured). Expiry
   * releases its slot of the concurrency cap and deletes its pre-copied objects.
   */
  unstartedGraceMs: 24 * HOUR_MS,
} as const;

/** Completion of a migration in percent (0–100) from its progress counters. */
export function progressPercent(state: MigrationState, progress: unknown): number {
  if (state === 'ready_to_commit' || state === 'committed') return 100;
  const p = (progress ?? {}) as MigrationProgress;
  const fractions = [p.rows, p.bytes ?? p.objects]
    .filter((c): c is { done: number; total: number } => Boolean(c && c.total > 0))
    .map((c) => Math.min(1, c.done / c.total));
  if (!fractions.length) return 0;
  return Math.floor((fractions.reduce((a, b) => a + b, 0) / fractions.length) * 99);
}

/** The states the worker moves a migration into as it copies; see {@link MigrationCoordinator.advance}. */
export const WORKER_PHASES = ['pre_copying', 'copying', 'verifying', 'ready_to_commit'] as const;
export type WorkerPhase = (typeof WORKER_PHASES)[number];

/**
 * Moves a migration from its current state to `to` inside a transaction, records the
 * timestamped event, and fails with {@link MigrationStateChanged} when another caller moved it
 * first (compare-and-set on the state). Only the coordinator calls it: every state change of a
 * migration goes through one of its methods.
 */
async function moveState(
  tx: Tx,
  m: Migration,
  to: MigrationState,
  at: Date,
  options: { detail?: Json; data?: directory.Prisma.MigrationUpdateManyMutationInput } = {},
): Promise<void> {
  if (!canTransition(m.state, to)) throw new MigrationStateChanged(m.id, `able to go ${m.state} → ${to}`);
  const updated = await tx.migration.updateMany({
    where: { id: m.id, state: m.state },
    data: { ...options.data, state: to },
  });
  if (updated.count !== 1) throw new MigrationStateChanged(m.id, m.state);
  await tx.migrationEvent.create({
    data: { migrationId: m.id, fromState: m.state, toState: to, at, detail: options.detail },
  });
}

/** Lifts a migration's freeze of the tenant (only the freeze this migration holds). */
async function unfreeze(tx: Tx, m: Migration): Promise<void> {
  await tx.tenant.updateMany({
    where: { id: m.tenantId, frozenByMigration: m.id },
    data: { frozenByMigration: null, revision: { increment: 1 } },
  });
}

/**
 * The one place that decides what happens to a migration. Hooks (Atlassian), the operator API
 * and the worker all go through it, so the same rules (idempotency per migrationId, cap,
 * deadline, freeze) hold whichever door a request came in by. State lives in Postgres; jobs in
 * Redis are only the means to make progress, re-enqueued by {@link ensureProgressing}.
 */
export class MigrationCoordinator {
  private readonly now: () => Date;
  constructor(private readonly deps: CoordinatorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Advances a migration the worker is running to its next phase (`pre_copying`, `copying`,
   * `verifying`, `ready_to_commit`), with the progress or report written in the same
   * transaction; returns it as stored. The other states have their own methods (start, commit,
   * rollback, fail), which also freeze, flip or unfreeze the tenant and tell the routers.
   * Fails with {@link MigrationStateChanged} when another caller moved it first.
   */
  async advance(
    m: Migration,
    to: WorkerPhase,
    options: { detail?: Json; data?: directory.Prisma.MigrationUpdateManyMutationInput } = {},
  ): Promise<Migration> {
    if (!WORKER_PHASES.includes(to)) {
      throw new MigrationStateChanged(m.id, `moved by the worker to ${to}`);
    }
    await this.deps.directory.$transaction((tx) => moveState(tx, m, to, this.now(), options));
    return (await this.get(m.id)) as Migration;
  }

  /**
   * The migration `/status` answers for when Atlassian omits `migrationId`: the tenant's
   * migration in progress, else its most recently scheduled one (null when it has none).
   */
  async currentFor(tenantId: string): Promise<Migration | null> {
    const active = await this.deps.directory.migration.findFirst({
      where: { tenantId, state: { in: [...ACTIVE_STATES] } },
      orderBy: { createdAt: 'desc' },
    });
    return (
      active ??
      this.deps.directory.migration.findFirst({ where: { tenantId }, orderBy: { createdAt: 'desc' } })
    );
  }

  /** The migration with Atlassian's id for this tenant, or null. */
  findByExternalId(tenantId: string, externalId: string): Promise<Migration | null> {
    return this.deps.directory.migration.findUnique({
      where: { tenantId_externalId: { tenantId, externalId } },
    });
  }

  get(id: string): Promise<Migration | null> {
    return this.deps.directory.migration.findUnique({ where: { id } });
  }

  /**
   * Records a migration (idempotent per tenant + externalId) and queues the pre-copy of
   * assets. Refuses with E0002 (location), E0003 (disabled) or E0004 (cap, or the tenant is
   * already frozen by another migration). A still-unstarted older migration of the tenant is
   * superseded (cancelled): Atlassian reschedules with a new migrationId.
   */
  async schedule(input: ScheduleInput): Promise<Migration> {
    const { directory, limits } = this.deps;
    if (input.externalId) {
      const existing = await this.findByExternalId(input.tenantId, input.externalId);
      if (existing) return existing;
    }
    if (!limits.enabled) {
      throw new MigrationRefused(DareErrorCode.migrationsNotSupported, 'migrations are disabled', 400);
    }
    const target = this.deps.resolveLocation(input.location);
    if (!target) {
      throw new MigrationRefused(
        DareErrorCode.locationNotSupported,
        `location ${input.location} is not supported`,
        400,
      );
    }
    const tenant = await directory.tenant.findUnique({ where: { id: input.tenantId } });
    if (tenant?.state !== 'active') {
      throw new MigrationRefused(DareErrorCode.other, 'tenant is not active', 409);
    }
    const now = this.now();
    const superseded: Migration[] = [];
    const created = await directory.$transaction(async (tx) => {
      // Serialises schedulers, so the cap and the uniqueness checks cannot race.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_SCHEDULE_LOCK}::bigint)`;
      if (input.externalId) {
        const again = await tx.migration.findUnique({
          where: { tenantId_externalId: { tenantId: input.tenantId, externalId: input.externalId } },
        });
        if (again) return again;
      }
      const mine = await tx.migration.findMany({
        where: { tenantId: input.tenantId, state: { in: [...ACTIVE_STATES] } },
      });
      for (const m of mine) {
        if (m.state !== 'scheduled' && m.state !== 'pre_copying') {
          throw new MigrationRefused(
            DareErrorCode.tooManyMigrations,
            'another migration of this tenant is in progress',
            409,
          );
        }
      }
      const active = await tx.migration.count({ where: { state: { in: [...ACTIVE_STATES] } } });
      if (active - mine.length >= limits.maxConcurrent) {
        throw new MigrationRefused(DareErrorCode.tooManyMigrations, 'too many concurrent migrations', 429);
      }
      for (const m of mine) {
        await moveState(tx, m, 'cancelled', now, { detail: { reason: 'superseded' } });
        superseded.push(m);
      }
      // Until /start the only deadline is the expiry of an unstarted migration (window end, or
      // the schedule for operator migrations without a window, plus a grace period).
      const deadlineAt = new Date((input.windowEnd ?? now).getTime() + MIGRATION_TIMING.unstartedGraceMs);
      const m = await tx.migration.create({
        data: {
          tenantId: input.tenantId,
          externalId: input.externalId,
          origin: input.origin,
          sourceRegion: tenant.homeRegion,
          targetRegion: target.id,
          location: input.location,
          autoCommit: input.autoCommit,
          windowStart: input.windowStart,
          windowEnd: input.windowEnd,
          deadlineAt,
          requestedBy: input.requestedBy,
          progress: { phase: 'scheduled' },
          ...(tenant.homeRegion === target.id ? { cleanupDoneAt: now } : {}),
        },
      });
      await tx.migrationEvent.create({
        data: {
          migrationId: m.id,
          fromState: null,
          toState: 'scheduled',
          at: now,
          detail: { origin: input.origin },
        },
      });
      return m;
    });
    for (const m of superseded) await this.enqueue(m, 'rollback');
    // Pre-copy now when the window is near; otherwise the sweeper queues it when it is due.
    await this.ensureProgressing(created);
    return created;
  }

  /**
   * Starts the copy: freezes the tenant's writes (the router refuses writes while
   * `frozenByMigration` is set), tells every router, and queues the copy. Idempotent: a
   * migration already started is returned as it is.
   */
  start(m: Migration): Promise<Migration> {
    return this.withFreshState(m, (fresh) => this.startOnce(fresh));
  }

  private async startOnce(m: Migration): Promise<Migration> {
    m = await this.enforceDeadline(m);
    if (m.state === 'cancelled') {
      throw new MigrationRefused(DareErrorCode.notScheduled, 'the migration was superseded', 404);
    }
    if (m.state !== 'scheduled' && m.state !== 'pre_copying') {
      await this.ensureProgressing(m);
      return m;
    }
    const now = this.now();
    // The budget of maxMigrationDurationHours starts now, whenever Atlassian starts (even after
    // the announced window): Atlassian polls /status for that long after /start.
    const deadlineAt = new Date(now.getTime() + this.deps.limits.maxDurationHours * HOUR_MS);
    if (m.sourceRegion === m.targetRegion) {
      await this.deps.directory.$transaction((tx) =>
        moveState(tx, m, 'ready_to_commit', now, {
          detail: { noDataMovement: true },
          data: {
            deadlineAt,
            progress: { phase: 'ready' },
            report: { noDataMovement: true, sourceRegion: m.sourceRegion, targetRegion: m.targetRegion },
          },
        }),
      );
      return (await this.get(m.id)) as Migration;
    }
    await this.deps.directory.$transaction(async (tx) => {
      const frozen = await tx.tenant.updateMany({
        where: { id: m.tenantId, homeRegion: m.sourceRegion, frozenByMigration: null },
        data: { frozenByMigration: m.id, revision: { increment: 1 } },
      });
      if (frozen.count !== 1) {
        throw new MigrationRefused(
          DareErrorCode.other,
          'tenant is frozen or moved by another migration',
          409,
        );
      }
      await moveState(tx, m, 'frozen', now, { data: { deadlineAt, progress: { phase: 'frozen' } } });
    });
    await this.publish(m.tenantId);
    await this.enqueue(m, 'copy');
    return (await this.get(m.id)) as Migration;
  }

  /** Atlassian's status answer for a migration (null = unknown migrationId → E0001). */
  async status(m: Migration | null): Promise<DareStatus> {
    if (!m) return { status: 'failed', errorResponseCode: DareErrorCode.notScheduled };
    m = await this.enforceDeadline(m);
    if (m.state === 'ready_to_commit' || m.state === 'committed') return { status: 'ready-to-commit' };
    if (ABANDONED_STATES.includes(m.state)) {
      return { status: 'failed', errorResponseCode: m.errorCode ?? DareErrorCode.other };
    }
    // Polling is frequent: a cheap moment to repair a lost job (Redis restart).
    await this.ensureProgressing(m);
    const p = (m.progress ?? {}) as MigrationProgress;
    return {
      status: 'in-progress',
      progress: progressPercent(m.state, m.progress),
      detail: {
        state: m.state,
        phase: p.phase,
        rows: p.rows,
        objects: p.objects,
        bytes: p.bytes,
        etaSeconds: p.etaSeconds,
      },
    };
  }

  /**
   * Commits: in ONE directory transaction the tenant's home flips to the target, the freeze is
   * lifted and the revision bumped; then every router is told and the post-commit job (report,
   * deletion of the source copy) is queued. Idempotent: a committed migration is returned.
   */
  commit(m: Migration): Promise<Migration> {
    return this.withFreshState(m, (fresh) => this.commitOnce(fresh));
  }

  private async commitOnce(m: Migration): Promise<Migration> {
    if (m.state === 'committed') {
      await this.ensureProgressing(m);
      return m;
    }
    if (m.state !== 'ready_to_commit') {
      throw new MigrationRefused(DareErrorCode.other, `migration is ${m.state}, not ready to commit`, 409);
    }
    const now = this.now();
    await this.deps.directory.$transaction(async (tx) => {
      const flipped = await tx.tenant.updateMany({
        where: {
          id: m.tenantId,
          homeRegion: m.sourceRegion,
          frozenByMigration: m.sourceRegion === m.targetRegion ? null : m.id,
        },
        data: { homeRegion: m.targetRegion, frozenByMigration: null, revision: { increment: 1 } },
      });
      if (flipped.count !== 1) {
        throw new MigrationRefused(DareErrorCode.other, 'tenant changed during the migration', 409);
      }
      const report = {
        ...((m.report as Record<string, unknown> | null) ?? {}),
        committedAt: now.toISOString(),
      };
      await moveState(tx, m, 'committed', now, { data: { report, progress: { phase: 'committed' } } });
    });
    await this.publish(m.tenantId);
    const committed = (await this.get(m.id)) as Migration;
    await this.ensureProgressing(committed);
    return committed;
  }

  /**
   * Rolls back (Atlassian) or cancels (operator): the tenant stays home and is unfrozen at
   * once; the target copy is deleted by the `rollback` job. Refused after commit.
   */
  async rollback(
    m: Migration,
    to: 'rolled_back' | 'cancelled' = 'rolled_back',
    reason?: string,
  ): Promise<Migration> {
    if (m.state === 'committed') {
      throw new MigrationRefused(DareErrorCode.other, 'the migration is already committed', 409);
    }
    if (m.state === to || m.state === 'rolled_back' || m.state === 'cancelled') {
      await this.ensureProgressing(m);
      return m;
    }
    if (!canTransition(m.state, to)) {
      throw new MigrationRefused(DareErrorCode.other, `cannot go from ${m.state} to ${to}`, 409);
    }
    const now = this.now();
    await this.deps.directory.$transaction(async (tx) => {
      await moveState(tx, m, to, now, { detail: reason ? { reason } : undefined });
      await unfreeze(tx, m);
    });
    await this.publish(m.tenantId);
    const rolled = (await this.get(m.id)) as Migration;
    await this.ensureProgressing(rolled);
    return rolled;
  }

  /** Marks a migration failed with a code (unfreezing the tenant) and queues the target cleanup. */
  async fail(m: Migration, code: string, message: string): Promise<Migration> {
    if (!ACTIVE_STATES.includes(m.state)) return m;
    const now = this.now();
    try {
      await this.deps.directory.$transaction(async (tx) => {
        await moveState(tx, m, 'failed', now, {
          detail: { errorCode: code, message },
          data: { errorCode: code, errorMessage: message.slice(0, 500) },
        });
        await unfreeze(tx, m);
      });
    } catch (err) {
      if (!(err instanceof MigrationStateChanged)) throw err;
      return (await this.get(m.id)) as Migration;
    }
    await this.publish(m.tenantId);
    const failed = (await this.get(m.id)) as Migration;
    await this.ensureProgressing(failed);
    return failed;
  }

  /**
   * Fails a migration whose deadline passed before it became ready to commit: a started one
   * after `maxMigrationDurationHours`, an unstarted one after its window plus the grace period.
   */
  async enforceDeadline(m: Migration): Promise<Migration> {
    if (
      m.deadlineAt &&
      m.deadlineAt.getTime() < this.now().getTime() &&
      ACTIVE_STATES.includes(m.state) &&
      m.state !== 'ready_to_commit'
    ) {
      const unstarted = m.state === 'scheduled' || m.state === 'pre_copying';
      return this.fail(
        m,
        DareErrorCode.other,
        unstarted
          ? 'the migration was never started and its window is over'
          : 'maxMigrationDurationHours passed before the copy was verified',
      );
    }
    return m;
  }

  /** When the pre-copy of a scheduled migration may begin (at once when it has no window). */
  static preCopyDueAt(m: Pick<Migration, 'windowStart'>): Date {
    return new Date((m.windowStart?.getTime() ?? 0) - MIGRATION_TIMING.preCopyLeadMs);
  }

  /** The pipeline steps that should be queued for a migration in its current state at `now`. */
  static pendingSteps(m: Migration, now: Date = new Date()): MigrationStep[] {
    if (m.sourceRegion === m.targetRegion) return [];
    switch (m.state) {
      case 'scheduled':
        return now >= MigrationCoordinator.preCopyDueAt(m) ? ['pre-copy'] : [];
      case 'pre_copying':
        return ['pre-copy'];
      case 'frozen':
      case 'copying':
      case 'verifying':
        return ['copy'];
      case 'committed':
        return m.cleanupDoneAt ? [] : ['commit', 'cleanup-source'];
      case 'failed':
      case 'rolled_back':
      case 'cancelled':
        return m.cleanupDoneAt ? [] : ['rollback'];
      default:
        return [];
    }
  }

  /** Makes sure the job that moves this migration on exists (no-op when it does). */
  async ensureProgressing(m: Migration): Promise<void> {
    for (const step of MigrationCoordinator.pendingSteps(m, this.now())) await this.enqueue(m, step);
  }

  /**
   * The sweeper: enforces deadlines and re-enqueues the steps of every unfinished migration
   * from or to `region` (each step on the queue of the region that runs it, see `stepRegion`).
   * Repairs what a Redis loss or a failed cross-region enqueue dropped; Postgres is the truth.
   */
  async sweep(region: string): Promise<number> {
    const open = await this.deps.directory.migration.findMany({
      where: {
        AND: [
          { OR: [{ sourceRegion: region }, { targetRegion: region }] },
          { OR: [{ state: { in: [...ACTIVE_STATES] } }, { cleanupDoneAt: null }] },
        ],
      },
      take: 500,
    });
    for (const m of open) {
      const current = await this.enforceDeadline(m);
      await this.ensureProgressing(current);
    }
    return open.length;
  }

  /**
   * Runs `work` on the current row; when the worker moved the migration in between (e.g.
   * scheduled → pre_copying while a start arrives), re-reads it and tries again.
   */
  private async withFreshState(
    m: Migration,
    work: (fresh: Migration) => Promise<Migration>,
  ): Promise<Migration> {
    for (let attempt = 0; ; attempt++) {
      const fresh = await this.get(m.id);
      if (!fresh) throw new MigrationRefused(DareErrorCode.notScheduled, 'no such migration', 404);
      try {
        return await work(fresh);
      } catch (err) {
        if (!(err instanceof MigrationStateChanged) || attempt >= 4) throw err;
      }
    }
  }

  private async enqueue(m: Migration, step: MigrationStep): Promise<void> {
    try {
      await this.deps.jobs.enqueue(m.id, step, stepRegion(m, step));
    } catch (err) {
      // The state is in Postgres; the sweeper (or the next status poll) enqueues it again.
      this.deps.onSideEffectError?.(err, `enqueue ${step}`);
    }
  }

  private async publish(tenantId: string): Promise<void> {
    try {
      await this.deps.publishTenantChanged(tenantId);
    } catch (err) {
      this.deps.onSideEffectError?.(err, 'publish tenant change');
    }
  }
}
