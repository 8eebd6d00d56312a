import cors from '@fastify/cors';
import { AppError } from '@rt/http';
import type { Redis } from '@rt/queue';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { batchedRedisStore } from './rate-limit-store.js';

/** Options of {@link securityPlugin}. */
export interface SecurityOptions {
  corsOrigins: string[];
  redis: Redis;
  rateLimitPerMinute: number;
  /** Redis key prefix of the rate-limit counters. */
  keyPrefix: string;
}

/**
 * The security headers of every answer: the set the OWASP REST Security Cheat Sheet gives for
 * all API responses ("Security Headers",
 * https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers),
 * constants set on every request; its other two, `Content-Type` and `Cache-Control`, are each
 * answer's own (document reads are revalidated by ETag). The router answers JSON and images,
 * never a document of its own but the two pages (the API reference, the ops console). The
 * headers that sheet gives "mainly for HTML responses" (`Referrer-Policy`, `Permissions-Policy`),
 * and those a page generator like helmet adds (`origin-agent-cluster`, `x-dns-prefetch-control`,
 * `x-download-options`, `x-permitted-cross-domain-policies`, `x-xss-protection`,
 * `cross-origin-opener-policy`), protect nothing in a JSON answer and cost every answer about
 * 2 000 instructions each (Node checks and writes a header line by line): they are set where a
 * document is answered — the pages, and the asset service's images (`Referrer-Policy`, and
 * `Cross-Origin-Resource-Policy: cross-origin` so that Confluence pages on other origins may embed
 * them; JSON is fetched with CORS, which that header does not govern).
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = [
  // Nothing in an answer may load anything, and no answer may be framed.
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
];

/**
 * Security headers ({@link SECURITY_HEADERS}), CORS for the configured origins only,
 * and a per-tenant rate limit in Redis (shared by all router instances of the region, see
 * {@link batchedRedisStore}); it runs after authentication (preHandler), keyed by the verified
 * tenant id.
 */
export const securityPlugin = fp<SecurityOptions>(
  async (app: FastifyInstance, opts) => {
    app.addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of SECURITY_HEADERS) reply.header(name, value);
      done();
    });
    // Without an allowed origin there is no CORS answer to give (no header, preflights 404 as
    // any unknown route): the plugin is not registered, so its hook costs no request anything.
    if (opts.corsOrigins.length) {
      await app.register(cors, {
        origin: opts.corsOrigins,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id'],
        exposedHeaders: [
          'ETag',
          'Retry-After',
          'X-Request-Id',
          'Location',
          // The budget near its end (see the rate limit below), readable by a front end on another origin.
          'X-RateLimit-NearLimit',
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
        ],
        maxAge: 600,
      });
    }
    // One counter per tenant across all its routes, after authentication (preHandler), keyed by
    // the verified tenant id — never the client address: it may be stored only in the access log.
    // Only authenticated requests count; the entry router counts a forwarded request, the home
    // router does not count it again. Only the front end's API counts: Atlassian's own calls
    // (residency hooks, Forge callbacks) are few, and a refused one would fail the site's data
    // residency move because its users happen to be busy.
    const counter = batchedRedisStore({ redis: opts.redis, prefix: `${opts.keyPrefix}rl:` });
    const max = opts.rateLimitPerMinute;
    const limit = String(max);
    // Atlassian's convention for its own cloud APIs, which the apps built on them already read:
    // a successful answer says nothing of the budget until less than 20% of it remains, then
    // `X-RateLimit-NearLimit: true` (https://developer.atlassian.com/cloud/confluence/rate-limiting/);
    // the 429 says when to come back (`Retry-After`). Here the near-limit answers and the 429 also
    // carry the budget itself (`x-ratelimit-limit|remaining|reset`). Three headers on every answer
    // would cost each answer about 6 000 instructions in Node's writeHead for nothing most of
    // the time.
    const nearLimitFrom = max - Math.ceil(max * 0.2);
    app.addHook('preHandler', (request, reply, done) => {
      const auth = request.auth;
      if (!auth || auth.forwardedFrom || request.routeConfig.kind !== 'api') return done();
      const { current, ttl } = counter.hit(auth.tenant.id, 60_000);
      if (current <= nearLimitFrom) return done();
      const resetSeconds = String(Math.ceil(ttl / 1000));
      reply.header('x-ratelimit-nearlimit', 'true');
      reply.header('x-ratelimit-limit', limit);
      reply.header('x-ratelimit-remaining', String(Math.max(0, max - current)));
      reply.header('x-ratelimit-reset', resetSeconds);
      if (current <= max) return done();
      throw new AppError(
        429,
        'RATE_LIMITED',
        `more than ${max} requests per minute for this site; retry in ${resetSeconds} s`,
        undefined,
        { 'retry-after': resetSeconds },
      );
    });
  },
  { name: 'rt-security' },
);
