export {
  type Authorize,
  allowAllWritesForTests,
  requireAuthorize,
  type WriteRequest,
} from './authorize.js';
export { SecretBox } from './crypto.js';
export { type InternalAuthOptions, internalAuthPlugin } from './internal-auth-plugin.js';
export {
  createInternalTokenSigner,
  createInternalTokenVerifier,
  forgeTokenDigest,
  INTERNAL_TOKEN_ISSUER,
  INTERNAL_TOKEN_REUSE_SECONDS,
  INTERNAL_TOKEN_TTL_SECONDS,
  type InternalClaims,
  type InternalSignerOptions,
  type InternalTokenSigner,
  type InternalTokenVerifier,
  type InternalVerifierOptions,
  READ_METHODS,
  REUSED_TOKEN_TTL_SECONDS,
  type RouteKind,
  type SignedTokenMemo,
  type TenantContext,
  TOKEN_AUDIENCES,
  type TokenPurpose,
  verifyInternalBearer,
} from './internal-token.js';
export {
  createRegionDeletionSigner,
  createRegionDeletionVerifier,
  createRegionExportSigner,
  createRegionExportVerifier,
  REGION_DELETION_AUDIENCE,
  REGION_EXPORT_AUDIENCE,
  REGION_EXPORT_TTL_SECONDS,
  type RegionDeletionClaims,
  type RegionExportClaims,
  verifyRegionBearer,
} from './region-export-token.js';
