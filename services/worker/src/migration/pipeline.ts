import { deleteTenantRows, type directory, TENANT_TABLES } from '@rt/db';
import type { JobPayload } from '@rt/queue';
import {
  ABANDONED_STATES,
  DareErrorCode,
  type Migration,
  MigrationCoordinator,
  type MigrationProgress,
  MigrationStateChanged,
  type MigrationStep,
  stepRegion,
} from '@rt/residency';
import type { Job } from 'bullmq';
import type { WorkerDeps } from '../deps.js';
import type { MigrationContext } from './context.js';
import {
  type Bucket,
  type CopyProof,
  CorruptObject,
  copyObject,
  copyObjectServerSide,
  deleteObjects,
  forEachLimited,
  type ListedObject,
  listObjects,
  sha256Hex,
  tenantAssetObjects,
} from './objects.js';
import {
  type AppliedRows,
  applyTenantRowDelta,
  checksumOfDigests,
  checksumTenantRows,
  type DigestAlgorithm,
  ExportStreamInvalid,
  localDigestAlgorithm,
  type TableChecksum,
  tenantRowDigests,
} from './rows.js';
import { RegionExportFailed } from './source-client.js';
import { liftSettledWriteFences } from './write-fence.js';

/** The copy does not match the source: not retried, the migration fails with E9999. */
export class VerificationFailed extends Error {
  constructor(readonly mismatches: string[]) {
    super(`verification failed: ${mismatches.slice(0, 5).join('; ')}`);
    this.name = 'VerificationFailed';
  }
}

const VERIFIED_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The objects the tenant's asset rows need and the keys this migration has proven in the
 * target, as the copy step left them (a verify in the same job reads neither again).
 */
interface CopiedObjects {
  wanted: Map<string, ListedObject>;
  proven: Set<string>;
  /** Target checksums still valid after the copy (tables the delta did not write). */
  untouchedRows: Record<string, TableChecksum>;
}

/**
 * Estimated seconds left in the current phase, from its rate so far (bytes when the phase moves
 * bytes, else rows or objects); undefined until something has moved.
 */
export function estimateEtaSeconds(p: MigrationProgress, elapsedMs: number): number | undefined {
  const counter = [p.bytes, p.rows, p.objects].find((c) => c && c.total > 0 && c.done > 0);
  if (!counter || elapsedMs <= 0) return undefined;
  if (counter.done >= counter.total) return 0;
  return Math.ceil(((elapsedMs / counter.done) * (counter.total - counter.done)) / 1000);
}

/** Writes Migration.progress at most every `intervalMs` (and always on `flush`), with an ETA. */
class ProgressReporter {
  private last = 0;
  private phaseStartedAt = Date.now();
  private baseline: { rows: number; bytes: number; objects: number } = { rows: 0, bytes: 0, objects: 0 };
  readonly state: MigrationProgress;
  constructor(
    private readonly deps: WorkerDeps,
    private readonly migrationId: string,
    private readonly intervalMs: number,
    initial: MigrationProgress,
  ) {
    this.state = { ...initial };
  }
  async update(patch: Partial<MigrationProgress>, force = false): Promise<void> {
    if (patch.phase && patch.phase !== this.state.phase) {
      this.phaseStartedAt = Date.now();
      this.baseline = { rows: -1, bytes: -1, objects: -1 };
    }
    Object.assign(this.state, patch);
    // What was already done when the phase began (pre-copied objects) does not count as speed.
    for (const k of ['rows', 'bytes', 'objects'] as const) {
      if (this.baseline[k] < 0 && this.state[k]) this.baseline[k] = this.state[k].done;
    }
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    const moved = (k: 'rows' | 'bytes' | 'objects') => {
      const c = this.state[k];
      return c
        ? { done: c.done - Math.max(0, this.baseline[k]), total: c.total - Math.max(0, this.baseline[k]) }
        : undefined;
    };
    this.state.etaSeconds = estimateEtaSeconds(
      { bytes: moved('bytes'), rows: moved('rows'), objects: moved('objects') },
      now - this.phaseStartedAt,
    );
    await this.deps.directory.migration.update({
      where: { id: this.migrationId },
      data: { progress: { ...this.state, updatedAt: new Date(now).toISOString() } },
    });
  }
  flush(): Promise<void> {
    return this.update({}, true);
  }
}

