import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { OpenApiDocument } from './document.js';

/** Where the committed document lives (same relative place from src/server and dist/server). */
export const OPENAPI_DOCUMENT_URL = new URL('../../openapi.json', import.meta.url);

/** Reads the committed `packages/contracts/openapi.json`. */
export function loadOpenApiDocument(): OpenApiDocument {
  return JSON.parse(readFileSync(OPENAPI_DOCUMENT_URL, 'utf8')) as OpenApiDocument;
}

/** Options of {@link openApiDocsPlugin}. */
export interface OpenApiDocsOptions {
  /** The document to serve (default: the committed one). */
  document?: OpenApiDocument;
  /** Path of the JSON document (default `/openapi.json`). */
  jsonPath?: string;
  /** Prefix of the interactive reference (default `/docs`). */
  docsPrefix?: string;
}

// The router's security headers set `default-src 'none'` for its JSON answers; the reference page needs its
// own scripts and styles — all served from here (the UI bundle ships inside @fastify/swagger-ui, so
// the page works offline, without any CDN).
const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; " +
  "img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'";

/**
 * Serves the committed OpenAPI document at `/openapi.json` and an interactive reference (Swagger
 * UI, static mode) at `/docs`. Encapsulated (not fastify-plugin): the swagger decorator and the
 * CSP override stay inside. Routes are `config.public` (no token needed to read the contract).
 *
 * Router: `await app.register(openApiDocsPlugin);`
 */
export async function openApiDocsPlugin(
  app: FastifyInstance,
  options: OpenApiDocsOptions = {},
): Promise<void> {
  const document = options.document ?? loadOpenApiDocument();
  const body = JSON.stringify(document);
  const docsPrefix = options.docsPrefix ?? '/docs';

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', DOCS_CSP);
    // A document's own isolation (the router's API headers leave it to the pages).
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  app.get(
    options.jsonPath ?? '/openapi.json',
    { config: { public: true }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('access-control-allow-origin', '*')
        .send(body),
  );

  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, {
    routePrefix: docsPrefix,
    staticCSP: false,
    uiConfig: { deepLinking: true, docExpansion: 'list', tryItOutEnabled: false, validatorUrl: null },
    // Keep the UI's own routes open like the rest of the docs.
    uiHooks: {},
  });
}
