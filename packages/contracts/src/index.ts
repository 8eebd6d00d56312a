/**
 * @rt/contracts — what the front end imports: the typed client of the Refined Toolkit API, its
 * error type and the types generated from `openapi.json`. Browser-safe (no Node or Fastify
 * imports); the server side (OpenAPI generation, `/openapi.json` + `/docs`) is `@rt/contracts/server`.
 */
export {
  createRefinedToolkitClient,
  type RefinedToolkitClient,
  type RefinedToolkitClientOptions,
  type RetryPolicy,
} from './client.js';
export {
  ApiError,
  type ApiErrorBody,
  type ApiErrorCode,
  apiErrorOf,
  isApiError,
  KNOWN_ERROR_CODES,
  retryAfterMs,
} from './errors.js';
export type { components, operations, paths } from './openapi-types.js';
export type { ResponseCacheOptions } from './response-cache.js';
