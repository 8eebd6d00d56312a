import {
  type Authorize,
  createInternalTokenVerifier,
  forgeTokenDigest,
  verifyInternalBearer,
} from '@rt/auth';
import { BadRequest, ErrorBody, Unauthorized } from '@rt/http';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Dispatcher, request as httpRequest } from 'undici';
import { authorizeWrite, type PermissionOracle } from './authorize-write.js';
import type { ConfluenceTenant } from './confluence-client.js';
import { PermissionCheckUnavailable } from './errors.js';
import type { PermissionChecker } from './permission-checker.js';

/** Path of the router's internal permission endpoint. */
export const PERMISSION_CHECK_PATH = '/internal/v1/permissions/check';

/**
 * Header carrying the Forge system token (Atlassian's `x-forge-oauth-system`) from the router to
 * a service and back, for Forge tenants (who have no shared secret to sign with).
 */
export const FORGE_TOKEN_HEADER = 'x-rt-forge-token';

/** A question the router answers on a service's behalf. */
export const PermissionQuestion = Type.Union([
  Type.Object({ question: Type.Literal('confluence-admin') }, { additionalProperties: false }),
  Type.Object(
    {
      question: Type.Literal('space-admin'),
      spaceKey: Type.String({ pattern: '^~?[A-Za-z0-9][A-Za-z0-9_~-]{0,254}$' }),
    },
    { additionalProperties: false },
  ),
]);
export type PermissionQuestion = Static<typeof PermissionQuestion>;

const PermissionAnswer = Type.Object({ allowed: Type.Boolean() });
/** The {@link PermissionOracle} of one tenant and user, answered by a {@link PermissionChecker}. */
export function checkerOracle(
  checker: PermissionChecker,
  tenant: ConfluenceTenant,
  accountId: string,
): PermissionOracle {
  return {
    isConfluenceAdmin: () => checker.isConfluenceAdmin(tenant, accountId),
    isSpaceAdmin: (spaceKey) => checker.isSpaceAdmin(tenant, spaceKey, accountId),
  };
}

/** Options of {@link permissionCheckRoutes}. */
export interface PermissionCheckRoutesOptions {
  checker: PermissionChecker;
  internalTokenSecret: string;
  /**
   * The tenant's Confluence access, from the router's directory: Connect → decrypted shared
   * secret + baseUrl + app key; Forge → the `apiBaseUrl` with `forgeToken`. `null` when the
   * tenant is unknown or not usable.
   */
  resolveTenant: (tenantId: string, forgeToken: string | undefined) => Promise<ConfluenceTenant | null>;
  /**
   * Where the router's edge put the {@link FORGE_TOKEN_HEADER} a service sent (the edge removes
   * router-owned headers from every request); default: the header itself.
   */
  relayedForgeToken?: (request: FastifyRequest) => string | undefined;
}

/**
 * Router side: `POST /internal/v1/permissions/check`. Services send the internal token they
 * received with the request being authorized (it names the tenant and the user, is signed by
 * the router and lives 60 s), and one question; the router — the only holder of the tenants'
 * secrets — asks Confluence (cached ≤ 60 s) and answers `{allowed}`. Services decide the scope
 * from their own data and apply the rules ({@link authorizeWrite}).
 * Register it only on the router's private listener / network path (never exposed publicly:
 * it is harmless without a valid internal token, but has no reason to be reachable).
 */
