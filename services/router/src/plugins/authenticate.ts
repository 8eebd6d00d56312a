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
  /**
   * Forge only: the app system token Atlassian sent with this very invocation
   * (`x-forge-oauth-system`), for the permission check against `app.apiBaseUrl`. Never taken
   * from a request that was not authenticated by a FIT (or a hop signed for a Forge request).
   */
  forgeSystemToken?: string;
}

/** Header in which Forge sends the app system token along with a FIT. */
export const FORGE_SYSTEM_TOKEN_HEADER = 'x-forge-oauth-system';

/**
 * Which credentials a route takes: `api` — the front end (Connect JWT with context or computed
 * qsh, or a Forge Invocation Token); `atlassian` — Atlassian calling the app (`dare-migration`):
 * Connect JWT with the computed qsh only; `forge-callback` — Forge calling the app's remote
 * (the `migration:dataResidency` hooks): a Forge Invocation Token only.
 */
export type AuthKind = 'api' | 'atlassian' | 'forge-callback';

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

const systemTokenOf = (request: FastifyRequest): string | undefined => {
  const value = request.headers[FORGE_SYSTEM_TOKEN_HEADER];
  return typeof value === 'string' && value ? value : undefined;
};

const assertUsable = (tenant: Pick<TenantRecord, 'state'>) => {
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

    const forwarded = async (
      token: string,
      clientIp: string | undefined,
      request: FastifyRequest,
    ): Promise<RequestAuth> => {
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
      const via = claims.via === 'forge' ? 'forge' : 'connect';
      return {
        tenant,
        via,
        accountId: claims.sub,
        forwardedFrom: claims.rid,
        clientIp,
        // The entry router verified the FIT and passed Atlassian's system token on with the hop.
        forgeSystemToken: via === 'forge' ? systemTokenOf(request) : undefined,
      };
    };

    const forge = async (token: string, request: FastifyRequest): Promise<RequestAuth> => {
      const claims = await opts.forge.verify(token);
      const { installationId, apiBaseUrl } = claims.app;
      const cloudId = claims.context?.cloudId;
      let tenant = await opts.directory.byInstallationId(installationId);
      if (tenant) assertUsable(tenant);
      const stale =
        !tenant ||
        (apiBaseUrl !== undefined && tenant.forgeApiBaseUrl !== apiBaseUrl) ||
        (cloudId !== undefined && tenant.cloudId !== cloudId);
      if (stale) {
        // First call of an installation: the site's tenant (by cloudId: installed through
        // Connect, or reinstalled) is linked, or a tenant is created in this region.
        const linked = await opts.registry.linkForge(
          { installationId, cloudId, apiBaseUrl },
          { installEvent: false },
        );
        assertUsable(linked.tenant);
        tenant = await opts.directory.byId(linked.tenant.id);
        if (!tenant) throw AuthErrors.unknownTenant();
        assertUsable(tenant);
      }
      return {
        tenant: tenant!,
        via: 'forge',
        accountId: typeof claims.principal === 'string' ? claims.principal : undefined,
        forgeSystemToken: systemTokenOf(request),
      };
    };

    app.addHook('onRequest', async (request: FastifyRequest) => {
      const kind = request.routeOptions.config?.auth;
      if (!kind) return;
      const hop = request.headers[FORWARDED_HEADER];
      if (typeof hop === 'string') {
        const clientIp = request.headers[CLIENT_IP_HEADER];
        request.auth = await forwarded(hop, typeof clientIp === 'string' ? clientIp : undefined, request);
        return;
      }
      const authorization = request.headers.authorization;
      if (authorization && /^Bearer\s/i.test(authorization)) {
        if (kind === 'atlassian') throw AuthErrors.invalid('Atlassian callbacks use Connect JWT');
        request.auth = await forge(authorization.slice(7).trim(), request);
        // Forge's residency service calls the hooks as no user; a user's FIT is not one of its calls.
        if (kind === 'forge-callback' && request.auth.accountId) {
          throw AuthErrors.invalid('Forge callbacks are invoked by no user');
        }
        return;
      }
      // Forge's residency hooks come with a FIT, never a Connect JWT.
      // https://developer.atlassian.com/platform/forge/remote/remote-realm-migration/
      if (kind === 'forge-callback') {
        throw authorization
          ? AuthErrors.invalid('Forge callbacks use a Forge Invocation Token')
          : AuthErrors.missing();
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
