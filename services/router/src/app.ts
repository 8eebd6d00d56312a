import { createInternalTokenSigner, SecretBox } from '@rt/auth';
import type { PermissionChecker } from '@rt/confluence';
import type { DirectoryDb, PgPool } from '@rt/db';
import { attachDocumentChangeBus } from '@rt/documents';
import { createServiceApp, type ServiceApp } from '@rt/http';
import type { Redis } from '@rt/queue';
import type { FastifyBaseLogger } from 'fastify';
import { type AccessLogWriter, DailyFileAccessLog, StreamAccessLog } from './access-log/access-log.js';
import { ConnectTokenVerifier } from './auth/connect-jwt.js';
import { ForgeTokenVerifier } from './auth/forge-token.js';
import { InstallKeyServices } from './auth/install-token.js';
import type { RouterConfig } from './config.js';
import { TenantDirectory } from './directory/tenant-directory.js';
import { type LifecycleHooks, TenantRegistry } from './directory/tenant-registry.js';
import { edgePlugin } from './edge/edge-plugin.js';
import { routeKindsPlugin } from './edge/route-kinds.js';
import { accessLogPlugin } from './plugins/access-log.js';
import { authenticatePlugin } from './plugins/authenticate.js';
import {
  apiDocsPlugin,
  type OperationsDeps,
  operationsPlugin,
  permissionsPlugin,
} from './plugins/operations.js';
import { securityPlugin } from './plugins/security.js';
import { sourceLimitPlugin } from './plugins/source-limit.js';
import { descriptorRoutes } from './routes/descriptor.js';
import { forgeLifecycleRoutes } from './routes/forge-lifecycle.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { proxyRoutes } from './routes/proxy.js';

/** Everything the router needs, created by server.ts (or a test). */
export interface AppDeps {
  config: RouterConfig;
  /** Directory (Prisma) for lifecycle writes. */
  directory: DirectoryDb;
  /** Directory (raw pg) for the hot-path tenant lookup. */
  pool: PgPool;
  /** This region's Redis: rate limits, tenant-changed publishing. */
  redis: Redis;
  /**
   * Connections in subscriber mode, one per distinct region Redis, for tenant-changed messages
   * (publishers use their own region's Redis). Without them only the TTL bounds staleness.
   */
  subscribers?: Redis[];
  /**
   * A connection to this region's Redis in subscriber mode for document-changed notices: with it
   * the router keeps a read cache of the services' shared document answers (see proxy.ts);
   * without it every read goes to the services.
   */
  documentSubscriber?: Redis;
  /** Key/channel prefix in Redis (tests: `redisTestPrefix()`; production: ''). */
  redisPrefix?: string;
  /** Access log sink; default: daily JSON-lines files under ACCESS_LOG_DIR. */
  accessLog?: AccessLogWriter;
  /** Plug points for the deletion job (issue 7). */
  hooks?: LifecycleHooks;
  /** Operator API, bull-board and console; not served when absent. */
  operations?: OperationsDeps;
  /** Answers the services' permission questions from the tenants' Confluence; absent: not served. */
  permissions?: { checker: PermissionChecker };
  /**
   * Refuses a tenant base URL that is not an allow-listed Atlassian host (installs and Forge
   * tenants): a forged install must never make the back end call arbitrary URLs.
   */
  assertBaseUrl?: (baseUrl: string) => void;
  logger?: FastifyBaseLogger;
  now?: () => Date;
}

/** The router app plus the tenant cache (exposed for tests and the benchmark). */
export type RouterServiceApp = ServiceApp & { tenantDirectory: TenantDirectory };

