import { Readable, Transform, type TransformCallback } from 'node:stream';
import { forgeTokenDigest, type InternalTokenSigner, READ_METHODS } from '@rt/auth';
import type { RegionTable } from '@rt/config';
import { MIGRATION_RETRY_AFTER_SECONDS } from '@rt/db';
import {
  cachedBytes,
  type DocumentReadCache,
  type DocumentType,
  SHARED_READ_HEADER,
  sendRepresentation,
} from '@rt/documents';
import { AppError, PayloadTooLarge, ServiceUnavailable, TenantMigrating } from '@rt/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouterConfig } from '../config.js';
import type { TenantDirectory, TenantRecord } from '../directory/tenant-directory.js';
import { isPlainPath, joinSegments, queryWithoutJwt } from '../edge/canonical-path.js';
import {
  FORGE_SYSTEM_TOKEN_HEADER,
  FORWARDED_HEADER,
  HOP_BY_HOP,
  listedInConnection,
  RELAYED_FORGE_TOKEN_HEADER,
  upstreamHeaders,
} from '../edge/edge-headers.js';
import { FORGE_PATHS } from '../forge/manifest.js';
import { type RequestAuth, relocating, type TenantRouteKind } from '../plugins/authenticate.js';
import type { RouterApp } from '../types.js';
import {
  type HeaderMap,
  isUpstreamTimeout,
  type UpstreamAnswer,
  UpstreamClient,
} from '../upstream/upstream-client.js';

type ServiceName = keyof RouterConfig['services'];

/** A public path prefix served by a regional service, with the kind of credentials it takes. */
export interface ProxyRoute {
  prefix: string;
  service: ServiceName;
  kind: TenantRouteKind;
  /** Takes image uploads (`UPLOAD_LIMIT_BYTES` instead of `BODY_LIMIT_BYTES`). */
  upload?: boolean;
  /** The service's path for this prefix, when it differs from the public one. */
  upstreamPrefix?: string;
  /**
   * The document kind this prefix reads: its GET answers that the service marks as shared
   * ({@link SHARED_READ_HEADER} with this kind) are kept in the router's read cache.
   */
  reads?: DocumentType;
  /**
   * A write under `<prefix>/<id>` (and a create answered with `Location: <prefix>/<id>`) changes
   * that one document of `reads` and nothing any other document's reads show, so the router's
   * own write drops only that document's cached reads and the kind's collection reads (lists).
   * Not for themes: a theme's answer shows whether it is the default, which another write moves.
   */
  documentWrites?: boolean;
  /**
   * Writes here change no document read (an image's upload or deletion changes no layout's or
   * theme's answer: documents name their images by id), so they drop nothing from the cache.
   */
  documentsUnaffected?: boolean;
}

/**
 * Public path prefix → regional service. Services register the same full paths.
 * `/api/v1/export` is served by the layout service, `/api/v1/spaces/*` and `/api/v1/settings` by
 * the theme service. `/dare-migration/*` are Atlassian's residency hooks for Connect
 * (`atlassian-callback`); the Forge manifest's `migration:dataResidency` path drives the same
 * hooks, the same state machine, with Forge Invocation Tokens (`forge-callback`).
 */
export const PROXY_ROUTES: ReadonlyArray<ProxyRoute> = [
  { prefix: '/api/v1/layouts', service: 'layout', kind: 'api', reads: 'layout', documentWrites: true },
  { prefix: '/api/v1/export', service: 'layout', kind: 'api' },
  { prefix: '/api/v1/themes', service: 'theme', kind: 'api', reads: 'theme' },
  { prefix: '/api/v1/spaces', service: 'theme', kind: 'api', reads: 'theme' },
  { prefix: '/api/v1/settings', service: 'theme', kind: 'api' },
  { prefix: '/api/v1/assets', service: 'asset', kind: 'api', upload: true, documentsUnaffected: true },
  { prefix: '/dare-migration', service: 'migration', kind: 'atlassian-callback' },
  {
    prefix: FORGE_PATHS.residency,
    service: 'migration',
    kind: 'forge-callback',
    upstreamPrefix: '/dare-migration',
  },
];

/** Reads: the methods a memo's read-only service token is accepted for, too. */
const SAFE_METHODS = READ_METHODS;

