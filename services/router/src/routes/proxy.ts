import { Transform, type TransformCallback } from 'node:stream';
import replyFrom from '@fastify/reply-from';
import type { InternalClaims } from '@rt/auth';
import type { RegionTable } from '@rt/config';
import { FORGE_TOKEN_HEADER } from '@rt/confluence';
import { AppError, PayloadTooLarge, ServiceUnavailable } from '@rt/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouterConfig } from '../config.js';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import { FORGE_PATHS } from '../forge/manifest.js';
import {
  type AuthKind,
  CLIENT_IP_HEADER,
  FORGE_SYSTEM_TOKEN_HEADER,
  FORWARDED_HEADER,
  relocating,
} from '../plugins/authenticate.js';
import type { RouterApp } from '../types.js';

type ServiceName = keyof RouterConfig['services'];

/**
 * Public path prefix → regional service. Services register the same full paths.
 * `/api/v1/export` is served by the layout service, `/api/v1/spaces/*` and `/api/v1/settings` by
 * the theme service.
 */
export const PROXY_ROUTES: ReadonlyArray<{
  prefix: string;
  service: ServiceName;
  auth: AuthKind;
  /** The service's path for this prefix, when it differs from the public one. */
  upstreamPrefix?: string;
}> = [
  { prefix: '/api/v1/layouts', service: 'layout', auth: 'api' },
  { prefix: '/api/v1/export', service: 'layout', auth: 'api' },
  { prefix: '/api/v1/themes', service: 'theme', auth: 'api' },
  { prefix: '/api/v1/spaces', service: 'theme', auth: 'api' },
  { prefix: '/api/v1/settings', service: 'theme', auth: 'api' },
  { prefix: '/api/v1/assets', service: 'asset', auth: 'api' },
  { prefix: '/dare-migration', service: 'migration', auth: 'atlassian' },
  // Forge's `migration:dataResidency` hooks (FIT only) drive the same state machine as Connect's.
  {
    prefix: FORGE_PATHS.residency,
    service: 'migration',
    auth: 'forge-callback',
    upstreamPrefix: '/dare-migration',
  },
];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** How long clients should wait before retrying a write during a migration. */
export const MIGRATION_RETRY_AFTER_SECONDS = 60;

/** Headers never passed on: credentials, hop-by-hop, and anything carrying the client address. */
const STRIP_HEADERS = [
  'authorization',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  FORWARDED_HEADER,
  CLIENT_IP_HEADER,
  // Set below from the verified request only, never passed on from the client.
  FORGE_SYSTEM_TOKEN_HEADER,
  FORGE_TOKEN_HEADER,
];

/** Options of {@link proxyRoutes}. */
export interface ProxyRouteOptions {
  region: string;
  regions: RegionTable;
  services: RouterConfig['services'];
  directory: TenantDirectory;
  signInternalToken: (claims: InternalClaims) => string;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
}

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

/** The query string without `jwt` (the Atlassian token never travels past the router). */
const queryWithoutJwt = (_search: string | undefined, reqUrl: string): string => {
  const q = reqUrl.indexOf('?');
  if (q === -1) return '';
  const query = reqUrl.slice(q + 1);
  if (!/(^|&)jwt=/.test(query)) return query;
  const params = new URLSearchParams(query);
  params.delete('jwt');
  return params.toString();
};

const pathOf = (url: string) => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

/**
 * Proxies authenticated requests to the tenant's home region with @fastify/reply-from (undici
 * pools, bodies streamed both ways, never buffered): to this region's service with a fresh internal
 * token, or — for a tenant homed elsewhere — to the home region's router with a forwarding token.
 * While a migration holds the tenant frozen, writes get 503 TENANT_MIGRATING (reads go on).
 */
