// Also brings in the `request.tenant` declaration (set by internalAuthPlugin).
import type { Authorize } from '@rt/auth';
import { BadRequest, NotFound, PayloadTooLarge } from '@rt/http';
import { type TObject, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, type IfMatch, parseIfMatch } from './concurrency.js';
import { contentEtag, IfNoneMatchHeaders, NotModified, sendCachedRead } from './conditional.js';
import { decodeCursor } from './cursor.js';
import { type DocumentKind, jsonFieldProperties } from './document-kind.js';
import { inspectJson, MAX_DOCUMENT_BYTES, MAX_DOCUMENT_DEPTH } from './json-inspection.js';
import { renderDocument, revisionView, summaryView } from './render.js';
import type { DocumentInput, DocumentRepository, StoredDocument } from './repository.js';
import {
  DocumentName,
  DocumentScope,
  errorResponses,
  IdParams,
  IfMatchHeaders,
  Uuid,
} from './schemas/common.js';

/** Options of {@link documentRoutes}. */
export interface DocumentRoutesOptions {
  repository: DocumentRepository;
  /** Permission check before each write: required, so a kind registered without one fails closed. */
  authorize: Authorize;
  /**
   * Kind-specific rule on a change of an existing document (update or restore), run before the
   * write; throws an `AppError` to refuse (e.g. the default theme must stay site-wide).
   */
  checkChange?: (current: StoredDocument, next: { scope: string }) => void;
}

/** TypeBox schemas of one kind's API. */
export interface DocumentSchemas {
  Document: TObject;
  Body: TObject;
  Summary: TObject;
  ListQuery: TObject;
  List: TObject;
  Revision: TObject;
  Revisions: TObject;
  RevisionParams: TObject;
}

/** Builds the schemas of one kind's API (exported for OpenAPI and for tests). */
export function documentSchemas(kind: DocumentKind): DocumentSchemas {
  const Document = Type.Object(
    {
      id: Uuid,
      name: DocumentName,
      scope: DocumentScope,
      schemaVersion: Type.Integer(),
      version: Type.Integer({ description: 'also sent as the ETag' }),
      ...(kind.hasDefaultFlag ? { isDefault: Type.Boolean() } : {}),
      createdAt: Type.String({ format: 'date-time' }),
      updatedAt: Type.String({ format: 'date-time' }),
      ...jsonFieldProperties(kind, false),
    },
    { title: `${kind.noun} document` },
  );
  const Body = Type.Object(
    {
      name: DocumentName,
      scope: kind.hasDefaultFlag ? Type.Optional({ ...DocumentScope, default: 'site' }) : DocumentScope,
      ...jsonFieldProperties(kind, true),
    },
    { additionalProperties: false, title: `${kind.noun} input` },
  );
  const Summary = Type.Object({
    id: Uuid,
    name: Type.String(),
    scope: Type.String(),
    schemaVersion: Type.Integer(),
    version: Type.Integer(),
    ...(kind.hasDefaultFlag ? { isDefault: Type.Boolean() } : {}),
    updatedAt: Type.String({ format: 'date-time' }),
  });
  const ListQuery = Type.Object(
    {
      scope: Type.Optional(DocumentScope),
      limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
      cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    },
    // Unknown parameters are ignored, not refused: Connect may append `?jwt=…` and friends.
    { additionalProperties: true },
  );
  const Revision = Type.Object({
    version: Type.Integer(),
    name: Type.String(),
    scope: Type.String(),
    schemaVersion: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
  });
  const RevisionParams = Type.Object(
    { id: Uuid, version: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }) },
    { additionalProperties: false },
  );
  return {
    Document,
    Body,
    Summary,
    ListQuery,
    List: Type.Object({ items: Type.Array(Summary), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
    Revision,
    Revisions: Type.Object({ items: Type.Array(Revision) }),
    RevisionParams,
  };
}

/**
 * Rejects, before schema validation, what the schema cannot express: nesting deeper than
 * {@link MAX_DOCUMENT_DEPTH} (400 `TOO_DEEP`), text Postgres cannot store (400 `INVALID_TEXT`,
 * both with their path) and JSON parts larger than {@link MAX_DOCUMENT_BYTES}
 * (413 `DOCUMENT_TOO_LARGE`) — so a huge body is refused without validating it first.
 */
export function documentBodyGuard(kind: DocumentKind) {
  return async (request: FastifyRequest) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
    const problem = inspectJson(body);
    if (problem?.kind === 'too-deep') {
      throw new BadRequest(
        'TOO_DEEP',
        `body${problem.path} is nested deeper than ${MAX_DOCUMENT_DEPTH} levels`,
        [{ path: `body${problem.path}`, message: 'nested too deep' }],
      );
    }
    if (problem) {
      throw new BadRequest(
        'INVALID_TEXT',
        `body${problem.path} contains a NUL character or unpaired surrogate`,
        [{ path: `body${problem.path}`, message: 'text cannot be stored' }],
      );
    }
    const record = body as Record<string, unknown>;
    let bytes = 0;
    for (const field of kind.jsonFields) {
      if (record[field.name] !== undefined) bytes += Buffer.byteLength(JSON.stringify(record[field.name]));
    }
    if (bytes > MAX_DOCUMENT_BYTES) {
      throw new PayloadTooLarge(
        `the ${kind.noun} is ${bytes} bytes; at most ${MAX_DOCUMENT_BYTES} are allowed`,
        'DOCUMENT_TOO_LARGE',
      );
    }
  };
}