/** Options of {@link proxyRoutes}. */
export interface ProxyRouteOptions {
  region: string;
  regions: RegionTable;
  services: RouterConfig['services'];
  directory: TenantDirectory;
  /** Router → service tokens (audience `rt-service`). */
  signServiceToken: InternalTokenSigner;
  /** Router → home router tokens (audience `rt-forwarding`). */
  signForwardingToken: InternalTokenSigner;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  /** The router's cache of shared document reads (absent: every read goes to the service). */
  readCache?: DocumentReadCache;
}

/** The answer when the regional service cannot be reached or breaks off. */
const upstreamUnavailable = () =>
  new AppError(502, 'UPSTREAM_UNAVAILABLE', 'the regional service is unavailable');

/** Fails the stream once more than `limit` bytes went through (chunked bodies have no length). */
class BodyLimit extends Transform {
  private seen = 0;
  exceeded = false;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      this.exceeded = true;
      done(new PayloadTooLarge());
      return;
    }
    done(null, chunk);
  }
}

/**
 * The upstream path, rebuilt from the matched route and its parameter — never from the raw URL:
 * the route's prefix plus each segment of the wildcard re-encoded on its own. The edge already
 * refused dot segments, empty segments and encoded separators; {@link joinSegments} refuses
 * them again, so no upstream parser can read a different path.
 */
const rebuiltPath = (request: FastifyRequest, prefix: string): string => {
  const rest = (request.params as { '*'?: string })['*'];
  if (rest === undefined) return prefix;
  // Unreserved characters only: re-encoding each segment would give the same text.
  if (isPlainPath(`/${rest}`)) return `${prefix}/${rest}`;
  const segments = rest.split('/');
  const trailingSlash = segments[segments.length - 1] === '';
  if (trailingSlash) segments.pop();
  return segments.length ? `${prefix}${joinSegments(segments, trailingSlash)}` : `${prefix}/`;
};

const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The document a path under `prefix` reads or writes: its first segment after the prefix when
 * that is a document id (`<prefix>/<id>`, `<prefix>/<id>/revisions`…), lower-cased; undefined
 * for the prefix itself (a list) and for anything else, which then counts as a collection read.
 */
export function documentOfPath(path: string, prefix: string): string | undefined {
  if (!path.startsWith(`${prefix}/`)) return undefined;
  const end = path.indexOf('/', prefix.length + 1);
  const segment = path.slice(prefix.length + 1, end < 0 ? undefined : end).toLowerCase();
  return DOCUMENT_ID.test(segment) ? segment : undefined;
}

/**
 * Headers of an answer that are not passed on: hop-by-hop ones (the router's connection to its
 * client has its own) and the services' marker of shared reads, which is for the router only,
 * never for clients.
 */
const NOT_PASSED_BACK = new Set([...HOP_BY_HOP, SHARED_READ_HEADER]);

/**
 * An HTTP/1 connection cannot carry another request before this one's body was read: when the
 * answer (or the failure) comes first, the client's connection closes after it. (`complete` is a
 * boolean on Node's requests; an injected request has none.)
 */
const closeIfBodyUnread = (request: FastifyRequest, reply: FastifyReply): void => {
  if (request.raw.complete === false) reply.header('connection', 'close');
};

/** Sends an upstream answer on: its status, the headers it may pass back, its body or stream. */
function sendAnswer(reply: FastifyReply, answer: UpstreamAnswer): void {
  const { statusCode, headers } = answer;
  if (statusCode < 200 || statusCode > 599) {
    answer.stream?.destroy();
    reply.send(upstreamUnavailable());
    return;
  }
  const listed = listedInConnection(headers.connection);
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !NOT_PASSED_BACK.has(name) && !listed.includes(name))
      reply.header(name, value);
  }
  // Fastify's HEAD route sets Content-Length from a Buffer's size (0 here), not from a stream:
  // an empty stream keeps the length the service gave.
  const payload = reply.request.method === 'HEAD' ? Readable.from([]) : (answer.body ?? answer.stream);
  reply.code(statusCode).send(payload);
}

/**
 * What a cache miss does with its answer: a 200 the service marked as a shared read of `kind`
 * that arrived whole (the upstream client reads answers whole only up to its
 * `BUFFERED_ANSWER_BYTES`; larger ones stream through) is kept (unless the tenant was invalidated
 * since `ticket`, taken before the request went out) and sent; anything else is passed on
 * untouched.
 */
