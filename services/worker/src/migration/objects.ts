import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { deleteKeys, listTenantObjects } from '@rt/storage';

/** An object of a tenant's prefix as listed. */
export interface ListedObject {
  size: number;
  etag: string;
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

/**
 * Copies one object inside S3 (CopyObject: the bytes never pass through the worker; works
 * across regions on AWS) and proves the copy against its content address. S3 computes a SHA-256
 * of the new object when asked (`ChecksumAlgorithm: SHA256`) and returns it: then no byte is read
 * back. A store that returns no full-object checksum (s3rver, an older S3-compatible server)
 * gets the copy read back and hashed instead. A copy that does not match is removed.
 */
export async function copyObjectServerSide(
  from: Bucket,
  to: Bucket,
  key: string,
  size?: number,
): Promise<number> {
  const out = await to.s3.send(
    new CopyObjectCommand({
      Bucket: to.bucket,
      Key: key,
      CopySource: `${from.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
      ChecksumAlgorithm: 'SHA256',
    }),
  );
  const expected = expectedSha256(key);
  const reported = out.CopyObjectResult?.ChecksumSHA256;
  if (expected && reported && !reported.includes('-') && size !== undefined) {
    if (Buffer.from(reported, 'base64').toString('hex') === expected) return size;
    await to.s3.send(new DeleteObjectCommand({ Bucket: to.bucket, Key: key }));
    throw new CorruptObject(key);
  }
  const body = await readObject(to, key);
  if (expected && sha256Hex(body) !== expected) {
    await to.s3.send(new DeleteObjectCommand({ Bucket: to.bucket, Key: key }));
    throw new CorruptObject(key);
  }
  return body.length;
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