export async function proxyRoutes(app: RouterApp, opts: ProxyRouteOptions): Promise<void> {
  await app.register(replyFrom, {
    undici: {
      connections: 128,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: 30_000,
      bodyTimeout: 120_000,
    },
    disableRequestLogging: true,
  });

  // Bodies stay streams: the router neither parses nor buffers them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    const limit = pathOf(request.url).startsWith('/api/v1/assets')
      ? opts.uploadLimitBytes
      : opts.bodyLimitBytes;
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      done(new PayloadTooLarge(`request body is larger than ${limit} bytes`), undefined);
      return;
    }
    const limiter = new BodyLimit(limit);
    (request as FastifyRequest & { bodyLimiter?: BodyLimit }).bodyLimiter = limiter;
    payload.on('error', (err) => limiter.destroy(err));
    // The upstream request consumes the error (and onError answers 413); without a listener of
    // its own a late error would be an unhandled 'error' event.
    limiter.on('error', () => undefined);
    done(null, payload.pipe(limiter));
  });

  type ReplyFromOptions = NonNullable<Parameters<FastifyReply['from']>[1]>;
  const onError: NonNullable<ReplyFromOptions['onError']> = (reply, { error }) => {
    const limiter = (reply.request as unknown as { bodyLimiter?: BodyLimit }).bodyLimiter;
    if (limiter?.exceeded) {
      reply.send(new PayloadTooLarge());
    } else if ((error as { statusCode?: number }).statusCode === 504) {
      reply.send(new AppError(504, 'UPSTREAM_TIMEOUT', 'the regional service did not answer in time'));
    } else {
      reply.send(new AppError(502, 'UPSTREAM_UNAVAILABLE', 'the regional service is unavailable'));
    }
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = request.auth!;
    let tenant = auth.tenant;
    if (tenant.homeRegion !== opts.region && auth.forwardedFrom) {
      // The entry router believed the tenant lives here; re-read before bouncing it back.
      opts.directory.invalidate(tenant.id);
      tenant = (await opts.directory.byId(tenant.id)) ?? tenant;
      if (tenant.homeRegion !== opts.region) throw relocating();
    }

    if (tenant.homeRegion !== opts.region) {
      const home = opts.regions.regions.find((r) => r.id === tenant.homeRegion);
      if (!home)
        throw new ServiceUnavailable(
          'REGION_UNAVAILABLE',
          `region ${tenant.homeRegion} is not configured`,
          30,
        );
      const hop = opts.signInternalToken({
        tid: tenant.id,
        reg: home.id,
        rid: String(request.id),
        sub: auth.accountId,
        via: auth.via,
      });
      return reply.from(`${home.baseUrl}${pathOf(request.url)}`, {
        queryString: queryWithoutJwt,
        retryDelay: () => null,
        onError,
        rewriteRequestHeaders: (_req, headers) => {
          for (const h of STRIP_HEADERS) delete headers[h];
          headers[FORWARDED_HEADER] = hop;
          headers[CLIENT_IP_HEADER] = request.ip;
          if (auth.forgeSystemToken) headers[FORGE_SYSTEM_TOKEN_HEADER] = auth.forgeSystemToken;
          headers['x-request-id'] = String(request.id);
          return headers;
        },
      });
    }

    if (tenant.frozenByMigration && !SAFE_METHODS.has(request.method) && request.url.startsWith('/api/v1/')) {
      throw new ServiceUnavailable(
        'TENANT_MIGRATING',
        'the site is being moved to another region; changes are paused until the move completes',
        MIGRATION_RETRY_AFTER_SECONDS,
      );
    }

    const service = request.routeOptions.config?.service as ServiceName;
    const token = opts.signInternalToken({
      tid: tenant.id,
      reg: opts.region,
      rid: String(request.id),
      sub: auth.accountId,
      via: auth.via,
    });
    const publicPath = pathOf(request.url);
    const { prefix, upstreamPrefix } = request.routeOptions.config;
    const upstreamPath =
      upstreamPrefix && prefix ? `${upstreamPrefix}${publicPath.slice(prefix.length)}` : publicPath;
    return reply.from(`${opts.services[service]}${upstreamPath}`, {
      queryString: queryWithoutJwt,
      retryDelay: () => null,
      onError,
      rewriteRequestHeaders: (_req, headers) => {
        for (const h of STRIP_HEADERS) delete headers[h];
        headers.authorization = `Bearer ${token}`;
        headers['x-request-id'] = String(request.id);
        // The service hands it back with its permission question; the router then calls
        // `app.apiBaseUrl` with it (a Forge tenant has no shared secret to sign with).
        if (auth.forgeSystemToken) headers[FORGE_TOKEN_HEADER] = auth.forgeSystemToken;
        return headers;
      },
    });
  };

  for (const route of PROXY_ROUTES) {
    for (const url of [route.prefix, `${route.prefix}/*`]) {
      app.route({
        method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        url,
        config: {
          auth: route.auth,
          service: route.service,
          prefix: route.prefix,
          upstreamPrefix: route.upstreamPrefix,
        },
        handler,
      });
    }
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Regional service a proxied route goes to. */
    service?: string;
    /** Public prefix of a proxied route and, where it differs, the service's own. */
    prefix?: string;
    upstreamPrefix?: string;
  }
}
