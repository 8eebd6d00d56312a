export { bucketReachable, ensureBucket } from './bucket.js';
export { createS3Client, type S3Location } from './client.js';
export { assetKey, assetLockKey, deleteKeys, listTenantObjects, tenantPrefix } from './keys.js';
