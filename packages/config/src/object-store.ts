import { Type } from '@sinclair/typebox';
import { type Env, EnvType, parseEnv } from './env.js';

/**
 * Variables of the region's object store read by more than one process: the asset service
 * records what the migration worker proves its copies by.
 */
export const ObjectStoreEnvSchema = Type.Object({
  /**
   * The object store computes the ETag of a copy (CopyObject with the metadata replaced) as the
   * MD5 of the bytes it wrote — true of s3rver (the local stack) and of S3 for unencrypted or
   * SSE-S3 objects, not with SSE-KMS. Then the asset service records each upload's MD5 and a
   * migration's copy whose ETag equals it needs no read-back. Off (the default): on AWS the
   * copy's SHA-256 checksum proves it instead, and the MD5 is not computed (about 2 ms of CPU per
   * MiB uploaded that nothing would use).
   */
  S3_COPY_ETAG_IS_MD5: EnvType.bool(false),
});

/** `S3_COPY_ETAG_IS_MD5`; throws ConfigError naming it when it is not a boolean. */
export function copyEtagIsMd5(env: Env): boolean {
  return parseEnv(ObjectStoreEnvSchema, env).S3_COPY_ETAG_IS_MD5;
}