type Json = directory.Prisma.InputJsonValue;
const reportOf = (m: Migration): Record<string, unknown> =>
  (m.report as Record<string, unknown> | null) ?? {};

async function reload(deps: WorkerDeps, id: string): Promise<Migration | null> {
  return deps.directory.migration.findUnique({ where: { id } });
}

/**
 * Serialises the migration jobs of one tenant in one region with a Postgres session advisory
 * lock on the database of the region that runs the step (each worker writes only its own). A
 * worker killed with -9 loses its connection and so its lock; the stalled job then runs again.
 */
async function withTenantLock<T>(
  ctx: MigrationContext,
  m: Migration,
  step: MigrationStep,
  work: () => Promise<T>,
): Promise<T> {
  const client = await ctx.region(stepRegion(m, step)).pool.connect();
  const key = `rt-migration:${m.tenantId}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    return await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
    client.release();
  }
}

/** A region's own bucket, as its worker writes it. */
const bucketOf = (ctx: MigrationContext, region: string): Bucket => {
  const r = ctx.region(region);
  return { s3: r.s3, bucket: r.bucket };
};

/**
 * The source bucket as the target region reaches it: through the TARGET's own S3 client
 * (its credentials; IAM lets it read the source bucket's `tenants/*`), so CopyObject runs inside
 * S3 and the bytes never pass through a worker.
 */
const sourceBucketOf = (ctx: MigrationContext, m: Migration): Bucket => ({
  s3: ctx.region(m.targetRegion).s3,
  bucket: ctx.bucketName(m.sourceRegion),
});

/**
 * Makes the target's object set equal to the source's: deletes stale target objects, copies
 * the missing ones (each proven against its content address and recorded as verified).
 * Immutable, content-addressed keys make this resumable at any point.
 */
async function syncObjects(
  deps: WorkerDeps,
  ctx: MigrationContext,
  m: Migration,
  progress: ProgressReporter,
  shouldStop: () => Promise<boolean>,
  known?: { src: Map<string, ListedObject>; proven: Set<string>; dst: Map<string, ListedObject> },
): Promise<{
  copied: number;
  copiedKeys: string[];
  proofs: Partial<Record<CopyProof, number>>;
  bytesCopied: number;
  objects: number;
  bytes: number;
}> {
  const source = sourceBucketOf(ctx, m);
  const target = bucketOf(ctx, m.targetRegion);
  let src: Map<string, ListedObject>;
  let dst: Map<string, ListedObject>;
  let missing: [string, ListedObject][];
  if (known) {
    // During the freeze: the source listing was taken after the freeze, and what this
    // migration already copied and proved needs no second listing of the target (verify lists
    // the target once, after the copy). Unproven objects are simply copied again.
    src = known.src;
    dst = known.dst;
    missing = [...src].filter(([key]) => !known.proven.has(key));
  } else {
    const [s, d] = await Promise.all([
      ctx.source(m.sourceRegion, m.targetRegion).listObjects(m.id),
      listObjects(target, m.tenantId),
    ]);
    src = s;
    dst = d;
    const stale = [...dst.keys()].filter((k) => !src.has(k));
    if (stale.length) await deleteObjects(target, m.tenantId, stale);
    missing = [...src].filter(([key, o]) => dst.get(key)?.size !== o.size);
  }
  const bytes = [...src.values()].reduce((a, o) => a + o.size, 0);
  let done = src.size - missing.length;
  let bytesDone = bytes - missing.reduce((a, [, o]) => a + o.size, 0);
  let copied = 0;
  const copiedKeys: string[] = [];
  let bytesCopied = 0;
  await progress.update(
    { objects: { done, total: src.size }, bytes: { done: bytesDone, total: bytes } },
    true,
  );
  const verifiedKey = ctx.verifiedKey(m.id);
  const proofs: Partial<Record<CopyProof, number>> = {};
  // Proven keys reach Redis in batches (one round trip per object would cost as much as a
  // copy); a crash loses at most a batch, which is then copied and proven again.
  let unrecorded: string[] = [];
  const record = async () => {
    if (!unrecorded.length) return;
    const keys = unrecorded;
    unrecorded = [];
    await deps.redis.sadd(verifiedKey, ...keys);
  };
  let stop = false;
  await forEachLimited(missing, ctx.tuning.objectConcurrency, async ([key, listed]) => {
    if (stop) return;
    let n: number;
    if (ctx.tuning.serverSideCopy) {
      const copy = await copyObjectServerSide(source, target, key, {
        listed,
        fresh: !dst.has(key),
        etagProvesCopy: ctx.tuning.etagProvesCopy,
      });
      n = copy.bytes;
      proofs[copy.proof] = (proofs[copy.proof] ?? 0) + 1;
    } else {
      n = await copyObject(source, target, key);
      proofs['read-back'] = (proofs['read-back'] ?? 0) + 1;
    }
    unrecorded.push(key);
    if (unrecorded.length >= 100) await record();
    copiedKeys.push(key);
    done++;
    copied++;
    bytesDone += n;
    bytesCopied += n;
    await progress.update({ objects: { done, total: src.size }, bytes: { done: bytesDone, total: bytes } });
    if (copied % 50 === 0 && (await shouldStop())) stop = true;
  });
  await record();
  await deps.redis.expire(verifiedKey, VERIFIED_TTL_SECONDS);
  await progress.flush();
  return { copied, copiedKeys, proofs, bytesCopied, objects: src.size, bytes };
}

/**
 * Brings the target's copy of the tenant's rows up to the source's: the target sends the bucket
 * digests of what it holds (computed by its Postgres), the source compares them with its own
 * (one snapshot) and answers only the rows of buckets that differ, with the keys it has there so
 * the target drops the others; the target applies them in one transaction. Before the freeze
 * this pre-copies everything; during the freeze it moves only the buckets that changed since —
 * none for an unchanged tenant, which then costs one digest round trip.
 */
async function pullRows(
  ctx: MigrationContext,
  m: Migration,
  onRows: (n: number, changes: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<PulledRows> {
  const target = ctx.region(m.targetRegion);
  const source = ctx.source(m.sourceRegion, m.targetRegion);
  const apply = async (replace: boolean, algorithm: DigestAlgorithm): Promise<PulledRows> => {
    const held = replace ? {} : await tenantRowDigests(target.pool, m.tenantId, algorithm);
    const lines = source.rows(m.id, held, algorithm, signal);
    const applied = await applyTenantRowDelta(target.pool, m.tenantId, lines, {
      batchRows: ctx.tuning.rowBatchSize,
      replace,
      onRows,
    });
    // The target's checksums of the tables the delta did not write are those it just sent.
    const untouched = Object.fromEntries(
      Object.entries(held)
        .filter(([table]) => !applied.touched.includes(table))
        .map(([table, d]) => [table, checksumOfDigests(d.digests)]),
    );
    return { ...applied, algorithm, untouched };
  };
  const attempt = async (replace: boolean) => {
    try {
      return await apply(replace, await localDigestAlgorithm(target.pool));
    } catch (err) {
      // The source runs another Postgres major version: its row hashes are not comparable.
      if (err instanceof RegionExportFailed && err.code === 'ROW_DIGEST_ALGORITHM')
        return apply(replace, 'text');
      throw err;
    }
  };
  // One pull of a migration's rows at a time on the target: the target's digests, the delta
  // computed from them and its application belong together, and the digests of the tables the
  // delta did not write are reused by verify, so nothing may write the copy in between. The
  // steps of a tenant already run one at a time (withTenantLock); this lock keeps the pull
  // itself exclusive whoever calls it. The target's own, per migration, released with the
  // session.
  const lock = await target.pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`rt.migration-rows:${m.id}`]);
    // A pre-copy that waited for the freeze's pull has nothing left to do.
    signal?.throwIfAborted();
    try {
      return await attempt(false);
    } catch (err) {
      // A unique index can collide in the middle of a delta (two rows trading a unique value);
      // a fresh full copy cannot.
      if ((err as { code?: string }).code === '23505') return attempt(true);
      throw err;
    }
  } finally {
    await lock
      .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`rt.migration-rows:${m.id}`])
      .catch(() => undefined);
    lock.release();
  }
}

