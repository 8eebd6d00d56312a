export { recordAssetReferences, verifyAssetReferences } from './asset-references.js';
export type { AuthorizationRequest, DocumentAction } from './authorize.js';
export { parseDocumentCacheConfig } from './cache-config.js';
export { assertVersionMatches, etagOf, type IfMatch, parseIfMatch } from './concurrency.js';
export {
  contentEtag,
  IfNoneMatchHeaders,
  ifNoneMatchHits,
  NotModified,
  type ReadKey,
  SHARED_READ_HEADER,
  sendCachedRead,
  sendRepresentation,
} from './conditional.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export {
  attachDocumentChangeBus,
  DocumentChangeBus,
  type DocumentChangeBusOptions,
  type TenantBusConnections,
} from './document-changes.js';
export {
  type DocumentKind,
  type DocumentType,
  type JsonField,
  layoutKind,
  themeKind,
} from './document-kind.js';
export { exampleLayoutContent, exampleThemeTokens } from './examples.js';
export {
  type AssetReferenceOccurrence,
  collectAssetReferences,
  findUnstorableText,
  inspectJson,
  type JsonProblem,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_DEPTH,
} from './json-inspection.js';
export {
  type CachedRepresentation,
  cachedBytes,
  DocumentReadCache,
  type DocumentReadCacheOptions,
} from './read-cache.js';
export { renderDocument } from './render.js';
export {
  type DocumentInput,
  DocumentRepository,
  type DocumentSummary,
  type Page,
  REVISIONS_KEPT,
  type RevisionSummary,
  type StoredDocument,
} from './repository.js';
export {
  type DocumentRoutesOptions,
  type DocumentSchemas,
  documentBodyGuard,
  documentRoutes,
  documentSchemas,
  sendDocument,
} from './routes.js';
export {
  AssetRef,
  DocumentName,
  DocumentScope,
  errorResponses,
  HttpUrl,
  IdParams,
  SpaceKey,
  Uuid,
} from './schemas/common.js';
export {
  LAYOUT_CONTENT_SCHEMAS,
  LayoutBlock,
  LayoutContent,
  LayoutContentV1,
} from './schemas/layout-content.js';
export {
  FONT_FAMILIES,
  HexColor,
  THEME_TOKENS_SCHEMAS,
  ThemeImages,
  ThemeTokens,
  ThemeTokensV1,
} from './schemas/theme-tokens.js';
export { EXPORT_FORMAT_VERSION, exportTenant } from './tenant-export.js';
export { type ResolvedTheme, ThemeAssignments } from './theme-assignments.js';
export { mapDatabaseError, withTenantWrite, withTransaction } from './transaction.js';
