import {
  type CommonConfig,
  ConfigError,
  type Env,
  EnvType,
  migrationLimits,
  parseCommonConfig,
  parseEnv,
} from '@rt/config';
import { parseDocumentCacheConfig } from '@rt/documents';
import { Type } from '@sinclair/typebox';
import { INSTALL_KEY_SERVICES } from './auth/install-token.js';

/** Router-specific variables. */
export const RouterEnvSchema = Type.Object({
  /** The app's base URL as registered with Atlassian (Connect descriptor `baseUrl`). */
  APP_BASE_URL: EnvType.url(),
  /** Atlassian's install-keys service of production sites; `/{kid}` answers the PEM public key. */
  CONNECT_INSTALL_KEYS_URL: EnvType.url({ default: INSTALL_KEY_SERVICES.production }),
  /** The install-keys service of Atlassian's staging sites (`*.jira-dev.com`, `*.atlassian-dev.net`). */
  CONNECT_INSTALL_KEYS_STAGING_URL: EnvType.url({ default: INSTALL_KEY_SERVICES.staging }),
  /** Forge Remote: JWKS of Forge Invocation Tokens. */
  FORGE_JWKS_URL: EnvType.url({ default: 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json' }),
  /**
   * Forge app id, the full app ARI (`ari:cloud:ecosystem::app/<uuid>`) as in the manifest's
   * `app.id`: the `aud` and `app.id` of Forge Invocation Tokens. Unset: Forge calls are refused.
   */
  FORGE_APP_ID: Type.Optional(Type.String({ pattern: '^ari:cloud:ecosystem::app/[A-Za-z0-9-]+$' })),
  /** Forge environment this deployment serves; a FIT of another environment is refused. */
  FORGE_ENVIRONMENT_TYPE: Type.Optional(
    Type.Union([Type.Literal('PRODUCTION'), Type.Literal('STAGING'), Type.Literal('DEVELOPMENT')]),
  ),
  /** Environment ARI (`ari:cloud:ecosystem::environment/<app uuid>/<env uuid>`), FIT `app.environment.id`. */
  FORGE_ENVIRONMENT_ID: Type.Optional(
    Type.String({ pattern: '^ari:cloud:ecosystem::environment/[A-Za-z0-9-]+/[A-Za-z0-9-]+$' }),
  ),
  /**
   * 32-byte key, base64, for AES-256-GCM of tenant shared secrets at rest: padded as
   * `openssl rand -base64 32` prints it, or the 43 unpadded characters Secrets Manager generates.
   */
  ENCRYPTION_KEY: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=?$', description: '32 bytes, base64' }),
  /** Services of this region (internal addresses). */
  LAYOUT_URL: EnvType.url(),
  THEME_URL: EnvType.url(),
  ASSET_URL: EnvType.url(),
  MIGRATION_URL: EnvType.url(),
  /** Comma-separated origins allowed by CORS (none by default). */
  CORS_ORIGINS: Type.String({ default: '' }),
  /** Connect app key (descriptor `key`); lifecycle payloads must name it. */
  APP_KEY: Type.String({ minLength: 1, maxLength: 64, default: 'com.refined.toolkit' }),
  /** Directory of the access log (one JSON-lines file per UTC day); the only sink of client IPs. */
  ACCESS_LOG_DIR: Type.String({ minLength: 1, default: 'var/access-log' }),
  /** `file`: daily files under ACCESS_LOG_DIR (retention job); `stdout`: the platform's log group. */
  ACCESS_LOG_SINK: Type.Union([Type.Literal('file'), Type.Literal('stdout')], { default: 'file' }),
  /** Requests per minute per tenant (Redis-backed, shared by all instances of a region's router). */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 1200 }),
  /**
   * Refused authentications (401) one client address may cause per minute; past it, its
   * requests to credentialed routes are 429 before any authentication work.
   */
  UNAUTHENTICATED_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 30 }),
  /**
   * HMAC key of the client-address hash the unauthenticated limit counts by. Set the same value
   * on every router instance of a region to share counts; unset, each process draws its own.
   */
  SOURCE_HASH_KEY: Type.Optional(EnvType.secret(32, 'HMAC key of the client-address hash')),
  /** Seconds a router trusts its cached copy of a tenant without an invalidation (safety net). */
  TENANT_CACHE_TTL_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  /** Clock skew tolerated on Atlassian tokens (exp, nbf, iat). */
  JWT_LEEWAY_SECONDS: Type.Integer({ minimum: 0, maximum: 300, default: 30 }),
  /**
   * Largest proxied body outside uploads, and largest upload (`/api/v1/assets`). Keep the upload
   * limit at most the asset service's ASSET_MAX_BYTES: the router must refuse (413) before the
   * service does, or the service's early answer cuts the streamed upload (a 502 at the router).
   */
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1024 * 1024 }),
  UPLOAD_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024 }),
  /** Fastify trustProxy: hops (number), 'true', or comma-separated addresses/CIDRs of the load balancer. */
  TRUST_PROXY: Type.String({ default: '' }),
});