/** What {@link pullRows} did, with what verification needs of it. */
interface PulledRows extends AppliedRows {
  /** The row-hash algorithm both sides used. */
  algorithm: DigestAlgorithm;
  /**
   * The target's checksums, computed by its Postgres just before the delta, of the tables the
   * delta did not write: still the checksums of those tables' rows as committed.
   */
  untouched: Record<string, TableChecksum>;
}

/**
 * Pre-copy at schedule time, while the tenant keeps working: the objects (immutable), then the
 * rows of one consistent snapshot, so the freeze moves only what changes after this.
 */
async function preCopy(deps: WorkerDeps, ctx: MigrationContext, m: Migration): Promise<void> {
  // Queued only when due (a day before the window); a job that arrives early waits for the sweeper.
  if (m.state === 'scheduled' && deps.now() < MigrationCoordinator.preCopyDueAt(m)) return;
  if (m.state === 'scheduled') m = await ctx.coordinator.advance(m, 'pre_copying');
  if (m.state !== 'pre_copying') return;
  const finishedAt = (reportOf(m).preCopy as { finishedAt?: string } | undefined)?.finishedAt;
  if (
    (m.progress as MigrationProgress | null)?.phase === 'pre-copied' &&
    finishedAt &&
    deps.now().getTime() - Date.parse(finishedAt) < ctx.tuning.preCopyRefreshMs
  )
    return;
  const started = Date.now();
  const progress = new ProgressReporter(deps, m.id, ctx.tuning.progressIntervalMs, { phase: 'pre-copy' });
  const stillPreCopying = async () => (await reload(deps, m.id))?.state !== 'pre_copying';
  // Objects and rows at once: the rows are a few round trips to Postgres while the objects wait
  // on S3, so neither holds the other up. A start that arrives meanwhile aborts the row pull
  // (rolled back; the freeze moves the rows itself) instead of waiting for it to finish.
  const abort = new AbortController();
  const watch = setInterval(() => {
    void stillPreCopying()
      .then((stop) => stop && abort.abort())
      .catch(() => undefined);
  }, 200);
  let rowsDone = 0;
  const pullingRows = (async () => {
    const t = Date.now();
    const applied = await pullRows(
      ctx,
      m,
      async (n, changes) => {
        rowsDone += n;
        await progress.update({ rows: { done: rowsDone, total: changes } });
      },
      abort.signal,
    );
    return { upserted: applied.upserted, deleted: applied.deleted, ms: Date.now() - t };
  })();
  // Both settle before the step ends (a failure of one must not leave the other writing).
  const [objects, pulled] = await Promise.allSettled([
    syncObjects(deps, ctx, m, progress, stillPreCopying),
    pullingRows,
  ]).finally(() => clearInterval(watch));
  if (abort.signal.aborted) return;
  if (objects.status === 'rejected') throw objects.reason;
  if (pulled.status === 'rejected') throw pulled.reason;
  const { copiedKeys: _, ...stats } = objects.value;
  const rows = pulled.value;
  await progress.update({ rows: { done: rows.upserted, total: rows.upserted } }, true);
  // A start that arrived meanwhile owns the progress from here on.
  if (await stillPreCopying()) return;
  await progress.update({ phase: 'pre-copied' }, true);
  const fresh = (await reload(deps, m.id)) as Migration;
  await deps.directory.migration.update({
    where: { id: m.id },
    data: {
      report: {
        ...reportOf(fresh),
        preCopy: { ...stats, rows, ms: Date.now() - started, finishedAt: deps.now().toISOString() },
      },
    },
  });
}

