import { createHmac, randomBytes } from 'node:crypto';
import { AppError, appCounter } from '@rt/http';
import type { Redis } from '@rt/queue';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Options of {@link sourceLimitPlugin}. */
export interface SourceLimitOptions {
  redis: Redis;
  /** Redis key prefix (tests: a unique one). */
  keyPrefix: string;
  /** Refused authentications a source may cause per window before it is refused outright. */
  maxFailures: number;
  windowMs?: number;
  /**
   * HMAC key of the source hash. Router instances that share it share their counts through
   * Redis; without one each process draws its own (and counts alone).
   */
  hashKey?: string;
  now?: () => number;
}

/**
 * Limits what unauthenticated callers can make the router do, per source and before any work
 * that costs a database write or an outbound call (install-key and JWKS fetches, tenant
 * creation, audit rows): every 401 a source causes is counted (INCR in the region's Redis, so
 * all instances sharing the hash key see one count) in a window that opens with its first
 * refusal; once a source reached `maxFailures` in the window, its requests to any credentialed route are answered 429 at once, before
 * authentication. A source that authenticates is never slowed by this.
 *
 * The source is a keyed hash (HMAC-SHA-256) of the client address: the address itself is
 * written nowhere but the access log, and a counter lives no longer than its window.
 * Requests carrying a forwarding token are left out: their source is the other region's router,
 * and their token is checked by an HMAC alone.
 */
export const sourceLimitPlugin = fp<SourceLimitOptions>(
  async (app: FastifyInstance, opts) => {
    const windowMs = opts.windowMs ?? 60_000;
    const now = opts.now ?? Date.now;
    const key = opts.hashKey ?? randomBytes(32).toString('base64');
    /** Sources over the limit, by hash → end of their window (this instance's view). */
    const blocked = new Map<string, number>();
    const refused = appCounter(
      app,
      'router_unauthenticated_refused_total',
      'Requests refused before authentication because their source failed too often',
    );
    const failures = appCounter(
      app,
      'router_authentication_failures_total',
      'Requests answered 401 (counted per source for the unauthenticated limit)',
    );

    const sourceOf = (request: FastifyRequest) =>
      createHmac('sha256', key).update(request.ip).digest('base64url').slice(0, 22);
    const applies = (request: FastifyRequest) => !request.routeConfig?.public && !request.forwardingToken;

    // A callback hook that returns at once while no source is blocked (the normal case): the
    // source hash is computed only when there is something to compare it with.
    app.addHook('onRequest', (request, _reply, done) => {
      if (blocked.size === 0 || !applies(request)) return done();
      const source = sourceOf(request);
      const until = blocked.get(source);
      if (until === undefined) return done();
      const t = now();
      if (until <= t) {
        blocked.delete(source);
        return done();
      }
      refused.inc();
      throw new AppError(
        429,
        'RATE_LIMITED',
        `too many requests without valid credentials from this address; retry in ${Math.ceil((until - t) / 1000)} s`,
        undefined,
        { 'retry-after': String(Math.ceil((until - t) / 1000)) },
      );
    });

    // A callback hook too: every answer passes here, and only a 401 has anything to count.
    app.addHook('onResponse', (request, reply, done) => {
      done();
      if (reply.statusCode !== 401 || !applies(request)) return;
      failures.inc();
      const source = sourceOf(request);
      // The window opens with a source's first refusal (PEXPIRE NX) rather than on the clock, so
      // a burst is never split across two windows; the key lives no longer than the window.
      const redisKey = `${opts.keyPrefix}ua:${source}`;
      opts.redis
        .multi()
        .incr(redisKey)
        .pexpire(redisKey, windowMs, 'NX')
        .pttl(redisKey)
        .exec()
        .then(
          (results) => {
            const count = Number(results?.[0]?.[1] ?? 0);
            const ttl = Number(results?.[2]?.[1] ?? windowMs);
            if (count >= opts.maxFailures) blocked.set(source, now() + (ttl > 0 ? ttl : windowMs));
          },
          (err) => request.log.warn({ err }, 'unauthenticated limit: Redis unavailable, counting skipped'),
        );
    });
  },
  { name: 'rt-source-limit', dependencies: ['rt-edge'] },
);
