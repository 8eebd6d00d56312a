import { BadRequest, ErrorBody } from '@rt/http';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { AuthErrors } from '../auth/errors.js';
import { type InstallKeyServices, verifyInstallToken } from '../auth/install-token.js';
import type {
  InstallResult,
  LifecycleHooks,
  TenantRegistry,
  UninstallResult,
} from '../directory/tenant-registry.js';
import type { RouterApp } from '../types.js';

/**
 * Lifecycle payload as Atlassian posts it. Only what the directory keeps is read; the rest (e.g.
 * `serverVersion`, `description`) is accepted and dropped — nothing personal is stored.
 * https://developer.atlassian.com/cloud/confluence/connect-app-descriptor/#lifecycle
 */
const LifecyclePayload = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 200 }),
    clientKey: Type.String({ minLength: 1, maxLength: 255 }),
    sharedSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    baseUrl: Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://' }),
    displayUrl: Type.Optional(Type.String({ maxLength: 2048 })),
    productType: Type.String({ minLength: 1, maxLength: 64 }),
    eventType: Type.String({ minLength: 1, maxLength: 64 }),
    installationId: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    /** The site's id, shared with the site's Forge installation (one tenant per site). */
    cloudId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' })),
  },
  { additionalProperties: true },
);
type LifecyclePayload = Static<typeof LifecyclePayload>;

/** Options of {@link lifecycleRoutes}. */
export interface LifecycleRouteOptions {
  appKey: string;
  /** Base URLs a signed-install token may name as `aud`. */
  audiences: string[];
  leewaySeconds: number;
  /** Production and staging install-keys services; the site's host picks one. */
  keys: InstallKeyServices;
  registry: TenantRegistry;
  hooks: LifecycleHooks;
}

const EVENTS = ['installed', 'uninstalled', 'enabled', 'disabled'] as const;
type LifecycleEvent = (typeof EVENTS)[number];

const runHook = async (log: FastifyBaseLogger, name: string, fn: () => unknown) => {
  try {
    await fn();
  } catch (err) {
    // The directory rows are the source of truth; the hook's owner re-derives work from them.
    log.error({ err, hook: name }, 'lifecycle hook failed');
  }
};

/**
 * After an install (Connect `installed` or Forge `avi:forge:installed:app`) committed: a returning
 * tenant's cancelled deletions leave the queue. Shared by both platforms so they cannot diverge.
 */
export async function afterInstall(result: InstallResult, hooks: LifecycleHooks, log: FastifyBaseLogger) {
  log.info(
    { tenantId: result.tenant.id, created: result.created, reinstalled: result.reinstalled },
    'installed',
  );
  const hook = hooks.onReinstalled;
  if (result.reinstalled && hook) {
    await runHook(log, 'onReinstalled', () => hook(result.tenant, result.cancelledDeletions));
  }
}

/** After an uninstall committed: the deletion due in 30 days is queued (once). Shared as above. */
export async function afterUninstall(
  result: UninstallResult | null,
  hooks: LifecycleHooks,
  log: FastifyBaseLogger,
) {
  if (!result) return; // unknown or already deleted: nothing to do, and Atlassian must not retry
  log.info({ tenantId: result.tenant.id, deletionDueAt: result.deletion.dueAt }, 'uninstalled');
  const hook = hooks.onUninstalled;
  if (result.created && hook) await runHook(log, 'onUninstalled', () => hook(result.deletion));
}

/**
 * `POST /lifecycle/{installed,uninstalled,enabled,disabled}`: every callback carries an RS256
 * signed-install JWT (apiMigrations `signed-install: true`); HS256 and context tokens are refused.
 */
export async function lifecycleRoutes(app: RouterApp, opts: LifecycleRouteOptions): Promise<void> {
  const authenticate = async (request: FastifyRequest<{ Body: LifecyclePayload }>) => {
    const m = /^JWT\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!m?.[1]) throw AuthErrors.missing();
    await verifyInstallToken(m[1], opts.keys.forSite(request.body.baseUrl), {
      audiences: opts.audiences,
      clientKey: request.body.clientKey,
      method: request.method,
      url: request.url,
      leewaySeconds: opts.leewaySeconds,
    });
    if (request.body.key !== opts.appKey) {
      throw new BadRequest('APP_KEY_MISMATCH', `payload is for app ${request.body.key}, not ${opts.appKey}`);
    }
  };

  for (const event of EVENTS) {
    app.post(
      `/lifecycle/${event}`,
      {
        config: { kind: 'atlassian-callback' },
        bodyLimit: 64 * 1024,
        schema: { body: LifecyclePayload, response: { 204: Type.Null(), '4xx': ErrorBody } },
        preHandler: authenticate,
      },
      async (request, reply) => {
        await handle(event, request.body, request.log);
        return reply.status(204).send(null);
      },
    );
  }

  async function handle(event: LifecycleEvent, body: LifecyclePayload, log: FastifyBaseLogger) {
    switch (event) {
      case 'installed': {
        if (!body.sharedSecret)
          throw new BadRequest('SHARED_SECRET_MISSING', 'installed payload lacks sharedSecret');
        const result = await opts.registry.install({
          clientKey: body.clientKey,
          sharedSecret: body.sharedSecret,
          baseUrl: body.baseUrl,
          displayUrl: body.displayUrl,
          productType: body.productType,
          installationId: body.installationId,
          cloudId: body.cloudId,
        });
        await afterInstall(result, opts.hooks, log);
        return;
      }
      case 'uninstalled': {
        await afterUninstall(await opts.registry.uninstall(body.clientKey), opts.hooks, log);
        return;
      }
      case 'enabled':
      case 'disabled': {
        const tenant = await opts.registry.setEnabled(body.clientKey, event === 'enabled');
        log.info({ tenantId: tenant?.id ?? null, state: tenant?.state ?? null }, event);
        return;
      }
    }
  }
}
