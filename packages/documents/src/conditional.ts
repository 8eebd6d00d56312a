import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DocumentType } from './document-kind.js';
import { type CachedRepresentation, cachedBytes, type DocumentReadCache } from './read-cache.js';

/**
 * Headers of a conditional GET. `If-None-Match` with the ETag of the copy a client holds turns an
 * unchanged answer into `304 Not Modified` without a body.
 */
export const IfNoneMatchHeaders = Type.Object({
  'if-none-match': Type.Optional(
    Type.String({ maxLength: 1000, description: 'ETag(s) of the copy the client holds' }),
  ),
});

/** The 304 answer of a conditional GET, for response schemas (and so for OpenAPI). */
export const NotModified = Type.Null({
  description: 'not modified: the ETag sent in If-None-Match is current (no body)',
});

/**
 * Response header of a read that any caller of the same tenant may be given as is: its value is
 * the document kind whose document-changed notices (and any tenant-changed notice) make it stale.
 * Reads never depend on the user (they ask no permission), only on the tenant and the request's
 * path and query. The router keeps such answers in its own read cache and never passes the
 * header on to clients.
 */
export const SHARED_READ_HEADER = 'x-rt-shared-read';

/** What a read that found nothing is cached as. */
const ABSENT: CachedRepresentation = { etag: '', body: null };

const ENTITY_TAG = /(?:W\/)?"([^"]*)"/g;

/**
 * Whether `If-None-Match` names `etag` (RFC 9110 §13.1.2): `*` matches any current
 * representation; otherwise the weak comparison applies, so `W/"3"` matches `"3"`.
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const wanted = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const match of value.matchAll(ENTITY_TAG)) if (`"${match[1]}"` === wanted) return true;
  return false;
}

/**
 * ETag of a representation that has no version of its own (a page of a list, a space's resolved
 * theme): a digest of its bytes, so every replica computes the same tag for the same content
 * and a tag can never name different content.
 */
export function contentEtag(body: string): string {
  return `"c${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Where a cacheable read lives in the {@link DocumentReadCache}. */
export interface ReadKey {
  tenantId: string;
  kind: DocumentType;
  key: string;
  /** The one document the read shows (a document by id); absent for collection reads. */
  doc?: string;
}

/**
 * Answers a GET from the read cache when it can, otherwise from `load` (which then fills the
 * cache): 304 when `If-None-Match` names the current ETag — with no database round trip on a
 * cache hit — else 200 with the body. `load` returns null when there is nothing to read; then
 * `notFound()` is thrown (the absence is cached too, and invalidated like any entry).
 */
export async function sendCachedRead(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: DocumentReadCache | undefined,
  where: ReadKey,
  load: () => Promise<{ etag: string; body: string } | null>,
  notFound: () => Error,
): Promise<FastifyReply> {
  const absentOr = async (): Promise<CachedRepresentation> => {
    const loaded = await load();
    return loaded ? { etag: loaded.etag, body: cachedBytes(loaded.body) } : ABSENT;
  };
  const representation = cache
    ? await cache.read(where.tenantId, where.kind, where.key, absentOr, where.doc)
    : await absentOr();
  if (representation.body === null) throw notFound();
  reply.header(SHARED_READ_HEADER, where.kind);
  return sendRepresentation(request, reply, representation.etag, representation.body);
}

/**
 * Sends a representation of a document read (by the service, or by the router from its read
 * cache): 304 when `If-None-Match` names `etag`, else 200 with the JSON `body`.
 */
export function sendRepresentation(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  body: Buffer,
): FastifyReply {
  // Clients must not reuse a copy without asking: a stale theme or layout is a visible bug.
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (ifNoneMatchHits(request.headers['if-none-match'], etag)) return reply.status(304).send();
  // Bytes are sent as they are; the charset Fastify adds to a JSON text is named here.
  return reply.type('application/json; charset=utf-8').send(body);
}
