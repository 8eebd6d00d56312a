import { type Env, parseEnv } from '@rt/config';
import { Type } from '@sinclair/typebox';
import type { DocumentReadCacheOptions } from './read-cache.js';

const CacheEnv = Type.Object({
  DOCUMENT_CACHE_MAX_ENTRIES: Type.Integer({ minimum: 1, default: 10_000 }),
  DOCUMENT_CACHE_MAX_MB: Type.Integer({ minimum: 1, default: 32 }),
});

/**
 * The read cache's limits of the layout and theme services: `DOCUMENT_CACHE_MAX_ENTRIES`
 * (default 10 000) and `DOCUMENT_CACHE_MAX_MB` (default 32) per process.
 */
export function parseDocumentCacheConfig(
  env: Env,
): Required<Pick<DocumentReadCacheOptions, 'maxEntries' | 'maxBytes'>> {
  const v = parseEnv(CacheEnv, env);
  return { maxEntries: v.DOCUMENT_CACHE_MAX_ENTRIES, maxBytes: v.DOCUMENT_CACHE_MAX_MB * 1024 * 1024 };
}