/**
 * Copy (rows, then the objects not yet present) and verify, during the freeze. Runs on the
 * target region's worker: rows are pulled from the source region's export endpoint and imported
 * in bulk, objects are copied inside S3.
 */
async function copyAndVerify(deps: WorkerDeps, ctx: MigrationContext, m: Migration): Promise<Migration> {
  const timings: Record<string, number> = {};
  const progress = new ProgressReporter(deps, m.id, ctx.tuning.progressIntervalMs, {
    ...((m.progress as MigrationProgress | null) ?? {}),
  });
  const stopped = async () => (await reload(deps, m.id))?.state !== 'copying';
  if (m.state === 'frozen') m = await ctx.coordinator.advance(m, 'copying');
  // What the copy step established, handed to the verify step when it runs in the same job.
  let known: CopiedObjects | undefined;
  let freezeProofs: Partial<Record<CopyProof, number>> | undefined;
  if (m.state === 'copying') {
    const started = Date.now();
    const target = bucketOf(ctx, m.targetRegion);
    await progress.update({ phase: 'copy-rows', rows: { done: 0, total: 0 } }, true);
    const proven = new Set(await deps.redis.smembers(ctx.verifiedKey(m.id)));
    // Rows and objects at once. The objects the tenant needs are those of its asset rows, which
    // the frozen source answers from its database: what this migration already copied and
    // proved is in Redis, only the rest is copied (the target is listed only then, to know
    // which keys are new). No bucket is listed for a pre-copied tenant.
    const copyObjects = async (src: Map<string, ListedObject>) => {
      const dst = [...src.keys()].some((k) => !proven.has(k))
        ? await listObjects(target, m.tenantId)
        : new Map<string, ListedObject>();
      return syncObjects(deps, ctx, m, progress, stopped, { src, proven: new Set(proven), dst });
    };
    const objectsCopied = ctx
      .source(m.sourceRegion, m.targetRegion)
      .assetObjects(m.id)
      .then(copyObjects)
      .then((stats) => ({ stats, ms: Date.now() - started }));
    let rowsDone = 0;
    // Only the rows of buckets that changed since the pre-copy (all of them when there was none).
    const rowsCopied = pullRows(ctx, m, async (n, changes) => {
      rowsDone += n;
      await progress.update({ rows: { done: rowsDone, total: changes } });
    }).then(async (imported) => {
      const ms = Date.now() - started;
      await progress.update(
        { phase: 'copy-objects', rows: { done: imported.upserted, total: imported.upserted } },
        true,
      );
      return { imported, ms };
    });
    // Both settle before the step goes on (a failure of one must not leave the other writing).
    const [objects, rows] = await Promise.allSettled([objectsCopied, rowsCopied]);
    if (rows.status === 'rejected') throw rows.reason;
    if (objects.status === 'rejected') throw objects.reason;
    const { imported } = rows.value;
    timings.copyRowsMs = rows.value.ms;
    timings.rowsChangedDuringFreeze = imported.upserted;
    timings.rowsDeletedDuringFreeze = imported.deleted;
    timings.rowsMovedDuringFreeze = imported.received;
    // The source's checksums travel with the rows (same snapshot); kept for the verify step.
    const fresh = (await reload(deps, m.id)) as Migration;
    await deps.directory.migration.update({
      where: { id: m.id },
      data: {
        report: {
          ...reportOf(fresh),
          sourceRows: imported.sourceChecksums,
          rowDigestAlgorithm: imported.algorithm,
        } as unknown as Json,
      },
    });
    m = fresh;
    if (await stopped()) return (await reload(deps, m.id)) as Migration;
    let { stats } = objects.value;
    for (const key of stats.copiedKeys) proven.add(key);
    // The asset rows now in the target (verified next) are what must exist: anything they need
    // that was not copied yet is copied now.
    const wanted = await tenantAssetObjects(ctx.region(m.targetRegion).pool, m.tenantId);
    if ([...wanted.keys()].some((k) => !proven.has(k))) {
      const more = await copyObjects(wanted);
      for (const key of more.copiedKeys) proven.add(key);
      const proofs = { ...stats.proofs };
      for (const [k, n] of Object.entries(more.proofs) as [CopyProof, number][])
        proofs[k] = (proofs[k] ?? 0) + n;
      stats = { ...more, copied: stats.copied + more.copied, proofs };
    }
    timings.copyObjectsMs = Date.now() - started;
    timings.objectsCopiedDuringFreeze = stats.copied;
    freezeProofs = stats.proofs;
    if (await stopped()) return (await reload(deps, m.id)) as Migration;
    known = { wanted, proven, untouchedRows: imported.untouched };
    m = await ctx.coordinator.advance(m, 'verifying', {
      data: { progress: { ...progress.state, phase: 'verify' } },
    });
  }
  if (m.state === 'verifying') {
    const t = Date.now();
    const verification = await verify(deps, ctx, m, known);
    timings.verifyMs = Date.now() - t;
    const events = await deps.directory.migrationEvent.findMany({ where: { migrationId: m.id } });
    const at = (s: string) => events.find((e) => e.toState === s)?.at.getTime();
    const now = deps.now().getTime();
    const fresh = (await reload(deps, m.id)) as Migration;
    const report = {
      ...reportOf(fresh),
      sourceRegion: m.sourceRegion,
      targetRegion: m.targetRegion,
      ...verification,
      ...(freezeProofs ? { objectProofsDuringFreeze: freezeProofs } : {}),
      durations: {
        ...timings,
        freezeMs: at('frozen') ? now - (at('frozen') as number) : undefined,
        totalMs: at('scheduled') ? now - (at('scheduled') as number) : undefined,
      },
      verifiedAt: new Date(now).toISOString(),
    };
    m = await ctx.coordinator.advance(fresh, 'ready_to_commit', {
      data: {
        // Fields left undefined (a duration not measured) are dropped when stored, as JSON.
        report: report as unknown as Json,
        progress: {
          ...progress.state,
          phase: 'ready',
          etaSeconds: 0,
          updatedAt: new Date(now).toISOString(),
        },
      },
    });
  }
  return m;
}

