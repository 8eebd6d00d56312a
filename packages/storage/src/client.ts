import { S3Client } from '@aws-sdk/client-s3';

/** Where a region's bucket lives. */
export interface S3Location {
  awsRegion: string;
  /** Endpoint override for an S3-compatible server (local stack, tests); undefined = AWS. */
  s3Endpoint?: string;
}

/**
 * Creates the S3 client of one region.
 *
 * - With an endpoint override, path-style addressing is used (local servers have no per-bucket
 *   DNS) and, unless AWS credentials are in the environment, the local server's static ones.
 * - Checksums are computed/validated only when an operation requires them: with the SDK's newer
 *   default (`WHEN_SUPPORTED`) streamed uploads are sent with aws-chunked framing, which
 *   S3-compatible servers such as s3rver store verbatim — silently corrupting the object. AWS S3
 *   accepts both, so the same setting is right for production.
 */
export function createS3Client(location: S3Location): S3Client {
  const local = location.s3Endpoint !== undefined;
  const hasEnvCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
  return new S3Client({
    region: location.awsRegion,
    ...(local
      ? {
          endpoint: location.s3Endpoint,
          forcePathStyle: true,
          ...(hasEnvCredentials ? {} : { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }),
        }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
