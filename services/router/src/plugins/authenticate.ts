import { createInternalTokenVerifier, type InternalClaims, type RouteKind } from '@rt/auth';
import { ServiceUnavailable } from '@rt/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ConnectTokenVerifier, connectTokenOf } from '../auth/connect-jwt.js';
import { AuthErrors } from '../auth/errors.js';
import type { ForgeTokenVerifier } from '../auth/forge-token.js';
import type { TenantDirectory, TenantRecord } from '../directory/tenant-directory.js';
import type { TenantRegistry } from '../directory/tenant-registry.js';

export { FORWARDED_HEADER } from '../edge/edge-headers.js';

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

/** Kinds of route whose credentials name a tenant and that may be forwarded between regions. */
export type TenantRouteKind = Extract<RouteKind, 'api' | 'atlassian-callback'>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route admits (see {@link RouteKind}); every route that is not `public` has one. */
    kind?: RouteKind;
    /**
     * The route is authenticated here with tenant credentials of its kind: `api` — Connect JWT
     * (context or computed qsh) or Forge Invocation Token; `atlassian-callback` — Connect JWT
     * with the computed qsh only. Routes of other kinds authenticate in their own plugin.
     */
    tenantAuth?: boolean;
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
 * Authenticates every route with `config.tenantAuth` before anything else runs (onRequest, right
 * after the edge), so an unauthenticated request never reaches a service nor costs a body read.
 * The credentials accepted follow the kind bound to the matched route, never the path.
 *
 * Cross-region hop: the entry router verified the Atlassian token; the home router trusts the
 * forwarding token the edge took out of `x-rt-forwarded` (HS256 with INTERNAL_TOKEN_SECRET,
 * audience `rt-forwarding` — a service token is not one — 60 s, naming the tenant and this region)
 * only when its signed `kind` equals the kind of the route this router matched. It does not
 * re-verify because a context token's qsh and the `?jwt=` parameter are not preserved across
 * the hop and a Forge tenant may have no secret to re-check.
 */
export const authenticatePlugin = fp<AuthenticateOptions>(
  async (app: FastifyInstance, opts) => {
    const verifyForwarding = {
      api: createInternalTokenVerifier(opts.internalTokenSecret, { purpose: 'forwarding', kinds: ['api'] }),
      'atlassian-callback': createInternalTokenVerifier(opts.internalTokenSecret, {
        purpose: 'forwarding',
        kinds: ['atlassian-callback'],
      }),
    } satisfies Record<TenantRouteKind, unknown>;
    app.decorateRequest('auth', null);

    const forwarded = async (token: string, kind: TenantRouteKind): Promise<RequestAuth> => {
      let claims: InternalClaims;
      try {
        claims = verifyForwarding[kind](token);
      } catch {
        throw AuthErrors.invalid('forwarding token is invalid or not for this kind of route');
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
        clientIp: claims.cip,
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
      const config = request.routeOptions.config;
      if (!config?.tenantAuth) {
        // A forwarding token is a credential of tenant routes only; anywhere else it is refused
        // rather than ignored, so a hop can never land on an ops or internal route.
        if (request.forwardingToken) throw AuthErrors.invalid('this route is not forwarded between regions');
        return;
      }
      const kind = config.kind;
      if (kind !== 'api' && kind !== 'atlassian-callback') {
        throw new Error(`route ${request.routeOptions.url} authenticates tenants but has kind ${kind}`);
      }
      if (request.forwardingToken) {
        request.auth = await forwarded(request.forwardingToken, kind);
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
  { name: 'rt-authenticate', dependencies: ['rt-edge'] },
);

/** 503 for a request that reached a router which is not (any longer) the tenant's home. */
export const relocating = () =>
  new ServiceUnavailable('TENANT_RELOCATING', 'the site is moving between regions; retry shortly', 1);