/**
 * Verification, on the target, without a second full read of the source: per table, row count
 * and the order-independent checksum of the rows as committed, computed by the target's
 * Postgres, compared with the source's (computed by the source's Postgres in the export
 * snapshot); then every object the (now verified) asset rows need must have been proven by this
 * migration — its copy checked by the store's SHA-256 of the copy, by the copy's ETag against the
 * MD5 recorded at upload, or by reading it back — and whatever is not is copied again and proven
 * now. Objects copied earlier whose asset has since been deleted are removed from the target.
 * No bucket is listed: the asset rows say what must exist, the proofs that it does.
 */
async function verify(deps: WorkerDeps, ctx: MigrationContext, m: Migration, known?: CopiedObjects) {
  const target = ctx.region(m.targetRegion);
  const mismatches: string[] = [];
  const sb = sourceBucketOf(ctx, m);
  const tb = bucketOf(ctx, m.targetRegion);
  const srcRows = (reportOf(m).sourceRows ?? {}) as Record<string, TableChecksum>;
  const algorithm = (reportOf(m).rowDigestAlgorithm ?? 'text') as DigestAlgorithm;
  // Tables the delta did not write keep the checksums the target's Postgres computed at the
  // start of the copy; the others are computed again now.
  const reuse = known?.untouchedRows ?? {};
  const [computed, wanted, proven] = await Promise.all([
    checksumTenantRows(
      target.pool,
      m.tenantId,
      algorithm,
      TENANT_TABLES.filter((t) => !reuse[t.name]),
    ),
    known?.wanted ?? tenantAssetObjects(target.pool, m.tenantId),
    known?.proven ?? deps.redis.smembers(ctx.verifiedKey(m.id)).then((k) => new Set(k)),
  ]);
  const dstRows = Object.fromEntries(
    TENANT_TABLES.map((t) => [t.name, (reuse[t.name] ?? computed[t.name]) as TableChecksum]),
  );
  if (!Object.keys(srcRows).length) mismatches.push('no source checksums recorded by the copy');
  for (const [table, d] of Object.entries(dstRows)) {
    const s = srcRows[table];
    if (!s || d.count !== s.count || d.sha256 !== s.sha256) {
      mismatches.push(
        `${table}: source ${s?.count}/${s?.sha256.slice(0, 12)} target ${d.count}/${d.sha256.slice(0, 12)}`,
      );
    }
  }
  if (mismatches.length) throw new VerificationFailed(mismatches);
  // Left over from the pre-copy (the asset was deleted before the freeze): not part of the copy.
  const stale = [...proven].filter((k) => !wanted.has(k));
  if (stale.length) await deleteObjects(tb, m.tenantId, stale);
  const unproven = [...wanted].filter(([k]) => !proven.has(k));
  await forEachLimited(unproven, ctx.tuning.objectConcurrency, async ([key, listed]) => {
    try {
      // Not known to be new in the target: proven by a store checksum or a read-back.
      await copyObjectServerSide(sb, tb, key, { listed, etagProvesCopy: ctx.tuning.etagProvesCopy });
      await deps.redis.sadd(ctx.verifiedKey(m.id), key);
    } catch (err) {
      if (err instanceof CorruptObject) mismatches.push(`object sha256 differs: ${key}`);
      else if ((err as { name?: string }).name === 'NoSuchKey')
        mismatches.push(`object missing in source: ${key}`);
      else throw err;
    }
  });
  if (mismatches.length) throw new VerificationFailed(mismatches);
  const listing = [...wanted]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, o]) => `${k} ${o.size}`)
    .join('\n');
  return {
    rows: dstRows,
    rowsTotal: Object.values(dstRows).reduce((a, t) => a + t.count, 0),
    objects: wanted.size,
    bytes: [...wanted.values()].reduce((a, o) => a + o.size, 0),
    objectListSha256: sha256Hex(Buffer.from(listing)),
    objectsProvenAtVerify: unproven.length,
    staleTargetObjectsRemoved: stale.length,
  };
}