/** Sends a document with its ETag. */
export function sendDocument(reply: FastifyReply, doc: StoredDocument, status = 200): FastifyReply {
  return (
    reply
      .status(status)
      .header('etag', etagOf(doc.version, doc.isDefault))
      // Clients must not reuse a copy without asking: a stale theme or layout is a visible bug.
      .header('cache-control', 'private, no-cache')
      .type('application/json')
      .send(renderDocument(doc))
  );
}

const toInput = (kind: DocumentKind, body: Record<string, unknown>): DocumentInput => ({
  name: body.name as string,
  scope: (body.scope as string | undefined) ?? 'site',
  fields: Object.fromEntries(kind.jsonFields.map((f) => [f.name, body[f.name]])),
});

/**
 * Registers the CRUD and revision routes of one document kind under `kind.basePath`:
 * `POST /`, `GET /`, `GET /:id`, `PUT /:id`, `DELETE /:id`, `GET /:id/revisions`,
 * `POST /:id/revisions/:version/restore`. The tenant always comes from the verified internal
 * token (`request.tenant`), never from the request.
 */
export async function documentRoutes(app: FastifyInstance, options: DocumentRoutesOptions): Promise<void> {
  const { repository } = options;
  const { authorize } = options;
  const kind = repository.kind;
  const s = documentSchemas(kind);
  const base = kind.basePath;
  const tags = [`${kind.noun}s`];
  const guard = documentBodyGuard(kind);
  const etagHeader = {
    ETag: { type: 'string', description: 'the version, quoted (`"3-default"` for the default theme)' },
  };
  const documentResponse = (description: string) => ({ ...s.Document, description, headers: etagHeader });

  /**
   * Loads the document, runs the permission check on its current scope (and on the new one if
   * it moves), and pins the precondition to the version that was authorized — so a concurrent
   * change of scope cannot slip between the check and the write.
   */
  const authorizeChange = async (
    request: FastifyRequest,
    id: string,
    action: 'update' | 'delete' | 'restore',
    newScope?: string,
  ): Promise<IfMatch> => {
    const ifMatch = parseIfMatch(request.headers['if-match']);
    const current = await repository.require(request.tenant.tenantId, id);
    if (newScope !== undefined) options.checkChange?.(current, { scope: newScope });
    await authorize(request, { action, resource: kind.type, scope: current.scope });
    if (newScope !== undefined && newScope !== current.scope) {
      await authorize(request, { action, resource: kind.type, scope: newScope });
    }
    if (!ifMatch.any && !ifMatch.versions.includes(current.version)) return ifMatch;
    return { any: false, versions: [current.version] };
  };

  app.post(
    base,
    {
      schema: {
        tags,
        summary: `Create a ${kind.noun}`,
        body: s.Body,
        response: { 201: documentResponse('created'), ...errorResponses(400, 401, 403, 413, 415) },
      },
      preValidation: guard,
    },
    async (request, reply) => {
      const input = toInput(kind, request.body as Record<string, unknown>);
      await authorize(request, { action: 'create', resource: kind.type, scope: input.scope });
      const doc = await repository.create(request.tenant.tenantId, input);
      reply.header('location', `${base}/${doc.id}`);
      return sendDocument(reply, doc, 201);
    },
  );

  app.get(
    base,
    {
      schema: {
        tags,
        summary: `List ${kind.noun}s (cursor pagination; conditional with If-None-Match)`,
        querystring: s.ListQuery,
        headers: IfNoneMatchHeaders,
        response: {
          200: { ...s.List, headers: { ETag: { type: 'string', description: 'digest of the page' } } },
          304: NotModified,
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const query = request.query as { scope?: string; limit: number; cursor?: string };
      const tenantId = request.tenant.tenantId;
      // The key holds the decoded cursor: it is validated first, and two spellings of one
      // cursor share an entry.
      const after = query.cursor === undefined ? '' : decodeCursor(query.cursor);
      return sendCachedRead(
        request,
        reply,
        repository.cache,
        {
          tenantId,
          kind: kind.type,
          key: `list\u0000${query.scope ?? ''}\u0000${query.limit}\u0000${after}`,
        },
        async () => {
          const page = await repository.list(tenantId, query);
          const body = JSON.stringify({ items: page.items.map(summaryView), nextCursor: page.nextCursor });
          return { etag: contentEtag(body), body };
        },
        () => new NotFound(`${kind.noun} list`),
      );
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Get a ${kind.noun} (conditional with If-None-Match)`,
        params: IdParams,
        headers: IfNoneMatchHeaders,
        response: {
          200: documentResponse('the current version'),
          304: NotModified,
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const tenantId = request.tenant.tenantId;
      // Served from this process's read cache when it holds the current version: every write
      // drops it here at once and in the other replicas on the document-changed notice.
      return sendCachedRead(
        request,
        reply,
        repository.cache,
        { tenantId, kind: kind.type, key: `id\u0000${id.toLowerCase()}`, doc: id.toLowerCase() },
        async () => {
          const doc = await repository.get(tenantId, id);
          return doc && { etag: etagOf(doc.version, doc.isDefault), body: renderDocument(doc) };
        },
        () => repository.notFound(),
      );
    },
  );

  app.put(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Replace a ${kind.noun} (If-Match required)`,
        params: IdParams,
        headers: IfMatchHeaders,
        body: s.Body,
        response: {
          200: documentResponse('the new version'),
          ...errorResponses(400, 401, 403, 404, 409, 412, 413, 415, 428),
        },
      },
      preValidation: guard,
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const input = toInput(kind, request.body as Record<string, unknown>);
      const ifMatch = await authorizeChange(request, id, 'update', input.scope);
      return sendDocument(reply, await repository.replace(request.tenant.tenantId, id, ifMatch, input));
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Delete a ${kind.noun} (If-Match required)`,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'deleted' }),
          ...errorResponses(400, 401, 403, 404, 412, 428),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const ifMatch = await authorizeChange(request, id, 'delete');
      await repository.delete(request.tenant.tenantId, id, ifMatch);
      return reply.status(204).send();
    },
  );

  app.get(
    `${base}/:id/revisions`,
    {
      schema: {
        tags,
        summary: `The last versions of a ${kind.noun}, newest first`,
        params: IdParams,
        response: { 200: s.Revisions, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const revisions = await repository.revisions(request.tenant.tenantId, id);
      return { items: revisions.map(revisionView) };
    },
  );

  app.post(
    `${base}/:id/revisions/:version/restore`,
    {
      schema: {
        tags,
        summary: `Make a kept version current again (as a new version; If-Match required)`,
        params: s.RevisionParams,
        headers: IfMatchHeaders,
        response: {
          200: documentResponse('the new version'),
          ...errorResponses(400, 401, 403, 404, 409, 412, 428),
        },
      },
    },
    async (request, reply) => {
      const { id, version } = request.params as { id: string; version: number };
      const tenantId = request.tenant.tenantId;
      const revision = (await repository.revisions(tenantId, id)).find((r) => r.version === version);
      if (!revision) throw new NotFound(`${kind.noun} revision`, 'REVISION_NOT_FOUND');
      // Restoring may move the document back to another scope: that scope is checked too.
      const ifMatch = await authorizeChange(request, id, 'restore', revision.scope);
      return sendDocument(reply, await repository.restore(tenantId, id, version, ifMatch));
    },
  );
}