function keepSharedRead(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: DocumentReadCache,
  tenantId: string,
  kind: DocumentType,
  key: string,
  ticket: number,
  /** The read's document ({@link documentOfPath}), worked out only for an answer that is kept. */
  doc: () => string | undefined,
): (answer: UpstreamAnswer) => void {
  return (answer) => {
    const etag = answer.headers.etag;
    if (
      answer.statusCode !== 200 ||
      answer.headers[SHARED_READ_HEADER] !== kind ||
      typeof etag !== 'string' ||
      answer.body === undefined
    ) {
      sendAnswer(reply, answer);
      return;
    }
    const body = cachedBytes([answer.body]);
    cache.store(tenantId, kind, key, { etag, body }, ticket, doc());
    sendRepresentation(request, reply, etag, body);
  };
}

/**
 * Proxies authenticated requests to the tenant's home region through the router's
 * {@link UpstreamClient} (undici keep-alive pools; request bodies streamed, never buffered; small
 * answers passed on whole, large ones streamed): to this region's service with a fresh internal
 * token, or — for a tenant homed elsewhere — to the home region's router with a forwarding token.
 * While a migration holds the tenant frozen, writes get 503 TENANT_MIGRATING (reads go on).
 */
export async function proxyRoutes(app: RouterApp, opts: ProxyRouteOptions): Promise<void> {
  const upstream = new UpstreamClient({
    connections: 128,
    // One delay for all three, UpstreamClient's default (see there): an idle connection, an
    // answer's headers and a pause within its body (a reader's back-pressure does not count).
    keepAliveTimeoutMs: 30_000,
  });
  app.addHook('onClose', () => upstream.destroy());

  // Bodies stay streams: the router neither parses nor buffers them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    const limit = request.routeConfig.upload ? opts.uploadLimitBytes : opts.bodyLimitBytes;
    const length = request.headers['content-length'];
    if (Number(length ?? 0) > limit) {
      done(new PayloadTooLarge(`request body is larger than ${limit} bytes`), undefined);
      return;
    }
    if (length !== undefined) {
      // A body framed by Content-Length is exactly that long: Node's HTTP parser hands over no
      // byte past it (any further bytes are the connection's next request), so the declared
      // length checked above is the limit, with no counting stream in the way. The upstream
      // request consumes the body's errors; before it starts, they need a listener.
      payload.on('error', () => undefined);
      done(null, payload);
      return;
    }
    // A chunked body has no length up front: counted as it goes, and cut off past the limit.
    const limiter = new BodyLimit(limit);
    (request as FastifyRequest & { bodyLimiter?: BodyLimit }).bodyLimiter = limiter;
    payload.on('error', (err) => limiter.destroy(err));
    // The upstream request consumes the error (and onError answers 413); without a listener of
    // its own a late error would be an unhandled 'error' event.
    limiter.on('error', () => undefined);
    done(null, payload.pipe(limiter));
  });

  type OnAnswer = (answer: UpstreamAnswer) => void;
  type OnFailure = (reply: FastifyReply, error: Error) => void;
  const onError: OnFailure = (reply, error) => {
    const limiter = (reply.request as unknown as { bodyLimiter?: BodyLimit }).bodyLimiter;
    if (limiter?.exceeded) {
      reply.send(new PayloadTooLarge());
    } else if (isUpstreamTimeout(error)) {
      reply.send(new AppError(504, 'UPSTREAM_TIMEOUT', 'the regional service did not answer in time'));
    } else {
      reply.send(upstreamUnavailable());
    }
  };

  /** An upstream base URL as origin and path prefix, parsed once. */
  const targetOf = (base: string) => {
    const url = new URL(base);
    return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
  };
  type Target = ReturnType<typeof targetOf>;
  /** Each region's router, by region id: where a tenant homed there is forwarded. */
  const homeRouters = new Map(opts.regions.regions.map((r) => [r.id, { id: r.id, ...targetOf(r.baseUrl) }]));

  /**
   * Sends the request on to `path` at `target`: the client's headers less what never goes
   * upstream, plus `set`; the query without `jwt` (the Atlassian token never travels past the
   * router); the body as the stream the content-type parser made of it. No retries: a write
   * may have reached the service before its connection broke.
   */
  const forward = (
    request: FastifyRequest,
    reply: FastifyReply,
    target: Target,
    path: string,
    set: Record<string, string>,
    onAnswer: OnAnswer,
    onFailure: OnFailure,
    options: {
      /** A cache miss asks for the full answer, so that it can be kept. */
      withoutIfNoneMatch?: boolean;
      /** Runs instead of `onAnswer` when the client went away before the answer came. */
      onDropped?: () => void;
    } = {},
  ): void => {
    const headers = upstreamHeaders(request.headers as HeaderMap, set);
    // Left out by an undefined value (the HTTP client skips those), not `delete` (see upstreamHeaders).
    if (options.withoutIfNoneMatch && headers['if-none-match'] !== undefined)
      headers['if-none-match'] = undefined;
    const body = request.body instanceof Readable ? request.body : undefined;
    // A body the router did not read (none parsed) is not announced either.
    if (!body && headers['content-length'] !== undefined) headers['content-length'] = undefined;
    const query = queryWithoutJwt(request.target.query);
    upstream.send(
      {
        origin: target.origin,
        path: query ? `${target.basePath}${path}?${query}` : `${target.basePath}${path}`,
        method: request.method,
        headers,
        ...(body ? { body } : {}),
      },
      (answer) => {
        if (request.raw.socket?.destroyed) {
          // The client went away while the service answered: nobody to send it to.
          answer.stream?.destroy();
          options.onDropped?.();
          return;
        }
        closeIfBodyUnread(request, reply);
        try {
          onAnswer(answer);
        } catch (err) {
          answer.stream?.destroy();
          if (!reply.sent) reply.send(err);
        }
      },
      (error) => {
        if (reply.sent) return;
        closeIfBodyUnread(request, reply);
        onFailure(reply, error);
      },
    );
  };

  /** One handler per proxied route, bound to the route's service, prefixes and kind. */
  const handlerFor = (route: ProxyRoute) => {
    const kind = route.kind;
    const service = targetOf(opts.services[route.service]);
    const upstreamPrefix = route.upstreamPrefix ?? route.prefix;
    const reads = route.reads;
    /**
     * Not an async handler: one returning `reply.from(…)` hands Fastify the reply as a thenable,
     * which then waits for the response's end with stream listeners of its own on every request.
     * Errors thrown here go to the error handler as from any handler.
     */
    const handler = (request: FastifyRequest, reply: FastifyReply): void => {
      const auth = request.auth!;
      const tenant = auth.tenant;
      if (tenant.homeRegion !== opts.region && auth.forwardedFrom) {
        // The entry router believed the tenant lives here; re-read before passing it on. A
        // migration that committed while the request travelled sends it on to the new home,
        // once: a second hop is never forwarded again (two routers with opposite stale views
        // cannot bounce a request between them).
        opts.directory.invalidate(tenant.id);
        opts.directory
          .byId(tenant.id)
          .then((current) => {
            const home = current ?? tenant;
            if (home.homeRegion !== opts.region && auth.hop === 2) throw relocating();
            proxy(request, reply, auth, home);
          })
          .catch((err: unknown) => reply.send(err));
        return;
      }
      proxy(request, reply, auth, tenant);
    };

    const proxy = (
      request: FastifyRequest,
      reply: FastifyReply,
      auth: RequestAuth,
      tenant: TenantRecord,
    ): void => {
      if (tenant.homeRegion !== opts.region) {
        const home = homeRouters.get(tenant.homeRegion);
        if (!home)
          throw new ServiceUnavailable(
            'REGION_UNAVAILABLE',
            `region ${tenant.homeRegion} is not configured`,
            30,
          );
        // The hop carries the kind of the route this router matched, signed: the home router
        // serves it only on a route of the same kind.
        const hop = opts.signForwardingToken({
          tid: tenant.id,
          reg: home.id,
          rid: String(request.id),
          kind,
          sub: auth.accountId,
          via: auth.via,
          cip: auth.clientIp ?? request.ip,
          ...(auth.forwardedFrom ? { hop: 2 as const } : {}),
          ...(auth.forgeSystemToken ? { fst: forgeTokenDigest(auth.forgeSystemToken) } : {}),
        });
        // The home router serves the same public route, so the hop keeps the public path.
        forward(
          request,
          reply,
          home,
          rebuiltPath(request, route.prefix),
          {
            [FORWARDED_HEADER]: hop,
            'x-request-id': String(request.id),
            ...(auth.forgeSystemToken ? { [FORGE_SYSTEM_TOKEN_HEADER]: auth.forgeSystemToken } : {}),
          },
          (answer) => sendAnswer(reply, answer),
          onError,
        );
        return;
      }

      // The freeze is a property of the matched route (front-end writes), not of the URL's spelling.
      if (tenant.frozenByMigration && kind === 'api' && !SAFE_METHODS.has(request.method)) {
        throw new TenantMigrating(MIGRATION_RETRY_AFTER_SECONDS);
      }

      const upstreamPath = rebuiltPath(request, upstreamPrefix);
      const cache = opts.readCache;
      let onAnswer: OnAnswer = (answer) => sendAnswer(reply, answer);
      let onUpstreamError = onError;
      let onDropped: (() => void) | undefined;
      let askFullAnswer = false;
      if (cache && reads && request.method === 'GET') {
        // Tenant first: the key is looked up under the verified tenant only (see DocumentReadCache).
        const query = queryWithoutJwt(request.target.query);
        const key = query ? `${upstreamPath}?${query}` : upstreamPath;
        const cached = cache.get(tenant.id, reads, key);
        if (cached?.body != null) {
          sendRepresentation(request, reply, cached.etag, cached.body);
          return;
        }
        // A miss asks for the full answer (no If-None-Match upstream) so that it can be kept;
        // the client still gets its 304 from here.
        askFullAnswer = true;
        onAnswer = keepSharedRead(request, reply, cache, tenant.id, reads, key, cache.ticket(), () =>
          documentOfPath(upstreamPath, upstreamPrefix),
        );
      } else if (cache && !SAFE_METHODS.has(request.method) && !route.documentsUnaffected) {
        // The writer's own write: this router's copies of the tenant go once the service has
        // answered (the service's notice reaches the other routers through the bus), and also
        // when the answer is lost — the write may have committed all the same. A write of one
        // document of a kind whose documents show nothing of each other drops only that
        // document's reads and the kind's lists; any other write, every read of the tenant.
        onAnswer = (answer) => {
          const location = answer.headers.location;
          const doc =
            reads && route.documentWrites
              ? (documentOfPath(upstreamPath, upstreamPrefix) ??
                (typeof location === 'string' ? documentOfPath(location, upstreamPrefix) : undefined))
              : undefined;
          if (doc && reads) cache.invalidate(tenant.id, reads, doc);
          else cache.invalidate(tenant.id);
          sendAnswer(reply, answer);
        };
        onUpstreamError = (reply, error) => {
          cache.invalidate(tenant.id);
          onError(reply, error);
        };
        onDropped = () => cache.invalidate(tenant.id);
      }
      // No request id in the service token (it travels in x-request-id): the signer then reuses
      // one token per tenant, kind and user within a second, and a credential verified before
      // keeps its own for reads (its tenant, user and kind are this request's: `auth.serviceTokens`).
      const token = opts.signServiceToken(
        {
          tid: tenant.id,
          reg: opts.region,
          kind,
          sub: auth.accountId,
          via: auth.via,
          ...(auth.forgeSystemToken ? { fst: forgeTokenDigest(auth.forgeSystemToken) } : {}),
        },
        // Reads only: a service may hand the token back with a permission question after it has
        // read a request's body, which can take most of a minute (a theme import over a slow
        // link); a write's token is signed within its second, with its whole lifetime ahead.
        SAFE_METHODS.has(request.method) && tenant === auth.tenant && !auth.forgeSystemToken
          ? auth.serviceTokens
          : undefined,
      );
      forward(
        request,
        reply,
        service,
        upstreamPath,
        {
          authorization: `Bearer ${token}`,
          'x-request-id': String(request.id),
          // The service hands it back with its permission question; the router then calls
          // `app.apiBaseUrl` with it (a Forge tenant has no shared secret to sign with). The
          // digest in the service token binds it to this request.
          ...(auth.forgeSystemToken ? { [RELAYED_FORGE_TOKEN_HEADER]: auth.forgeSystemToken } : {}),
        },
        onAnswer,
        onUpstreamError,
        {
          withoutIfNoneMatch: askFullAnswer,
          // A write whose client went away may have committed all the same.
          ...(onDropped ? { onDropped } : {}),
        },
      );
    };
    return handler;
  };

  for (const route of PROXY_ROUTES) {
    const handler = handlerFor(route);
    for (const url of [route.prefix, `${route.prefix}/*`]) {
      app.route({
        method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        url,
        config: {
          kind: route.kind,
          tenantAuth: true,
          upload: route.upload ?? false,
        },
        handler,
      });
    }
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Takes uploads (the larger body limit). */
    upload?: boolean;
  }
}
