import { createInternalTokenVerifier, type InternalClaims } from '@rt/auth';
import { ServiceUnavailable } from '@rt/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ConnectTokenVerifier, connectTokenOf } from '../auth/connect-jwt.js';
import { AuthErrors } from '../auth/errors.js';
import type { ForgeTokenVerifier } from '../auth/forge-token.js';
import type { TenantDirectory, TenantRecord } from '../directory/tenant-directory.js';
import type { TenantRegistry } from '../directory/tenant-registry.js';

/** Header a router puts on a request it forwards to the tenant's home-region router. */
export const FORWARDED_HEADER = 'x-rt-forwarded';

/** Header carrying the client IP across a region hop (trusted only with a valid forwarding token). */
export const CLIENT_IP_HEADER = 'x-rt-client-ip';

/** Who is calling, as proven to the router. */
export interface RequestAuth {
  tenant: TenantRecord;
  via: 'connect' | 'forge';
  /** Atlassian account id of the user (memory only; never logged or stored). */
  accountId?: string;
  /** Set when another region's router verified the Atlassian token and forwarded the request. */
  forwardedFrom?: string;
  /** Client IP the entry router saw (forwarded hops only; access log only). */
  clientIp?: string;
}

/**
 * Which credentials a route takes: `api` — the front end (Connect JWT with context or computed
 * qsh, or a Forge Invocation Token); `atlassian` — Atlassian calling the app (`dare-migration`):
 * Connect JWT with the computed qsh only.
 */
export type AuthKind = 'api' | 'atlassian';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthKind;
  }
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

/** Options of {@link authenticatePlugin}. */
export interface AuthenticateOptions {
  connect: ConnectTokenVerifier;
  forge: ForgeTokenVerifier;
  directory: TenantDirectory;
  registry: TenantRegistry;
  internalTokenSecret: string;
  /** This router's region. */
  region: string;
}

const assertUsable = (tenant: TenantRecord) => {
  if (tenant.state === 'disabled') throw AuthErrors.disabled();
  if (tenant.state === 'uninstalled') throw AuthErrors.uninstalled();
  if (tenant.state === 'deleted') throw AuthErrors.unknownTenant();
};

/**
 * Authenticates every route that declares `config.auth` before anything else runs (onRequest),
 * so an unauthenticated request never reaches a service nor costs a body read.
 *
 * Cross-region hop: the entry router verified the Atlassian token; the home router trusts the
 * internal token in {@link FORWARDED_HEADER} (HS256 with INTERNAL_TOKEN_SECRET, 60 s, naming the
 * tenant and this region) instead of re-verifying, because a context token's qsh and the `?jwt=`
 * parameter are not preserved across the hop and a Forge tenant may have no secret to re-check.
 */
export const authenticatePlugin = fp<AuthenticateOptions>(
  async (app: FastifyInstance, opts) => {
    const verifyInternal = createInternalTokenVerifier(opts.internalTokenSecret);
    app.decorateRequest('auth', null);

    const forwarded = async (token: string, clientIp: string | undefined): Promise<RequestAuth> => {
      let claims: InternalClaims;
      try {
        claims = verifyInternal(token);
      } catch {
        throw AuthErrors.invalid('forwarding token is invalid');
      }
      if (claims.reg !== opts.region) throw AuthErrors.invalid('forwarded to the wrong region');
      const tenant = await opts.directory.byId(claims.tid);
      if (!tenant) throw AuthErrors.unknownTenant();
      assertUsable(tenant);
      return {
        tenant,
        via: claims.via === 'forge' ? 'forge' : 'connect',
        accountId: claims.sub,
        forwardedFrom: claims.rid,
        clientIp,
      };
    };

    const forge = async (token: string): Promise<RequestAuth> => {
      const claims = await opts.forge.verify(token);
      const { installationId, apiBaseUrl } = claims.app;
      let tenant = await opts.directory.byInstallationId(installationId);
      if (!tenant) {
        await opts.registry.ensureForgeTenant(installationId, apiBaseUrl ?? '');
        tenant = await opts.directory.byInstallationId(installationId);
        if (!tenant) throw AuthErrors.unknownTenant();
      }
      assertUsable(tenant);
      return {
        tenant,
        via: 'forge',
        accountId: typeof claims.principal === 'string' ? claims.principal : undefined,
      };
    };

    app.addHook('onRequest', async (request: FastifyRequest) => {
      const kind = request.routeOptions.config?.auth;
      if (!kind) return;
      const hop = request.headers[FORWARDED_HEADER];
      if (typeof hop === 'string') {
        const clientIp = request.headers[CLIENT_IP_HEADER];
        request.auth = await forwarded(hop, typeof clientIp === 'string' ? clientIp : undefined);
        return;
      }
      const authorization = request.headers.authorization;
      if (authorization && /^Bearer\s/i.test(authorization)) {
        if (kind !== 'api') throw AuthErrors.invalid('Atlassian callbacks use Connect JWT');
        request.auth = await forge(authorization.slice(7).trim());
        return;
      }
      const token = connectTokenOf(authorization, request.url);
      if (!token) throw AuthErrors.missing();
      const { tenant, claims } = await opts.connect.verify(token, {
        method: request.method,
        url: request.url,
        allowContextQsh: kind === 'api',
      });
      request.auth = {
        tenant,
        via: 'connect',
        accountId: typeof claims.sub === 'string' ? claims.sub : undefined,
      };
    });
  },
  { name: 'rt-authenticate' },
);

/** 503 for a request that reached a router which is not (any longer) the tenant's home. */
export const relocating = () =>
  new ServiceUnavailable('TENANT_RELOCATING', 'the site is moving between regions; retry shortly', 1);
