import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Makes sure `bucket` exists (local stack and tests). In production the bucket is created by
 * the infrastructure stack with encryption and public-access blocks; this only checks it.
 */
export async function ensureBucket(
  client: S3Client,
  bucket: string,
  options: { create: boolean },
): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 || !options.create) throw err;
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
  }
}

/** Readiness probe: true when the bucket answers. */
export async function bucketReachable(client: S3Client, bucket: string): Promise<boolean> {
  await client.send(new HeadBucketCommand({ Bucket: bucket }));
  return true;
}