/**
 * After the commit: make sure the source copy gets deleted. The routers were told by the
 * coordinator's commit (it publishes the tenant change once, after its transaction).
 */
async function afterCommit(ctx: MigrationContext, m: Migration): Promise<void> {
  await ctx.coordinator.ensureProgressing(m);
}

/** Deletes the copy a finished migration no longer needs, never the tenant's live one. */
async function deleteCopy(
  deps: WorkerDeps,
  ctx: MigrationContext,
  m: Migration,
  which: 'source' | 'target',
): Promise<void> {
  const region = which === 'source' ? m.sourceRegion : m.targetRegion;
  const tenant = await deps.directory.tenant.findUnique({ where: { id: m.tenantId } });
  const fresh = (await reload(deps, m.id)) as Migration;
  if (fresh.cleanupDoneAt) return;
  let result: Record<string, unknown> = { skipped: 'the tenant lives in this region' };
  if (tenant && tenant.homeRegion !== region) {
    const rows = (await deleteTenantRows(ctx.region(region).pool, m.tenantId)).tables;
    const objects = await deleteObjects(bucketOf(ctx, region), m.tenantId);
    result = { region, rows, objects };
  }
  await deps.redis.del(ctx.verifiedKey(m.id));
  await deps.directory.migration.update({
    where: { id: m.id },
    data: {
      cleanupDoneAt: deps.now(),
      report: {
        ...reportOf(fresh),
        [which === 'source' ? 'sourceDeleted' : 'targetDeleted']: { ...result, at: deps.now().toISOString() },
      } as Json,
    },
  });
}

