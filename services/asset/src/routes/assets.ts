import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { Authorize } from '@rt/auth';
import { ErrorBody, type ServiceApp, ServiceUnavailable, UnsupportedMediaType } from '@rt/http';
import { Type } from '@sinclair/typebox';
import type { AssetRecord, AssetStore } from '../asset-store.js';
import { AssetRejected, MEDIA_TYPES, type MediaType } from '../images/index.js';
import {
  AssetList,
  AssetParams,
  Binary,
  ListQuery,
  PresignedUrl,
  RawImageBody,
  UploadResponse,
} from './schemas.js';

/**
 * Served with every image: no script, no plugin, no network access, no form, even if an SVG
 * is opened directly (sandbox); inline styles stay allowed because SVGs use them.
 */
export const ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";
const IMMUTABLE = 'private, max-age=31536000, immutable';

const errors = { 400: ErrorBody, 404: ErrorBody };

/** Options of {@link assetRoutes}. */
export interface AssetRoutesOptions {
  store: AssetStore;
  maxBytes: number;
  /** Permission check of uploads and deletions (Confluence-backed in production). */
  authorize: Authorize;
}

/** What an asset write asks permission for (the asset case of `@rt/auth`'s `WriteRequest`). */
export interface AssetWrite {
  action: 'upload' | 'delete';
  resource: 'asset';
  /** `site` or `space:<KEY>`: the uploader says where the image will be used; deletions are `site`. */
  scope: string;
}

/**
 * `/api/v1/assets`: upload, download, presigned URL, listing with usages, deletion. Every query
 * is scoped by the tenant of the verified internal token.
 */
