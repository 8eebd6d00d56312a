/**
 * @rt/contracts/server — Node side of the contract: OpenAPI generation from in-process apps, the
 * client types renderer, and the Fastify plugin that serves `/openapi.json` and `/docs`.
 */

export { collectingApp } from './collecting-app.js';
export {
  loadOpenApiDocument,
  OPENAPI_DOCUMENT_URL,
  type OpenApiDocsOptions,
  openApiDocsPlugin,
} from './docs-plugin.js';
export {
  buildOpenApiDocument,
  type DocumentInfo,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiSource,
  openApiCollector,
  operationIdFor,
  SECURITY_SCHEMES,
  securityFor,
  serializeDocument,
} from './document.js';
