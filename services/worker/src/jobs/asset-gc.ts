import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { TenantWriteFenced, withTenantWrite } from '@rt/db';
import type { JobPayload } from '@rt/queue';
import { assetKey, assetLockKey } from '@rt/storage';
import type { Queue } from 'bullmq';
import type { RegionHandle, WorkerDeps } from '../deps.js';

/** How long an unreferenced asset is kept: an upload is referenced by a save moments later. */
export const ASSET_GC_GRACE_MS = 24 * 60 * 60 * 1000;
/** How often the collection runs. */
export const ASSET_GC_EVERY_MS = 60 * 60 * 1000;

/** Options of {@link collectUnusedAssets}. */
export interface AssetGcOptions {
  graceMs?: number;
  batchSize?: number;
  /** Tenants to leave alone (their data is being migrated: the migration owns it). */
  skipTenants?: string[];
}

/** What one collection did. */
export interface AssetGcResult {
  region: string;
  deleted: number;
  /** Candidates that were referenced again (or re-uploaded) in the meantime. */
  kept: number;
}

interface Candidate {
  id: string;
  tenant_id: string;
  sha256: string;
  created_at: Date;
}

/**
 * Deletes the assets of one region that no layout or theme references and that are older than
 * the grace period: the row, then the object. Each asset is deleted under the same advisory
 * lock as uploads and API deletions, and its conditions are re-checked inside that transaction,
 * so an asset that is re-uploaded (which restarts its grace period) or referenced meanwhile
 * survives. Idempotent: a retry finds what is left.
 */
export async function collectUnusedAssets(
  region: RegionHandle,
  now: Date,
  options: AssetGcOptions = {},
): Promise<AssetGcResult> {
  const cutoff = new Date(now.getTime() - (options.graceMs ?? ASSET_GC_GRACE_MS));
  const batchSize = options.batchSize ?? 200;
  const result: AssetGcResult = { region: region.settings.id, deleted: 0, kept: 0 };
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const { rows } = await region.pool.query<Candidate>(
      `SELECT id, tenant_id, sha256, created_at FROM assets a
        WHERE created_at < $1
          AND NOT EXISTS (SELECT 1 FROM asset_references r WHERE r.asset_id = a.id)
          AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
          AND NOT (tenant_id = ANY($5::uuid[]))
        ORDER BY created_at, id LIMIT $4`,
      [cutoff, after?.createdAt ?? null, after?.id ?? null, batchSize, options.skipTenants ?? []],
    );
    for (const candidate of rows) {
      if (await deleteIfUnused(region, candidate, cutoff)) result.deleted++;
      else result.kept++;
    }
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return result;
    after = { createdAt: last.created_at, id: last.id };
  }
}

async function deleteIfUnused(region: RegionHandle, asset: Candidate, cutoff: Date): Promise<boolean> {
  try {
    // Through the tenant's write fence: a tenant being copied away is left alone (refused).
    return await withTenantWrite(region.pool, asset.tenant_id, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        assetLockKey(asset.tenant_id, asset.sha256),
      ]);
      const deleted = await client.query(
        `DELETE FROM assets a WHERE id = $1 AND tenant_id = $2 AND created_at < $3
            AND NOT EXISTS (SELECT 1 FROM asset_references r WHERE r.asset_id = a.id)`,
        [asset.id, asset.tenant_id, cutoff],
      );
      // Re-uploaded or referenced since it was listed: nothing was deleted, nothing to commit.
      if (deleted.rowCount === 0) return false;
      // The object goes before the row is committed: a failure keeps both for the next run.
      await region.s3.send(
        new DeleteObjectCommand({ Bucket: region.bucket, Key: assetKey(asset.tenant_id, asset.sha256) }),
      );
      return true;
    });
  } catch (err) {
    // A reference inserted between the check and the delete: the foreign key refuses; keep it.
    if ((err as { code?: string }).code === '23503') return false;
    // The tenant is being copied away: the copy must find exactly what the fence found.
    if (err instanceof TenantWriteFenced) return false;
    throw err;
  }
}

/** Migration states in which a tenant's rows and objects are being copied between regions. */
const MIGRATING = ['scheduled', 'pre_copying', 'frozen', 'copying', 'verifying', 'ready_to_commit'] as const;

/**
 * Maintenance task `asset-gc`: collects unused assets of the payload's region (default: own).
 * Tenants with a migration under way are skipped: the migration copies rows and objects and
 * verifies counts and checksums, which a concurrent deletion would break.
 */
export async function assetGc(deps: WorkerDeps, payload: JobPayload<'maintenance'>): Promise<AssetGcResult> {
  const id = payload.region ?? deps.region;
  const region = deps.regions.get(id);
  if (!region) throw new Error(`asset-gc: region ${id} is not configured`);
  const [migrating, frozen] = await Promise.all([
    deps.directory.migration.findMany({
      where: { state: { in: [...MIGRATING] } },
      select: { tenantId: true },
    }),
    deps.directory.tenant.findMany({ where: { frozenByMigration: { not: null } }, select: { id: true } }),
  ]);
  const skipTenants = [...new Set([...migrating.map((m) => m.tenantId), ...frozen.map((t) => t.id)])];
  const result = await collectUnusedAssets(region, deps.now(), { skipTenants });
  deps.logger.info(result, 'unused assets collected');
  return result;
}

/** Registers (or updates) the repeatable `asset-gc` job of a region on the maintenance queue. */
export async function scheduleAssetGc(
  queue: Queue,
  region: string,
  everyMs = ASSET_GC_EVERY_MS,
): Promise<void> {
  await queue.upsertJobScheduler(
    `asset-gc-${region}`,
    { every: everyMs },
    { name: 'asset-gc', data: { task: 'asset-gc', region } },
  );
}
