import { ConfigError, type Env, EnvType, parseEnv } from '@rt/config';
import { Type } from '@sinclair/typebox';
import { parseAllowedHosts } from './allowed-hosts.js';
import { ConfluenceClient, type ConfluenceTenant } from './confluence-client.js';
import { PermissionCheckUnavailable } from './errors.js';
import { MAX_PERMISSION_CACHE_MS, PermissionChecker } from './permission-checker.js';

/** Variables of the Confluence client (read by the router). */
export const ConfluenceEnvSchema = Type.Object({
  /** Extra hosts the client may call besides Atlassian's (development/tests: `127.0.0.1,localhost`). */
  CONFLUENCE_ALLOWED_HOSTS: Type.String({ default: '' }),
  /** Timeout of one Confluence request. */
  CONFLUENCE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 30_000, default: 5_000 }),
  /** How long a permission answer is reused (at most 60 s). */
  PERMISSION_CACHE_TTL_MS: Type.Integer({ minimum: 0, maximum: MAX_PERMISSION_CACHE_MS, default: 30_000 }),
});

/** Typed Confluence client settings. */
export interface ConfluenceConfig {
  allowedHosts: string[];
  timeoutMs: number;
  permissionCacheTtlMs: number;
}

/**
 * Parses {@link ConfluenceEnvSchema}. In production (`production: true`) extra hosts are a
 * configuration error: they exist only so a local fake Confluence can be called.
 */
export function parseConfluenceConfig(env: Env, options: { production?: boolean } = {}): ConfluenceConfig {
  const v = parseEnv(ConfluenceEnvSchema, env);
  const allowedHosts = parseAllowedHosts(v.CONFLUENCE_ALLOWED_HOSTS);
  if (options.production && allowedHosts.length > 0) {
    throw new ConfigError([
      { variable: 'CONFLUENCE_ALLOWED_HOSTS', problem: 'must be empty in production (Atlassian hosts only)' },
    ]);
  }
  return {
    allowedHosts,
    timeoutMs: v.CONFLUENCE_TIMEOUT_MS,
    permissionCacheTtlMs: v.PERMISSION_CACHE_TTL_MS,
  };
}

/** The router's permission checker from its configuration. */
export function createPermissionChecker(config: ConfluenceConfig): PermissionChecker {
  return new PermissionChecker({
    client: new ConfluenceClient({ extraHosts: config.allowedHosts, timeoutMs: config.timeoutMs }),
    cacheTtlMs: config.permissionCacheTtlMs,
  });
}

/** The directory's view of a tenant, as far as calling its Confluence goes. */
export interface TenantAccess {
  id: string;
  baseUrl: string;
  /** Decrypted shared secret (Connect); null for Forge-only tenants. */
  sharedSecret: string | null;
}

/**
 * A directory tenant as a {@link ConfluenceTenant}: Forge when the request carried a Forge system
 * token (its `baseUrl` is then the invocation's `apiBaseUrl`), Connect when the tenant has a
 * shared secret. Nothing to sign with → {@link PermissionCheckUnavailable} (503), never an allow.
 */
export function confluenceTenantOf(
  tenant: TenantAccess,
  options: { appKey: string; forgeToken?: string },
): ConfluenceTenant {
  if (options.forgeToken) {
    return {
      id: tenant.id,
      baseUrl: tenant.baseUrl,
      credentials: { kind: 'forge', token: options.forgeToken },
    };
  }
  if (tenant.sharedSecret) {
    return {
      id: tenant.id,
      baseUrl: tenant.baseUrl,
      credentials: { kind: 'connect', appKey: options.appKey, sharedSecret: tenant.sharedSecret },
    };
  }
  throw new PermissionCheckUnavailable('no credentials to call this site');
}

/** Variable of the layout, theme and asset services: where to ask permission questions. */
export const PermissionServiceEnvSchema = Type.Object({
  /** This region's router, internal address (`POST /internal/v1/permissions/check`). */
  ROUTER_INTERNAL_URL: EnvType.url(),
});

/** Parses {@link PermissionServiceEnvSchema} into `routerPermissionOracle`'s options. */
export function parsePermissionServiceConfig(env: Env): { routerUrl: string } {
  return { routerUrl: parseEnv(PermissionServiceEnvSchema, env).ROUTER_INTERNAL_URL.replace(/\/+$/, '') };
}
