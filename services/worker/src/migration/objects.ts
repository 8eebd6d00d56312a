import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { PgPool } from '@rt/db';
import { assetKey, deleteKeys, listTenantObjects } from '@rt/storage';

/** An object of a tenant's prefix as listed. */
export interface ListedObject {
  size: number;
  etag: string;
  /** From the source's asset row, when it has one: the MD5 recorded at upload and the media type. */
  md5?: string;
  mediaType?: string;
}

/** One side of an object copy: a region's S3 client and bucket. */
export interface Bucket {
  s3: S3Client;
  bucket: string;
}

/** Lists every object under a tenant's prefix: key → size and ETag. */
export async function listObjects(side: Bucket, tenantId: string): Promise<Map<string, ListedObject>> {
  const objects = new Map<string, ListedObject>();
  for await (const page of listTenantObjects(side.s3, side.bucket, tenantId)) {
    for (const o of page) {
      if (o.Key) objects.set(o.Key, { size: o.Size ?? 0, etag: (o.ETag ?? '').replace(/"/g, '') });
    }
  }
  return objects;
}

/**
 * The objects a tenant's asset rows in this region need: key → size, MD5 recorded at upload and
 * media type (the ETag is not known without asking the store, and not needed).
 */
export async function tenantAssetObjects(
  pool: Pick<PgPool, 'query'>,
  tenantId: string,
): Promise<Map<string, ListedObject>> {
  const { rows } = await pool.query<{ sha256: string; md5: string | null; media_type: string; size: number }>(
    'SELECT sha256, md5, media_type, size FROM assets WHERE tenant_id = $1',
    [tenantId],
  );
  return new Map(
    rows.map((r) => [
      assetKey(tenantId, r.sha256),
      { size: r.size, etag: '', mediaType: r.media_type, ...(r.md5 ? { md5: r.md5 } : {}) },
    ]),
  );
}

/** The sha256 an asset key promises (`tenants/{id}/assets/{sha256}`), or undefined. */
export function expectedSha256(key: string): string | undefined {
  const m = /\/assets\/([0-9a-f]{64})$/.exec(key);
  return m?.[1];
}

/** An object whose bytes do not match its content address: copying again cannot help. */
export class CorruptObject extends Error {
  constructor(readonly key: string) {
    super(`object ${key} does not match its sha256`);
    this.name = 'CorruptObject';
  }
}

/** Reads an object fully (images are small; the asset service caps their size). */
export async function readObject(side: Bucket, key: string): Promise<Buffer> {
  const out = await side.s3.send(new GetObjectCommand({ Bucket: side.bucket, Key: key }));
  if (!out.Body) throw new Error(`object ${key} has no body`);
  return Buffer.from(await out.Body.transformToByteArray());
}

/** sha256 (hex) of a buffer. */
export const sha256Hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * Copies one object and proves the copy: the bytes read from the source must hash to the
 * sha256 in the key (content addressing) before they are written to the target. Returns the
 * number of bytes copied.
 */
export async function copyObject(from: Bucket, to: Bucket, key: string): Promise<number> {
  const body = await readObject(from, key);
  const expected = expectedSha256(key);
  if (expected && sha256Hex(body) !== expected) {
    throw new CorruptObject(key);
  }
  await to.s3.send(
    new PutObjectCommand({ Bucket: to.bucket, Key: key, Body: body, ContentLength: body.length }),
  );
  return body.length;
}

/** How a copy was proven to hold the bytes its key promises. */
export type CopyProof = 'checksum-sha256' | 'etag-md5' | 'read-back';

/** What {@link copyObjectServerSide} knows about the object and the target store. */
export interface CopyOptions {
  /** Size, upload MD5 and media type as the source listed them. */
  listed?: ListedObject;
  /** The key did not exist in the target before this copy (nothing stale can answer for it). */
  fresh?: boolean;
  /**
   * The target store computes a copy's ETag as the MD5 of the bytes it wrote when the metadata
   * is replaced (s3rver does, reading the written file: its `getMetadata` recomputes a missing
   * `.md5`; S3 does for unencrypted and SSE-S3 single-part objects). Off where that is not
   * known: then only a SHA-256 reported by the store or a read-back proves a copy.
   */
  etagProvesCopy?: boolean;
}

/**
 * Copies one object inside S3 (CopyObject: the bytes never pass through the worker; works
 * across regions on AWS) and proves the copy against its content address, by the cheapest proof
 * the store gives: S3 computes a SHA-256 of the new object when asked (`ChecksumAlgorithm:
 * SHA256`, https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html)
 * and returns it; a store that returns none but computes the copy's ETag from the bytes it wrote
 * (`etagProvesCopy`) proves it when that ETag equals the MD5 the asset service recorded from the
 * same bytes as the sha256 — only for a key that did not exist before (a stale ETag could
 * answer otherwise), with the metadata replaced (s3rver copies the source's ETag otherwise).
 * Anything else is read back and hashed. A copy that does not match is removed.
 */
export async function copyObjectServerSide(
  from: Bucket,
  to: Bucket,
  key: string,
  options: CopyOptions = {},
): Promise<{ bytes: number; proof: CopyProof }> {
  const { listed } = options;
  const out = await to.s3.send(
    new CopyObjectCommand({
      Bucket: to.bucket,
      Key: key,
      CopySource: `${from.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
      ChecksumAlgorithm: 'SHA256',
      // Replacing the metadata needs its one field, the media type, from the asset row.
      ...(listed?.mediaType ? { MetadataDirective: 'REPLACE', ContentType: listed.mediaType } : {}),
    }),
  );
  const expected = expectedSha256(key);
  const reported = out.CopyObjectResult?.ChecksumSHA256;
  const size = listed?.size;
  if (expected && reported && !reported.includes('-') && size !== undefined) {
    if (Buffer.from(reported, 'base64').toString('hex') === expected)
      return { bytes: size, proof: 'checksum-sha256' };
    await to.s3.send(new DeleteObjectCommand({ Bucket: to.bucket, Key: key }));
    throw new CorruptObject(key);
  }
  const etag = out.CopyObjectResult?.ETag?.replace(/"/g, '');
  if (
    options.etagProvesCopy &&
    options.fresh &&
    listed?.mediaType &&
    listed.md5 &&
    size !== undefined &&
    etag === listed.md5
  )
    return { bytes: size, proof: 'etag-md5' };
  const body = await readObject(to, key);
  if (expected && sha256Hex(body) !== expected) {
    await to.s3.send(new DeleteObjectCommand({ Bucket: to.bucket, Key: key }));
    throw new CorruptObject(key);
  }
  return { bytes: body.length, proof: 'read-back' };
}

/** Runs `work` over `items` with at most `concurrency` in flight; stops at the first error. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown;
  const lane = async () => {
    while (next < items.length && failed === undefined) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failed !== undefined) throw failed;
}

/** Deletes the given keys (batched), or every object of the tenant when keys are omitted. */
export async function deleteObjects(side: Bucket, tenantId: string, keys?: string[]): Promise<number> {
  const all = keys ?? [...(await listObjects(side, tenantId)).keys()];
  if (!all.length) return 0;
  return deleteKeys(side.s3, side.bucket, all);
}
