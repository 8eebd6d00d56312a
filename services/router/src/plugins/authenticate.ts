import {
  createInternalTokenVerifier,
  forgeTokenDigest,
  type InternalClaims,
  type RouteKind,
  type SignedTokenMemo,
} from '@rt/auth';
import { ServiceUnavailable } from '@rt/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ConnectTokenVerifier, connectTokenOf, type VerifiedConnectToken } from '../auth/connect-jwt.js';
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
  /** Forwarded hops only: 2 when the request was already passed on once more (never again). */
  hop?: 1 | 2;
  /**
   * Forge only: the app system token Atlassian sent with this very invocation
   * (`x-forge-oauth-system`), for the permission check against `app.apiBaseUrl`. Taken only from
   * a request authenticated by a FIT, or from a hop whose signed claims carry its digest.
   */
  forgeSystemToken?: string;
  /**
   * Service tokens already signed for this credential (a Connect token verified before): every
   * claim of the request's service token but its kind is the credential's, so the proxy reuses
   * them (see `SignedTokenMemo`). Absent for credentials verified per request.
   */
  serviceTokens?: SignedTokenMemo;
}

/** Kinds of route whose credentials name a tenant and that may be forwarded between regions. */
export type TenantRouteKind = Extract<RouteKind, 'api' | 'atlassian-callback' | 'forge-callback'>;
const TENANT_ROUTE_KINDS: ReadonlySet<string> = new Set<TenantRouteKind>([
  'api',
  'atlassian-callback',
  'forge-callback',
]);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route admits (see {@link RouteKind}); every route that is not `public` has one. */
    kind?: RouteKind;
    /**
     * The route is authenticated here with tenant credentials of its kind: `api` — Connect JWT
     * (context or computed qsh) or Forge Invocation Token; `atlassian-callback` — Connect JWT
     * with the computed qsh only; `forge-callback` — a Forge Invocation Token with no user
     * (Forge's residency hooks). Routes of other kinds authenticate in their own plugin.
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

const assertUsable = (tenant: Pick<TenantRecord, 'state'>) => {
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
      'forge-callback': createInternalTokenVerifier(opts.internalTokenSecret, {
        purpose: 'forwarding',
        kinds: ['forge-callback'],
      }),
    } satisfies Record<TenantRouteKind, unknown>;
    app.decorateRequest('auth', null);

    const forwarded = async (
      token: string,
      kind: TenantRouteKind,
      request: FastifyRequest,
    ): Promise<RequestAuth> => {
      let claims: InternalClaims;
      try {
        claims = verifyForwarding[kind](token);
      } catch {
        throw AuthErrors.invalid('forwarding token is invalid or not for this kind of route');
      }
      if (claims.reg !== opts.region) throw AuthErrors.invalid('forwarded to the wrong region');
      // A hop names the entry router's request: that is what marks it as forwarded (counted
      // once, never bounced back).
      if (!claims.rid) throw AuthErrors.invalid('forwarding token without a request id');
      const tenant = await opts.directory.byId(claims.tid);
      if (!tenant) throw AuthErrors.unknownTenant();
      assertUsable(tenant);
      const via = claims.via === 'forge' ? 'forge' : 'connect';
      // Forge's residency hooks are Forge calls on both sides of the hop.
      if (kind === 'forge-callback' && via !== 'forge') throw AuthErrors.invalid('not a Forge callback');
      // The entry router verified the FIT and passed Atlassian's system token on beside the hop,
      // its digest signed into the hop.
      const systemToken = request.forgeSystemToken;
      return {
        tenant,
        via,
        accountId: claims.sub,
        forwardedFrom: claims.rid,
        clientIp: claims.cip,
        hop: claims.hop ?? 1,
        forgeSystemToken:
          via === 'forge' && systemToken && claims.fst === forgeTokenDigest(systemToken)
            ? systemToken
            : undefined,
      };
    };

    const forge = async (
      token: string,
      request: FastifyRequest,
      kind: TenantRouteKind,
    ): Promise<RequestAuth> => {
      const claims = await opts.forge.verify(token);
      // Forge's residency service calls the hooks as no user; a user's FIT is not one of its
      // calls — refused before the installation is linked, so a refused call writes nothing.
      if (kind === 'forge-callback' && claims.principal !== undefined) {
        throw AuthErrors.invalid('Forge callbacks are invoked by no user');
      }
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
        // Sent by Atlassian with this FIT-authenticated invocation (the edge took it out of the
        // headers, so nothing downstream can read a client's copy).
        forgeSystemToken: request.forgeSystemToken,
      };
    };

    const connectAuth = ({ tenant, claims, serviceTokens }: VerifiedConnectToken): RequestAuth => ({
      tenant,
      via: 'connect',
      accountId: typeof claims.sub === 'string' ? claims.sub : undefined,
      serviceTokens,
    });

    // A callback hook: a Connect token verified before, of a tenant still cached, is checked
    // without a promise (the front end repeats its context token for minutes); everything else
    // waits for its verification and then continues the request.
    app.addHook('onRequest', (request, _reply, done) => {
      const settle = (auth: Promise<RequestAuth>) => {
        auth.then((value) => {
          request.auth = value;
          done();
        }, done);
      };
      const config = request.routeConfig;
      if (!config?.tenantAuth) {
        // A forwarding token is a credential of tenant routes only; anywhere else it is refused
        // rather than ignored, so a hop can never land on an ops or internal route.
        if (request.forwardingToken) throw AuthErrors.invalid('this route is not forwarded between regions');
        return done();
      }
      const kind = config.kind as TenantRouteKind;
      if (!TENANT_ROUTE_KINDS.has(kind)) {
        throw new Error(`route ${config.url} authenticates tenants but has kind ${kind}`);
      }
      if (request.forwardingToken) return settle(forwarded(request.forwardingToken, kind, request));
      const authorization = request.headers.authorization;
      if (authorization && /^Bearer\s/i.test(authorization)) {
        if (kind === 'atlassian-callback') throw AuthErrors.invalid('Atlassian callbacks use Connect JWT');
        return settle(forge(authorization.slice(7).trim(), request, kind));
      }
      // Forge's residency hooks come with a FIT, never a Connect JWT.
      // https://developer.atlassian.com/platform/forge/remote/remote-realm-migration/
      if (kind === 'forge-callback') {
        throw authorization
          ? AuthErrors.invalid('Forge callbacks use a Forge Invocation Token')
          : AuthErrors.missing();
      }
      const binding = { method: request.method, url: request.url, allowContextQsh: kind === 'api' };
      // The front end's form (`JWT <token>`, one space) of a token verified before is looked up as
      // it is. Every verified token is three base64url segments with their exact signature (see
      // ConnectTokenVerifier.verify, for a header's token and a `?jwt=` one alike): no whitespace,
      // so a hit is exactly what connectTokenOf would have parsed, without its pattern run over
      // the whole token. The claims are checked against this request either way (verifyKnown).
      if (authorization?.startsWith('JWT ')) {
        const known = opts.connect.verifyKnown(authorization.slice(4), binding);
        if (known) {
          request.auth = connectAuth(known);
          return done();
        }
      }
      const token = connectTokenOf(authorization, request.url);
      if (!token) throw AuthErrors.missing();
      const known = opts.connect.verifyKnown(token, binding);
      if (known) {
        request.auth = connectAuth(known);
        return done();
      }
      settle(opts.connect.verify(token, binding).then(connectAuth));
    });
  },
  { name: 'rt-authenticate', dependencies: ['rt-edge'] },
);

/** 503 for a request that reached a router which is not (any longer) the tenant's home. */
export const relocating = () =>
  new ServiceUnavailable('TENANT_RELOCATING', 'the site is moving between regions; retry shortly', 1);
