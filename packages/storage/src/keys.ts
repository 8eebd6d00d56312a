import { type _Object, DeleteObjectsCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/;

/** Prefix of everything a tenant owns in a bucket. */
export function tenantPrefix(tenantId: string): string {
  if (!UUID.test(tenantId)) throw new Error('tenant id must be a uuid');
  return `tenants/${tenantId}/`;
}

/** Content-addressed, immutable key of an asset: tenants/{tenantId}/assets/{sha256}. */
export function assetKey(tenantId: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error('sha256 must be 64 lowercase hex chars');
  return `${tenantPrefix(tenantId)}assets/${sha256}`;
}

/**
 * Lists every object under a tenant's prefix, page by page. Recursive (no delimiter): some
 * S3-compatible servers drop sub-prefixes from delimiter listings. Pages continue with
 * the last key seen as `Marker` of a ListObjects (v1) call: with ListObjectsV2, s3rver builds
 * the continuation token of every truncated page with DES, which OpenSSL 3 no longer offers,
 * so listing a tenant with more than 1000 objects failed with InternalError. v1 with a marker
 * pages the same way on S3.
 */
export async function* listTenantObjects(
  client: S3Client,
  bucket: string,
  tenantId: string,
): AsyncGenerator<_Object[]> {
  let marker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectsCommand({
        Bucket: bucket,
        Prefix: tenantPrefix(tenantId),
        Marker: marker,
        MaxKeys: 1000,
      }),
    );
    const contents = page.Contents ?? [];
    if (contents.length) yield contents;
    marker = contents[contents.length - 1]?.Key;
    if (!page.IsTruncated || !marker) break;
  }
}

/** Deletes keys in batches of 1000 (the DeleteObjects limit); returns how many were deleted. */
export async function deleteKeys(client: S3Client, bucket: string, keys: string[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const out = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    if (out.Errors?.length) {
      throw new Error(`DeleteObjects failed for ${out.Errors.length} keys: ${out.Errors[0]?.Code}`);
    }
    deleted += batch.length;
  }
  return deleted;
}

/**
 * Key of the Postgres advisory lock that serialises everything writing or deleting one stored
 * asset (upload, delete, garbage collection), so an upload that finds or re-creates an asset can
 * never interleave with its deletion. Use as `pg_advisory_xact_lock(hashtextextended(key, 0))`.
 */
export function assetLockKey(tenantId: string, sha256: string): string {
  return `asset:${assetKey(tenantId, sha256)}`;
}
