import fastifyJwt from '@fastify/jwt';
import { Unauthorized } from '@rt/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  INTERNAL_TOKEN_AUDIENCE,
  INTERNAL_TOKEN_ISSUER,
  INTERNAL_TOKEN_TTL_SECONDS,
  type InternalClaims,
  type TenantContext,
} from './internal-token.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every non-public route after the internal token was verified. */
    tenant: TenantContext;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: InternalClaims;
    user: InternalClaims;
  }
}

/** Options of {@link internalAuthPlugin}. */
export interface InternalAuthOptions {
  secret: string;
}

/**
 * Services trust only the router: every route not marked `config.public` requires
 * `Authorization: Bearer <internal token>` (HS256, iss rt-router, aud rt-service, ≤ 60 s old).
 * Missing → 401 INTERNAL_TOKEN_MISSING; invalid/expired → 401 INTERNAL_TOKEN_INVALID.
 */
export const internalAuthPlugin = fp<InternalAuthOptions>(
  async (app: FastifyInstance, opts) => {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      verify: {
        algorithms: ['HS256'],
        allowedIss: INTERNAL_TOKEN_ISSUER,
        allowedAud: INTERNAL_TOKEN_AUDIENCE,
        maxAge: `${INTERNAL_TOKEN_TTL_SECONDS + 5}s`,
      },
    });
    app.decorateRequest('tenant', null as unknown as TenantContext);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (request.routeOptions.config?.public) return;
      const header = request.headers.authorization;
      if (!header || !/^Bearer\s+\S+/i.test(header)) {
        throw new Unauthorized(
          'INTERNAL_TOKEN_MISSING',
          'this service accepts only requests from the router',
        );
      }
      let claims: InternalClaims;
      try {
        claims = await request.jwtVerify<InternalClaims>();
      } catch {
        throw new Unauthorized('INTERNAL_TOKEN_INVALID', 'internal token is invalid or expired');
      }
      if (typeof claims.tid !== 'string' || typeof claims.reg !== 'string') {
        throw new Unauthorized('INTERNAL_TOKEN_INVALID', 'internal token lacks tenant claims');
      }
      request.tenant = {
        tenantId: claims.tid,
        region: claims.reg,
        requestId: claims.rid,
        accountId: claims.sub,
        via: claims.via,
      };
    });
  },
  { name: 'rt-internal-auth' },
);
