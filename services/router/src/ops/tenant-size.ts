import type { S3Client } from '@aws-sdk/client-s3';
import type { RegionTable } from '@rt/config';
import { countTenantRows, createPgPool, type PgPool } from '@rt/db';
import { createS3Client, listTenantObjects } from '@rt/storage';

/**
 * The ops API's `GET /tenants/:clientKey` size: rows of the tenant in its home region's database
 * and objects/bytes under its prefix in that region's bucket. Connections open lazily on first
 * use (operator calls only); a region without a database URL here cannot be sized (→ `size: null`).
 */
export function createTenantSizer(regions: RegionTable) {
  const pools = new Map<string, PgPool>();
  const s3 = new Map<string, S3Client>();
  const sizer = async (tenantId: string, regionId: string) => {
    const region = regions.get(regionId);
    if (!region?.databaseUrl) throw new Error(`region ${regionId} is not reachable from here`);
    let pool = pools.get(region.id);
    if (!pool) {
      pool = createPgPool({ url: region.databaseUrl, poolSize: 2 });
      pools.set(region.id, pool);
    }
    const counts = await countTenantRows(pool, tenantId);
    let objects = 0;
    let bytes = 0;
    let client = s3.get(region.id);
    if (!client) {
      client = createS3Client(region);
      s3.set(region.id, client);
    }
    for await (const page of listTenantObjects(client, region.bucket, tenantId)) {
      objects += page.length;
      for (const o of page) bytes += o.Size ?? 0;
    }
    return { rows: Object.values(counts).reduce((a, b) => a + b, 0), objects, bytes };
  };
  const close = async () => {
    for (const pool of pools.values()) await pool.end();
    for (const client of s3.values()) client.destroy();
  };
  return { sizer, close };
}