export async function assetRoutes(
  app: ServiceApp,
  { store, maxBytes, authorize }: AssetRoutesOptions,
): Promise<void> {
  // The raw body of an upload is handed over as a stream (this plugin only): it is spooled and
  // validated by the store, never buffered here.
  // Storage failures answer 503 (retryable) but must still reach the operators' logs.
  app.addHook('onError', async (request, _reply, err) => {
    if (err instanceof ServiceUnavailable) request.log.error({ err: err.cause ?? err }, err.message);
  });
  app.addContentTypeParser([...MEDIA_TYPES], (_request, payload, done) => done(null, payload));
  // Browsers' form uploads: the first file part is streamed the same way. Busboy's own size cap
  // sits above ours, so the store's ASSET_TOO_LARGE is what the client sees.
  await app.register(multipart, {
    limits: {
      fileSize: maxBytes + 64 * 1024,
      files: 1,
      fields: 8,
      parts: 9,
      fieldSize: 1024,
      headerPairs: 50,
    },
  });

  app.post(
    '/api/v1/assets',
    {
      bodyLimit: maxBytes,
      // Checked before the body is read: a refused upload never reaches the spool or S3.
      onRequest: async (request) => {
        const scope = (request.query as { scope?: unknown }).scope;
        await authorize(request, {
          action: 'upload',
          resource: 'asset',
          scope: typeof scope === 'string' ? scope : 'site',
        } satisfies AssetWrite);
      },
      schema: {
        querystring: Type.Object({
          scope: Type.Optional(Type.String({ pattern: '^(site|space:~?[A-Za-z0-9][A-Za-z0-9_~-]{0,254})$' })),
        }),
        summary:
          'Upload an image: raw body with Content-Type image/png|jpeg|gif|webp|svg+xml, or multipart/form-data with one file part',
        headers: Type.Object({ 'content-type': Type.String() }),
        body: RawImageBody,
        response: {
          200: UploadResponse,
          201: UploadResponse,
          ...errors,
          413: ErrorBody,
          415: ErrorBody,
          422: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const length = Number(request.headers['content-length'] ?? Number.NaN);
      if (length > maxBytes + (request.isMultipart() ? 64 * 1024 : 0)) {
        reply.header('connection', 'close');
        throw new AssetRejected('ASSET_TOO_LARGE', `uploads are limited to ${maxBytes} bytes`, { maxBytes });
      }
      if (request.isMultipart()) {
        const part = await request.file().catch((err: Error & { statusCode?: number }) => {
          throw new AssetRejected('ASSET_MALFORMED', `invalid multipart body: ${err.message}`);
        });
        if (!part) throw new AssetRejected('ASSET_EMPTY', 'the multipart body has no file part');
        const declared = declaredType(part.mimetype);
        const { asset, created } = await store.ingest(request.tenant.tenantId, declared, part.file);
        return reply.status(created ? 201 : 200).send({ ...toDto(asset), deduplicated: !created });
      }
      const declared = declaredType(request.headers['content-type']);
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function') {
        if (length === 0 || body === undefined) throw new AssetRejected('ASSET_EMPTY', 'the upload is empty');
        throw new UnsupportedMediaType('UNSUPPORTED_MEDIA_TYPE', 'send the image bytes as the request body');
      }
      const { asset, created } = await store.ingest(request.tenant.tenantId, declared, body);
      return reply.status(created ? 201 : 200).send({ ...toDto(asset), deduplicated: !created });
    },
  );

  app.get(
    '/api/v1/assets',
    { schema: { querystring: ListQuery, response: { 200: AssetList, 400: ErrorBody } } },
    async (request) => {
      const page = await store.list(request.tenant.tenantId, request.query.limit, request.query.cursor);
      return {
        items: page.items.map((a) => ({ ...toDto(a), usages: a.usages })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/assets/:id',
    {
      schema: {
        params: AssetParams,
        headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
        response: { 200: Binary, 304: Type.Null(), ...errors, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const tenantId = request.tenant.tenantId;
      const asset = await store.find(tenantId, request.params.id);
      const etag = `"${asset.sha256}"`;
      reply
        .header('etag', etag)
        .header('cache-control', IMMUTABLE)
        .header('content-security-policy', ASSET_CSP)
        .header('x-content-type-options', 'nosniff')
        // An image is a document of its own when opened (an SVG's links): it names no referrer.
        .header('referrer-policy', 'no-referrer')
        // Embedded by Confluence pages on other origins, including pages that require it
        // (Cross-Origin-Embedder-Policy: require-corp).
        .header('cross-origin-resource-policy', 'cross-origin');
      if (etagMatches(request.headers['if-none-match'], asset.sha256)) return reply.status(304).send(null);
      const stream = await store.open(tenantId, asset);
      return reply
        .type(asset.mediaType)
        .header('content-length', asset.size)
        .header('content-disposition', 'inline')
        .send(stream);
    },
  );

  app.get(
    '/api/v1/assets/:id/url',
    { schema: { params: AssetParams, response: { 200: PresignedUrl, ...errors } } },
    async (request) => {
      const asset = await store.find(request.tenant.tenantId, request.params.id);
      return store.presign(request.tenant.tenantId, asset);
    },
  );

  app.delete(
    '/api/v1/assets/:id',
    {
      onRequest: async (request) =>
        authorize(request, { action: 'delete', resource: 'asset', scope: 'site' } satisfies AssetWrite),
      schema: {
        params: AssetParams,
        response: { 204: Type.Null(), ...errors, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      await store.remove(request.tenant.tenantId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

const toDto = (a: AssetRecord) => ({
  id: a.id,
  mediaType: a.mediaType as MediaType,
  size: a.size,
  width: a.width,
  height: a.height,
  sha256: a.sha256,
  createdAt: a.createdAt,
});

/** The declared type without parameters; only the five image types are accepted. */
function declaredType(header: string | undefined): MediaType {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(MEDIA_TYPES as readonly string[]).includes(type)) {
    throw new UnsupportedMediaType(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be one of ${MEDIA_TYPES.join(', ')}`,
    );
  }
  return type as MediaType;
}

/** If-None-Match: a list of entity tags (weak or strong) or `*`. */
function etagMatches(header: string | undefined, sha256: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === `"${sha256}"`;
  });
}
