import { BadRequest, ErrorBody } from '@rt/http';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AuthErrors } from '../auth/errors.js';
import type { ForgeClaims, ForgeTokenVerifier } from '../auth/forge-token.js';
import type { LifecycleHooks, TenantRegistry } from '../directory/tenant-registry.js';
import { FORGE_LIFECYCLE_EVENT_TYPES, FORGE_PATHS } from '../forge/manifest.js';
import type { RouterApp } from '../types.js';
import { afterInstall, afterUninstall } from './lifecycle.js';

/**
 * A life-cycle event as Forge delivers it to the trigger's remote endpoint. Only `eventType` and
 * the site's `context.cloudId` are read; the installation comes from the FIT. The rest (`id`,
 * `app`, the installer's account id) is accepted and dropped — nothing personal is stored.
 * Atlassian documents the installed and upgraded payloads only; an uninstall is assumed to have
 * the installed event's shape.
 * https://developer.atlassian.com/platform/forge/events-reference/life-cycle/
 */
const ForgeEvent = Type.Object(
  {
    eventType: Type.String({ minLength: 1, maxLength: 100 }),
    context: Type.Optional(
      Type.Object(
        { cloudId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' })) },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
);
type ForgeEvent = Static<typeof ForgeEvent>;

/** Options of {@link forgeLifecycleRoutes}. */
export interface ForgeLifecycleRouteOptions {
  forge: ForgeTokenVerifier;
  registry: TenantRegistry;
  /** The same plug points as Connect's hooks: the deletion job is queued and cancelled there. */
  hooks: LifecycleHooks;
}

declare module 'fastify' {
  interface FastifyRequest {
    forgeClaims?: ForgeClaims;
  }
}

/**
 * `POST /forge/lifecycle`: `avi:forge:installed:app`, `avi:forge:upgraded:app` and
 * `avi:forge:uninstalled:app`, each with a Forge Invocation Token (no `principal`: a trigger runs
 * as no user). The same registry and deletion schedule as Connect's `installed`/`uninstalled`:
 *
 * - installed / upgraded: the tenant is registered with home = this region (the realm whose
 *   remote Forge called), or the site's tenant is linked (found by installation id, or by cloudId:
 *   installed through Connect, or reinstalled — which cancels the pending deletion);
 * - uninstalled: access stops at once and the deletion is due 30 days later.
 *
 * Forge retries an event up to four times when the answer is not 2xx or takes over 5 s, so every
 * event is idempotent and cheap (two short transactions, the deletion job is only queued).
 * https://developer.atlassian.com/platform/forge/remote/essentials/
 */
export async function forgeLifecycleRoutes(app: RouterApp, opts: ForgeLifecycleRouteOptions): Promise<void> {
  const authenticate = async (request: FastifyRequest) => {
    const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!m?.[1]) {
      throw request.headers.authorization
        ? AuthErrors.invalid('Forge events carry a Forge Invocation Token')
        : AuthErrors.missing();
    }
    const claims = await opts.forge.verify(m[1]);
    if (claims.principal !== undefined) throw AuthErrors.invalid('life-cycle events are invoked by no user');
    request.forgeClaims = claims;
  };

  app.post(
    FORGE_PATHS.lifecycle,
    {
      config: { kind: 'forge-callback' },
      bodyLimit: 64 * 1024,
      schema: { body: ForgeEvent, response: { 204: Type.Null(), '4xx': ErrorBody } },
      preHandler: authenticate,
    },
    async (request, reply) => {
      const claims = request.forgeClaims!;
      const body = request.body as ForgeEvent;
      const { installationId, apiBaseUrl } = claims.app;
      const cloudId = claims.context?.cloudId ?? body.context?.cloudId;
      if (
        claims.context?.cloudId &&
        body.context?.cloudId &&
        claims.context.cloudId !== body.context.cloudId
      ) {
        throw new BadRequest('CLOUD_ID_MISMATCH', 'the event names another site than its token');
      }
      const log = request.log;
      switch (body.eventType) {
        case FORGE_LIFECYCLE_EVENT_TYPES.installed:
        case FORGE_LIFECYCLE_EVENT_TYPES.upgraded: {
          const result = await opts.registry.linkForge(
            { installationId, cloudId, apiBaseUrl },
            { installEvent: true },
          );
          if (result.outcome === 'linked') await afterInstall(result, opts.hooks, log);
          else
            log.info({ tenantId: result.tenant.id, outcome: result.outcome }, 'forge install event ignored');
          break;
        }
        case FORGE_LIFECYCLE_EVENT_TYPES.uninstalled:
          await afterUninstall(await opts.registry.uninstallForge(installationId), opts.hooks, log);
          break;
        default:
          throw new BadRequest('EVENT_UNSUPPORTED', `event ${body.eventType} is not handled`);
      }
      return reply.status(204).send(null);
    },
  );
}