/** Typed router configuration. */
export interface RouterConfig extends CommonConfig {
  appBaseUrl: string;
  /** Install-keys services of production and staging sites. */
  connectInstallKeys: { production: string; staging: string };
  forgeJwksUrl: string;
  forgeAppId?: string;
  /** The Forge environment FITs must name (set whenever `forgeAppId` is). */
  forgeEnvironment?: { type: 'PRODUCTION' | 'STAGING' | 'DEVELOPMENT'; id: string };
  encryptionKey: string;
  services: { layout: string; theme: string; asset: string; migration: string };
  /** Descriptor `dataResidency.maxMigrationDurationHours` (owned by @rt/config's migrationLimits). */
  maxMigrationDurationHours: number;
  corsOrigins: string[];
  appKey: string;
  accessLogDir: string;
  accessLogSink: 'file' | 'stdout';
  rateLimitPerMinute: number;
  unauthenticatedLimitPerMinute: number;
  sourceHashKey?: string;
  tenantCacheTtlSeconds: number;
  jwtLeewaySeconds: number;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  trustProxy: boolean | number | string[];
  /**
   * Limits of the router's read cache of document answers (`DOCUMENT_CACHE_MAX_ENTRIES`,
   * `DOCUMENT_CACHE_MAX_MB`, the same variables as the layout and theme services' caches).
   */
  documentCache: { maxEntries: number; maxBytes: number };
}

const parseTrustProxy = (value: string): boolean | number | string[] => {
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim());
};

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Env): RouterConfig {
  const common = parseCommonConfig(env, { regionalDatabase: false });
  const v = parseEnv(RouterEnvSchema, env);
  // A FIT is only as specific as the environment it is checked against: with an app id, the
  // environment is required too, so a development FIT can never drive production.
  if (v.FORGE_APP_ID && (!v.FORGE_ENVIRONMENT_TYPE || !v.FORGE_ENVIRONMENT_ID)) {
    throw new ConfigError(
      (['FORGE_ENVIRONMENT_TYPE', 'FORGE_ENVIRONMENT_ID'] as const)
        .filter((name) => !v[name])
        .map((variable) => ({ variable, problem: 'is required when FORGE_APP_ID is set' })),
    );
  }
  return {
    ...common,
    appBaseUrl: v.APP_BASE_URL.replace(/\/+$/, ''),
    connectInstallKeys: {
      production: v.CONNECT_INSTALL_KEYS_URL.replace(/\/+$/, ''),
      staging: v.CONNECT_INSTALL_KEYS_STAGING_URL.replace(/\/+$/, ''),
    },
    forgeJwksUrl: v.FORGE_JWKS_URL,
    forgeAppId: v.FORGE_APP_ID,
    forgeEnvironment:
      v.FORGE_ENVIRONMENT_TYPE && v.FORGE_ENVIRONMENT_ID
        ? { type: v.FORGE_ENVIRONMENT_TYPE, id: v.FORGE_ENVIRONMENT_ID }
        : undefined,
    encryptionKey: v.ENCRYPTION_KEY,
    services: { layout: v.LAYOUT_URL, theme: v.THEME_URL, asset: v.ASSET_URL, migration: v.MIGRATION_URL },
    maxMigrationDurationHours: migrationLimits(env).maxDurationHours,
    corsOrigins: v.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    appKey: v.APP_KEY,
    accessLogDir: v.ACCESS_LOG_DIR,
    accessLogSink: v.ACCESS_LOG_SINK,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    unauthenticatedLimitPerMinute: v.UNAUTHENTICATED_LIMIT_PER_MINUTE,
    sourceHashKey: v.SOURCE_HASH_KEY,
    tenantCacheTtlSeconds: v.TENANT_CACHE_TTL_SECONDS,
    jwtLeewaySeconds: v.JWT_LEEWAY_SECONDS,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    uploadLimitBytes: v.UPLOAD_LIMIT_BYTES,
    trustProxy: parseTrustProxy(v.TRUST_PROXY),
    documentCache: parseDocumentCacheConfig(env),
  };
}