const upstreamReady = async (baseUrl: string): Promise<void> => {
  const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${baseUrl}/readyz answered ${res.status}`);
};

/**
 * Builds the tenant router, the only public entry: verify the Atlassian token → look up the tenant
 * (cached) → freeze check → proxy to the home region. No I/O here: connections are passed in and
 * the tenant-changed subscription starts when the app is ready.
 */
export async function buildApp(deps: AppDeps): Promise<RouterServiceApp> {
  const { config } = deps;
  const prefix = deps.redisPrefix ?? '';
  const app = createServiceApp({
    name: 'router',
    logLevel: config.logLevel,
    logger: deps.logger,
    bodyLimit: config.bodyLimitBytes,
    // The access log is the router's request log: a second line per request would say it again.
    requestLog: false,
    // biome-ignore lint/suspicious/noExplicitAny: Fastify accepts a hop count, its typing does not say so
    fastify: { trustProxy: config.trustProxy as any },
    checks: {
      directory: () => deps.pool.query('SELECT 1'),
      redis: () => deps.redis.ping(),
      layout: () => upstreamReady(config.services.layout),
      theme: () => upstreamReady(config.services.theme),
      asset: () => upstreamReady(config.services.asset),
      'residency-migration': () => upstreamReady(config.services.migration),
    },
  });

  // Before any route exists (the skeleton's health and metrics routes included): every route gets
  // its kind, and the edge runs first for every request.
  await app.register(routeKindsPlugin);
  await app.register(edgePlugin);

  const secretBox = new SecretBox(config.encryptionKey);
  const tenantDirectory = new TenantDirectory({
    pool: deps.pool,
    secretBox,
    ttlMs: config.tenantCacheTtlSeconds * 1000,
    logger: app.log,
  });
  const registry = new TenantRegistry({
    db: deps.directory,
    secretBox,
    cache: tenantDirectory,
    publisher: deps.redis,
    channelPrefix: prefix,
    region: config.region.id,
    now: deps.now,
    assertBaseUrl: deps.assertBaseUrl,
  });
  const signServiceToken = createInternalTokenSigner(config.internalTokenSecret, 'service');
  const signForwardingToken = createInternalTokenSigner(config.internalTokenSecret, 'forwarding');
  const forgeVerifier = new ForgeTokenVerifier(
    config.forgeJwksUrl,
    config.forgeAppId && config.forgeEnvironment
      ? { appId: config.forgeAppId, environment: config.forgeEnvironment }
      : undefined,
    config.jwtLeewaySeconds,
  );

  if (deps.subscribers?.length) {
    let unsubscribe: (() => Promise<void>) | undefined;
    app.addHook('onReady', async () => {
      unsubscribe = await tenantDirectory.subscribe(deps.subscribers!, prefix);
    });
    app.addHook('onClose', async () => unsubscribe?.());
  }

  await app.register(accessLogPlugin, {
    writer:
      deps.accessLog ??
      (config.accessLogSink === 'stdout'
        ? new StreamAccessLog()
        : new DailyFileAccessLog(config.accessLogDir)),
  });
  await app.register(securityPlugin, {
    corsOrigins: config.corsOrigins,
    redis: deps.redis,
    rateLimitPerMinute: config.rateLimitPerMinute,
    keyPrefix: prefix,
  });
  await app.register(sourceLimitPlugin, {
    redis: deps.redis,
    keyPrefix: prefix,
    maxFailures: config.unauthenticatedLimitPerMinute,
    hashKey: config.sourceHashKey,
  });
  await app.register(authenticatePlugin, {
    connect: new ConnectTokenVerifier(tenantDirectory, config.jwtLeewaySeconds),
    forge: forgeVerifier,
    directory: tenantDirectory,
    registry,
    internalTokenSecret: config.internalTokenSecret,
    region: config.region.id,
  });

  await app.register(descriptorRoutes, { config });
  await app.register(lifecycleRoutes, {
    appKey: config.appKey,
    audiences: [...new Set([config.appBaseUrl, config.region.baseUrl])],
    leewaySeconds: config.jwtLeewaySeconds,
    keys: InstallKeyServices.fromUrls(config.connectInstallKeys),
    registry,
    hooks: deps.hooks ?? {},
  });
  // Forge (Connect on Forge): life-cycle events over FIT; the residency hooks are proxy routes.
  await app.register(forgeLifecycleRoutes, { forge: forgeVerifier, registry, hooks: deps.hooks ?? {} });
  // Invalidated by the services' document-changed notices, by tenant-changed notices and by the
  // writes this router proxies itself; serves only while its subscription is live.
  const readCache = attachDocumentChangeBus(
    app,
    deps.documentSubscriber
      ? { publisher: deps.redis, subscriber: deps.documentSubscriber, prefix, ...config.documentCache }
      : undefined,
  );
  await app.register(proxyRoutes, {
    readCache: readCache?.cache,
    region: config.region.id,
    regions: config.regions,
    services: config.services,
    directory: tenantDirectory,
    signServiceToken,
    signForwardingToken,
    bodyLimitBytes: config.bodyLimitBytes,
    uploadLimitBytes: config.uploadLimitBytes,
  });

  await app.register(apiDocsPlugin);
  if (deps.operations)
    await app.register(operationsPlugin, { ...deps.operations, directory: deps.directory });
  if (deps.permissions) {
    await app.register(permissionsPlugin, {
      checker: deps.permissions.checker,
      internalTokenSecret: config.internalTokenSecret,
      appKey: config.appKey,
      directory: tenantDirectory,
    });
  }

  return Object.assign(app, { tenantDirectory }) as RouterServiceApp;
}