export async function permissionCheckRoutes(
  app: FastifyInstance,
  options: PermissionCheckRoutesOptions,
): Promise<void> {
  // Only the service token of a front-end request (kind `api`) names a user whose permissions a
  // service may ask about; forwarding tokens and callback tokens are refused.
  const verify = createInternalTokenVerifier(options.internalTokenSecret, {
    purpose: 'service',
    kinds: ['api'],
  });
  app.post(
    PERMISSION_CHECK_PATH,
    {
      schema: {
        hide: true,
        body: PermissionQuestion,
        response: { 200: PermissionAnswer, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      // A POST: a read's reused token (read-only) never stands for a question, which writes ask.
      const claims = verifyInternalBearer(request.headers.authorization, verify, request.method);
      if (!claims.sub) throw new BadRequest('NO_USER', 'the request has no Confluence user to check');
      const header = request.headers[FORGE_TOKEN_HEADER];
      const relayed = options.relayedForgeToken
        ? options.relayedForgeToken(request)
        : typeof header === 'string' && header
          ? header
          : undefined;
      // Only the system token the router itself passed with this request: its digest is signed
      // into the service token, so a copy from anywhere else is never used.
      const forgeToken = relayed && claims.fst === forgeTokenDigest(relayed) ? relayed : undefined;
      const tenant = await options.resolveTenant(claims.tid, forgeToken);
      if (!tenant) throw new Unauthorized('TENANT_UNKNOWN', 'tenant is unknown or not active');
      const q = request.body as PermissionQuestion;
      const allowed =
        q.question === 'confluence-admin'
          ? await options.checker.isConfluenceAdmin(tenant, claims.sub)
          : await options.checker.isSpaceAdmin(tenant, q.spaceKey, claims.sub);
      return { allowed };
    },
  );
}

/** Options of {@link routerPermissionOracle}. */
export interface RouterOracleOptions {
  /** The router's internal URL in this region (e.g. `ROUTER_INTERNAL_URL`). */
  routerUrl: string;
  /** Default 8000 ms: Confluence itself has 5 s behind the router. */
  timeoutMs?: number;
  /** The connection pool to the router (default: undici's global keep-alive one). */
  dispatcher?: Dispatcher;
}

/**
 * Service side: a {@link PermissionOracle} for the request being handled, asking the router's
 * internal endpoint. Answers are memoised for the request only (the router caches across
 * requests). Anything but a clean `{allowed}` is {@link PermissionCheckUnavailable}: never an allow.
 */
export function routerPermissionOracle(
  request: FastifyRequest,
  options: RouterOracleOptions,
): PermissionOracle {
  const url = `${options.routerUrl.replace(/\/+$/, '')}${PERMISSION_CHECK_PATH}`;
  const timeout = options.timeoutMs ?? 8000;
  const memo = new Map<string, Promise<boolean>>();
  const ask = (question: PermissionQuestion): Promise<boolean> => {
    const key = JSON.stringify(question);
    let answer = memo.get(key);
    if (!answer) {
      answer = (async () => {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          authorization: request.headers.authorization ?? '',
        };
        const forgeToken = request.headers[FORGE_TOKEN_HEADER];
        if (typeof forgeToken === 'string') headers[FORGE_TOKEN_HEADER] = forgeToken;
        // undici's own client rather than `fetch` (its WHATWG streams cost more CPU than the
        // rest of a write's handling); redirects are not followed, as before.
        let status: number;
        let body: { allowed?: unknown } | null;
        try {
          const res = await httpRequest(url, {
            method: 'POST',
            headers,
            body: JSON.stringify(question),
            // One deadline for connecting, the answer's headers and its whole body, as before:
            // undici's own timeouts leave connecting out and restart with every body chunk.
            signal: AbortSignal.timeout(timeout),
            ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          });
          status = res.statusCode;
          body = (await res.body.json().catch(() => null)) as { allowed?: unknown } | null;
        } catch {
          throw new PermissionCheckUnavailable('router unreachable');
        }
        if (status === 200 && typeof body?.allowed === 'boolean') return body.allowed;
        throw new PermissionCheckUnavailable(`router answered ${status}`);
      })();
      memo.set(key, answer);
    }
    return answer;
  };
  return {
    isConfluenceAdmin: () => ask({ question: 'confluence-admin' }),
    isSpaceAdmin: (spaceKey) => ask({ question: 'space-admin', spaceKey }),
  };
}

/** Options of {@link createConfluenceAuthorize}. */
export interface ConfluenceAuthorizeOptions {
  /** The oracle of a request: {@link routerPermissionOracle} in services. */
  oracleFor: (request: FastifyRequest) => PermissionOracle;
  /** The tenant's `allowSpaceThemes` setting (regional `tenant_settings`). */
  allowSpaceThemes: (tenantId: string) => Promise<boolean>;
}

/**
 * The `authorize(request, {action, resource, scope})` dependency of the layout, theme, asset
 * services' `buildApp`: the rules of {@link authorizeWrite} with the user from the internal token.
 */
export function createConfluenceAuthorize(options: ConfluenceAuthorizeOptions): Authorize {
  // One oracle per request, so a write checked twice (old and new scope) asks each question once.
  const oracles = new WeakMap<FastifyRequest, PermissionOracle>();
  return async (request, what) => {
    const tenant = request.tenant;
    let oracle = oracles.get(request);
    if (!oracle) {
      oracle = options.oracleFor(request);
      oracles.set(request, oracle);
    }
    await authorizeWrite(oracle, tenant?.accountId, what, {
      allowSpaceThemes: () => options.allowSpaceThemes(tenant.tenantId),
    });
  };
}

/**
 * The `authorize` dependency of a regional service: writes are checked against the tenant's
 * Confluence through this region's router (the only holder of the tenants' secrets).
 * `allowSpaceThemes` is consulted only for space-local themes.
 */
export function authorizeThroughRouter(
  routerUrl: string,
  allowSpaceThemes: (tenantId: string) => Promise<boolean> = async () => false,
): Authorize {
  return createConfluenceAuthorize({
    oracleFor: (request) => routerPermissionOracle(request, { routerUrl }),
    allowSpaceThemes,
  });
}
