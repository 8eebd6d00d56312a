import { randomUUID } from 'node:crypto';
import { createRegionDeletionSigner, createRegionDeletionVerifier, verifyRegionBearer } from '@rt/auth';
import {
  checkRegionDeletion,
  deleteTenantInRegion,
  emptyRegionReceipt,
  type RegionReceipt,
  type RemoteDeletionRegion,
} from '@rt/deletion';
import { Conflict, NotFound, type ServiceApp, Unauthorized } from '@rt/http';
import { Type } from '@sinclair/typebox';
import { allRegions, type WorkerDeps } from './deps.js';
import { REGION_EXPORT_PREFIX } from './migration/export.js';

/** Progress of this region's pass is kept this long (beyond any retry of a deletion). */
const PROGRESS_TTL_SECONDS = 45 * 24 * 3600;
/** One pass at a time per deletion; the lock outlives any sane pass, and is released after it. */
const LOCK_TTL_MS = 30 * 60_000;
/** The home region waits this long for a region's answer (then retries later). */
const REQUEST_TIMEOUT_MS = 20 * 60_000;

const Params = Type.Object({ deletionId: Type.String({ format: 'uuid' }) });
const Answer = Type.Object({
  region: Type.String(),
  rows: Type.Integer(),
  objects: Type.Integer(),
  tables: Type.Record(Type.String(), Type.Integer()),
  done: Type.Boolean(),
});

const REFUSALS = {
  cancelled: ['DELETION_CANCELLED', 'the deletion was cancelled (the tenant reinstalled)'],
  'tenant-active': ['TENANT_ACTIVE', 'the tenant is active again'],
  'not-due': ['DELETION_NOT_DUE', 'the deletion is not due yet'],
  'not-running': ['DELETION_NOT_RUNNING', 'the deletion is not running'],
} as const;

/**
 * A region's side of deleting a tenant everywhere: the tenant's home-region worker runs the
 * deletion and asks every other region's worker, here, to delete the tenant's rows and objects in
 * the region it owns — so no process ever holds another region's database credentials or delete
 * rights on another region's bucket. The caller proves with a region-deletion token (`@rt/auth`,
 * its own audience: a migration token never deletes) that it is the tenant's home region running
 * this deletion; the tenant comes from the directory (read only), never from the request, and
 * only while the deletion is running, due, not cancelled and the tenant not active again.
 *
 * Idempotent: the pass resumes from its progress (kept in this region's Redis, counts only) and
 * answers the total this region removed for the deletion, so a lost answer or a retry never
 * loses or doubles a count.
 */
export async function regionDeletionRoutes(
  app: ServiceApp,
  opts: { deps: WorkerDeps; secret: string },
): Promise<void> {
  const { deps } = opts;
  const verify = createRegionDeletionVerifier(opts.secret);
  const own = deps.regions.get(deps.region);
  if (!own) throw new Error(`region-deletion: this worker has no database for its own region ${deps.region}`);
  const keyOf = (deletionId: string) => `${deps.queuePrefix ?? 'bull'}:rt-deletion:region:${deletionId}`;

  app.post(
    `${REGION_EXPORT_PREFIX}/deletions/:deletionId`,
    { config: { public: true }, schema: { params: Params, response: { 200: Answer } } },
    async (request) => {
      const { deletionId } = request.params;
      const claims = verifyRegionBearer(request.headers.authorization, verify, 'region-deletion');
      if (claims.did !== deletionId || claims.dst !== deps.region || claims.iss === deps.region)
        throw new Unauthorized('REGION_TOKEN_INVALID', 'the token is for another deletion or region');

      const check = await checkRegionDeletion(deps.directory, deletionId, {
        home: claims.iss,
        now: deps.now,
      });
      if (check.status === 'missing') throw new NotFound('deletion', 'DELETION_NOT_FOUND');
      if (check.status !== 'ok') {
        const [code, message] = REFUSALS[check.status];
        throw new Conflict(code, message);
      }

      const key = keyOf(deletionId);
      const lock = randomUUID();
      if ((await deps.redis.set(`${key}:lock`, lock, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK')
        throw new Conflict('DELETION_IN_PROGRESS', 'this region is deleting for this deletion already');
      try {
        const stored = await deps.redis.get(key);
        const r: RegionReceipt = stored ? (JSON.parse(stored) as RegionReceipt) : emptyRegionReceipt();
        const region = { id: deps.region, pool: own.pool, s3: own.s3, bucket: own.bucket };
        await deleteTenantInRegion(region, check.tenantId, r, () =>
          deps.redis.set(key, JSON.stringify(r), 'EX', PROGRESS_TTL_SECONDS),
        );
        deps.logger.info({ deletionId, rows: r.rows, objects: r.objects }, 'region deletion done');
        return { region: deps.region, rows: r.rows, objects: r.objects, tables: r.tables, done: r.done };
      } finally {
        // Only our own lock (a pass outliving its lock must not free the next one's).
        await deps.redis
          .eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
            1,
            `${key}:lock`,
            lock,
          )
          .catch(() => undefined);
      }
    },
  );
}

/** The region answered a deletion request with an error (the deletion stays running). */
export class RegionDeletionFailed extends Error {
  constructor(
    readonly region: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(`region ${region} answered ${status} ${code}`);
    this.name = 'RegionDeletionFailed';
  }
}

/**
 * Every configured region whose database this worker does not hold, reached through that
 * region's deletion endpoint with a fresh token bound to the deletion and the direction. A region
 * without an export URL or key here fails its part (the deletion stays running, the error names
 * the missing variable) rather than being skipped.
 */
export function remoteDeletionRegions(deps: WorkerDeps): RemoteDeletionRegion[] {
  const secret = deps.regionExport?.exportSecret;
  const sign = secret ? createRegionDeletionSigner(secret) : undefined;
  return allRegions(deps)
    .filter((r) => !deps.regions.has(r.id))
    .map(({ id }) => ({
      id,
      async deleteTenant(deletionId: string): Promise<RegionReceipt> {
        const url = deps.regionExport?.exportUrls[id];
        if (!url || !sign)
          throw new Error(`REGION_${id}_EXPORT_URL and REGION_EXPORT_SECRET are needed to delete in ${id}`);
        const res = await fetch(`${url}${REGION_EXPORT_PREFIX}/deletions/${deletionId}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sign({ iss: deps.region, dst: id, did: deletionId })}` },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await res.json().catch(() => ({}))) as Partial<RegionReceipt> & { code?: string };
        if (!res.ok) throw new RegionDeletionFailed(id, res.status, body.code ?? 'UNKNOWN');
        return {
          rows: Number(body.rows ?? 0),
          objects: Number(body.objects ?? 0),
          tables: body.tables ?? {},
          done: body.done === true,
        };
      },
    }));
}
