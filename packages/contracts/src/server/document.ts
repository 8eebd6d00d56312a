import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** An OpenAPI 3.1 document (the parts this package reads and writes). */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
  [key: string]: unknown;
}

/** One operation (only the fields the merger touches are typed). */
export interface OpenApiOperation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}

/**
 * A part of the API: an app built in-process with {@link openApiCollector} registered before its
 * routes, and which of its paths belong to the public document (health, metrics and internal
 * routes do not).
 */
export interface OpenApiSource {
  /** Names the source in errors and becomes the tag of its operations. */
  name: string;
  /** Builds the app without I/O (Prisma and pg clients connect lazily; dummy URLs are fine). */
  build(): Promise<FastifyInstance>;
  include(path: string): boolean;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Security schemes of the API: who may call what. */
export const SECURITY_SCHEMES = {
  connectJwt: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'Atlassian Connect context token of the Confluence user: `Authorization: JWT <token>` with the token ' +
      'from `AP.context.getToken()` (HS256, the installation shared secret, qsh `context-qsh`).',
  },
  forgeInvocationToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Forge Invocation Token (FIT) of a Forge remote call: `Authorization: Bearer <FIT>`.',
  },
  operatorToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Operator token with a role (`viewer` reads, `migrator` also starts/cancels/commits migrations, ' +
      '`admin` also purges). Every operator action is audited.',
  },
} as const;

const API_SECURITY: Record<string, string[]>[] = [{ connectJwt: [] }, { forgeInvocationToken: [] }];
const OPS_SECURITY: Record<string, string[]>[] = [{ operatorToken: [] }];

/** Security of an operation by path: the router authenticates `/api/v1` and `/ops/v1` differently. */
export function securityFor(path: string): Record<string, string[]>[] | undefined {
  if (path.startsWith('/api/')) return API_SECURITY;
  if (path.startsWith('/ops/')) return OPS_SECURITY;
  return undefined;
}

/** `get /api/v1/layouts/{id}` → `getApiV1LayoutsById`: stable ids for routes that declare none. */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      const text = param ? `by-${param[1]}` : segment;
      return text
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('');
    });
  return method.toLowerCase() + words.join('');
}

/**
 * Registers `@fastify/swagger` in dynamic mode so the app records every route added after it.
 * Register it right after creating the app, before any route (the `openapi: true` dep of a
 * service's `buildApp`, or an {@link OpenApiSource} that composes the app itself).
 */
export const openApiCollector = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: { openapi: '3.1.0', info: { title: 'collector', version: '0' } },
    });
  },
  { name: 'rt-openapi-collector' },
);

const sortKeys = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  ) as T;
};

/** Info of the merged document. */
export interface DocumentInfo {
  title?: string;
  version?: string;
  description?: string;
}

/**
 * A query parameter with a default may be omitted (the server fills it in), although Fastify's
 * schema marks it required; without this the typed client forces callers to pass e.g. `limit`.
 */
function optionalWhenDefaulted(parameter: unknown): unknown {
  const p = parameter as { in?: string; required?: boolean; schema?: { default?: unknown } };
  if (p?.in === 'query' && p.required && p.schema && 'default' in p.schema) return { ...p, required: false };
  return parameter;
}

/**
 * Builds every source in-process, collects its `app.swagger()` and merges the included paths and
 * the components into one OpenAPI 3.1 document with the security schemes. Deterministic (keys
 * sorted) so the committed file diffs cleanly. Two sources defining the same operation, or the
 * same component schema differently, is an error: the document would silently lie otherwise.
 */
export async function buildOpenApiDocument(
  sources: readonly OpenApiSource[],
  info: DocumentInfo = {},
): Promise<OpenApiDocument> {
  const paths: OpenApiDocument['paths'] = {};
  const schemas: Record<string, unknown> = {};
  const owner = new Map<string, string>();
  for (const source of sources) {
    const app = await source.build();
    let part: Partial<OpenApiDocument>;
    try {
      await app.ready();
      if (typeof (app as { swagger?: unknown }).swagger !== 'function') {
        throw new Error(
          `OpenAPI source "${source.name}": @fastify/swagger is not registered (register openApiCollector before the routes)`,
        );
      }
      part = app.swagger() as unknown as Partial<OpenApiDocument>;
    } finally {
      await app.close();
    }
    for (const [path, item] of Object.entries(part.paths ?? {})) {
      if (!source.include(path)) continue;
      for (const [method, operation] of Object.entries(item)) {
        if (!HTTP_METHODS.has(method)) continue;
        const key = `${method.toUpperCase()} ${path}`;
        const previous = owner.get(key);
        if (previous)
          throw new Error(`OpenAPI: ${key} is defined by both "${previous}" and "${source.name}"`);
        owner.set(key, source.name);
        const security = securityFor(path);
        paths[path] ??= {};
        paths[path][method] = {
          ...operation,
          ...(Array.isArray(operation.parameters)
            ? { parameters: operation.parameters.map(optionalWhenDefaulted) }
            : {}),
          operationId: operation.operationId ?? operationIdFor(method, path),
          tags: operation.tags?.length ? operation.tags : [source.name],
          ...(operation.security || !security ? {} : { security }),
        };
      }
    }
    for (const [name, schema] of Object.entries(part.components?.schemas ?? {})) {
      if (name in schemas && JSON.stringify(sortKeys(schemas[name])) !== JSON.stringify(sortKeys(schema))) {
        throw new Error(
          `OpenAPI: component schema "${name}" differs between sources (last: "${source.name}")`,
        );
      }
      schemas[name] = schema;
    }
  }
  const tags = [
    ...new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags ?? []))),
  ]
    .sort()
    .map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'Refined Toolkit API',
      version: info.version ?? '1',
      description:
        info.description ??
        'Public API of the Refined Toolkit cloud back end (`/api/v1`, called by the Confluence app front end ' +
          'through the tenant router) and the operator API (`/ops/v1`). Errors are `{code, message, details?, ' +
          'requestId}` with a stable `code`; reads answered 503 `TENANT_MIGRATING` may be retried after `Retry-After`.',
    },
    tags,
    paths: sortKeys(paths),
    components: sortKeys({ securitySchemes: SECURITY_SCHEMES, schemas }),
  };
}

/** The document as committed: two-space JSON with a final newline. */
export function serializeDocument(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