/**
 * Runs one step of a migration. Steps are driven by the state in Postgres, not by the job
 * name alone, so a duplicate, late or re-run job does the right thing (usually nothing), and a
 * step interrupted at any point resumes: upserts and content-addressed objects make every
 * repetition harmless.
 */
export async function runMigrationStep(
  deps: WorkerDeps,
  payload: JobPayload<'migration'>,
  job?: Pick<Job, 'attemptsMade' | 'opts'>,
): Promise<string> {
  const ctx = deps.migration;
  const first = await reload(deps, payload.migrationId);
  if (!first) return 'unknown migration';
  // A step for a region whose database this worker does not hold is not ours to run (a queue
  // shared by mistake): left alone, never failed — that region's sweeper queues it there.
  if (!deps.regions.has(stepRegion(first, payload.step))) {
    deps.logger.warn({ migrationId: first.id, step: payload.step }, 'migration step of another region');
    return `not run here: ${payload.step} runs in ${stepRegion(first, payload.step)}`;
  }
  return withTenantLock(ctx, first, payload.step, async () => {
    let m = (await reload(deps, first.id)) as Migration;
    m = await ctx.coordinator.enforceDeadline(m);
    try {
      switch (payload.step) {
        case 'pre-copy':
          if (m.sourceRegion !== m.targetRegion) await preCopy(deps, ctx, m);
          break;
        case 'copy':
        case 'verify':
          m = await copyAndVerify(deps, ctx, m);
          if (m.state === 'ready_to_commit' && m.autoCommit) {
            m = await ctx.coordinator.commit(m);
            await afterCommit(ctx, m);
          }
          break;
        case 'commit':
          if (m.state === 'ready_to_commit' && m.autoCommit) m = await ctx.coordinator.commit(m);
          if (m.state === 'committed') await afterCommit(ctx, m);
          break;
        case 'cleanup-source':
          if (m.state === 'committed' && !m.cleanupDoneAt) await deleteCopy(deps, ctx, m, 'source');
          break;
        case 'rollback':
          if (ABANDONED_STATES.includes(m.state) && !m.cleanupDoneAt)
            await deleteCopy(deps, ctx, m, 'target');
          break;
      }
    } catch (err) {
      if (err instanceof MigrationStateChanged) return 'state changed by another caller';
      const lastAttempt = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const permanent =
        err instanceof VerificationFailed ||
        err instanceof CorruptObject ||
        err instanceof ExportStreamInvalid;
      if (permanent || lastAttempt) {
        const current = (await reload(deps, m.id)) as Migration;
        deps.logger.error({ migrationId: m.id, err: (err as Error).message }, 'migration failed');
        await ctx.coordinator.fail(current, DareErrorCode.other, (err as Error).message);
        if (permanent) return `failed: ${(err as Error).message}`;
      }
      throw err;
    }
    return (await reload(deps, m.id))?.state ?? 'gone';
  });
}

/**
 * Periodically re-enqueues the steps of unfinished migrations from or to this worker's region
 * and fails those past their deadline (Postgres is the truth; Redis may have lost the jobs). It
 * is also how a step reaches this region when the process that started the migration holds no
 * Redis of this region (on AWS each region's services hold only their own): a start in the
 * source region is picked up here within one interval, so the interval is short.
 */
export function startMigrationSweeper(deps: WorkerDeps, intervalMs = 5_000): { stop(): void } {
  const ctx = deps.migration;
  const sweep = () =>
    Promise.all([ctx.coordinator.sweep(deps.region), liftSettledWriteFences(deps)]).catch((err) =>
      deps.logger.warn({ err: (err as Error).message }, 'migration sweep failed'),
    );
  void sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
