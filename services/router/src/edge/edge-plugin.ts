import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type CanonicalTarget, parseTarget } from './canonical-path.js';
import { assertSingleValued, takeRouterOwnedHeaders } from './edge-headers.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The canonical request target (set by the edge before any other hook). */
    target: CanonicalTarget;
    /** The forwarding token another region's router sent, taken out of the headers at the edge. */
    forwardingToken: string | undefined;
    /** `x-forge-oauth-system` as sent, taken out of the headers (trusted only beside a FIT). */
    forgeSystemToken: string | undefined;
    /** `x-rt-forge-token` as sent, taken out of the headers (trusted only with its signed digest). */
    relayedForgeToken: string | undefined;
  }
}

/**
 * The public entry's first hook, before anything reads the request: one canonical path
 * (400 PATH_NOT_CANONICAL otherwise), single-valued credential and framing headers (400
 * HEADER_AMBIGUOUS), and no client-sent `x-rt-*` / `x-forge-*` header past this point.
 * Registered first on the root instance, so it runs for every route and for the 404 handler.
 */
export const edgePlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('target', null as unknown as CanonicalTarget);
    app.decorateRequest('forwardingToken', undefined);
    app.decorateRequest('forgeSystemToken', undefined);
    app.decorateRequest('relayedForgeToken', undefined);
    // A callback hook (no promise per request): everything here is synchronous.
    app.addHook('onRequest', (request, _reply, done) => {
      assertSingleValued(request.raw.rawHeaders);
      const taken = takeRouterOwnedHeaders(request.headers);
      request.forwardingToken = taken.forwardingToken;
      request.forgeSystemToken = taken.forgeSystemToken;
      request.relayedForgeToken = taken.relayedForgeToken;
      request.target = parseTarget(request.raw.url ?? '');
      done();
    });
  },
  { name: 'rt-edge' },
);
