import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  createInternalTokenVerifier,
  type RouteKind,
  type TenantContext,
  verifyInternalBearer,
} from './internal-token.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every non-public route after the internal token was verified. */
    tenant: TenantContext;
  }
}

/** Options of {@link internalAuthPlugin}. */
export interface InternalAuthOptions {
  secret: string;
  /**
   * Route kinds this service serves: `api` for the front end's services (layout, theme, asset),
   * `atlassian-callback` for the residency hooks. A service token minted for another kind is a 401.
   */
  kinds: readonly RouteKind[];
}

/**
 * Services trust only the router: every route not marked `config.public` requires
 * `Authorization: Bearer <service token>` (HS256, iss rt-router, aud rt-service, ≤ 60 s old, or 120 s for a read's token that the router hands out again, of
 * one of `kinds`). Forwarding tokens (another audience) are refused.
 * Missing → 401 INTERNAL_TOKEN_MISSING; invalid/expired/other kind → 401 INTERNAL_TOKEN_INVALID.
 */
export const internalAuthPlugin = fp<InternalAuthOptions>(
  async (app: FastifyInstance, opts) => {
    const verify = createInternalTokenVerifier(opts.secret, { purpose: 'service', kinds: opts.kinds });
    app.decorateRequest('tenant', null as unknown as TenantContext);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (request.routeConfig?.public) return;
      const claims = verifyInternalBearer(request.headers.authorization, verify, request.method);
      request.tenant = {
        tenantId: claims.tid,
        region: claims.reg,
        // Service tokens leave the request id to `x-request-id` (Fastify's request id).
        requestId: claims.rid ?? String(request.id),
        kind: claims.kind,
        accountId: claims.sub,
        via: claims.via,
      };
    });
  },
  { name: 'rt-internal-auth' },
);
