import { type CommonConfig, type Env, parseCommonConfig } from '@rt/config';
import { parsePermissionServiceConfig } from '@rt/confluence';
import { type DocumentReadCacheOptions, parseDocumentCacheConfig } from '@rt/documents';

/** Configuration of this service. */
export interface ServiceConfig extends CommonConfig {
  /** This region's router, which answers permission questions (ROUTER_INTERNAL_URL). */
  routerInternalUrl: string;
  /** Limits of the read cache (DOCUMENT_CACHE_MAX_ENTRIES, DOCUMENT_CACHE_MAX_MB). */
  documentCache: Required<Pick<DocumentReadCacheOptions, 'maxEntries' | 'maxBytes'>>;
}

/**
 * Parses the environment; throws ConfigError naming each bad variable. The region's Redis is
 * required: it carries the tenant-change bus that invalidates the read cache.
 */
export const loadConfig = (env: Env): ServiceConfig => ({
  ...parseCommonConfig(env),
  routerInternalUrl: parsePermissionServiceConfig(env).routerUrl,
  documentCache: parseDocumentCacheConfig(env),
});
