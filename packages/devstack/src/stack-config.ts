import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The services started per region, in start order, with their port offset from the router. */
export const SERVICES = [
  { name: 'layout', offset: 1 },
  { name: 'theme', offset: 2 },
  { name: 'asset', offset: 3 },
  { name: 'residency-migration', offset: 4 },
  { name: 'worker', offset: 5 },
  { name: 'router', offset: 0 },
] as const;

/** Name of a service of the stack. */
export type ServiceName = (typeof SERVICES)[number]['name'];

/** One region of the local stack. */
export interface LocalRegion {
  id: string;
  routerPort: number;
  database: string;
  redisDb: number;
  bucket: string;
}

/** Everything the local stack is made of; every value can be overridden by environment. */
export interface StackConfig {
  host: string;
  stateDir: string;
  adminDatabaseUrl: string;
  redisUrl: string;
  s3Port: number;
  directoryDatabase: string;
  regions: LocalRegion[];
  secrets: {
    internalTokenSecret: string;
    encryptionKey: string;
    operatorTokenSecret: string;
    /** Key of the region-export tokens both regions' workers share (migrations). */
    regionExportSecret: string;
  };
  /** Base URL registered with Atlassian (descriptor `baseUrl`); defaults to the first router. */
  appBaseUrl: string;
  connectInstallKeysUrl?: string;
  /**
   * Forge: the JWKS of Forge Invocation Tokens and the app/environment they must name. Passed
   * through from the environment; when `FORGE_JWKS_URL` is unset the CLI starts a local FIT
   * signer and fills all four in.
   */
  forge: ForgeSettings;
  /** Install keys of staging sites; defaults to `connectInstallKeysUrl` (one local fake for both). */
  connectInstallKeysStagingUrl?: string;
  logLevel: string;
  /**
   * Memory allocator of the service processes (`STACK_ALLOCATOR`): `jemalloc` (default) preloads
   * Debian's jemalloc where it is installed, as the images do; `glibc` keeps Node's own.
   */
  allocator: 'jemalloc' | 'glibc';
}

/** The Forge variables the routers read, as `npm start` passes them on. */
export interface ForgeSettings {
  jwksUrl?: string;
  appId?: string;
  environmentType?: string;
  environmentId?: string;
}

const env = (name: string, fallback: string): string => process.env[name] || fallback;
const int = (name: string, fallback: number, max = 65535): number => {
  const v = process.env[name];
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new Error(`${name} must be an integer 0–${max}, got ${v}`);
  return n;
};

/**
 * Secrets of the local stack, generated once and kept in the state directory so tenants
 * installed in one run can still be decrypted in the next. Never used outside the local stack.
 */
function localSecrets(stateDir: string): StackConfig['secrets'] {
  const file = join(stateDir, 'secrets.json');
  let stored: Partial<StackConfig['secrets']> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // First start: every secret is generated below.
  }
  const secrets: StackConfig['secrets'] = {
    internalTokenSecret: stored.internalTokenSecret ?? randomBytes(32).toString('base64url'),
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString('base64'),
    operatorTokenSecret: stored.operatorTokenSecret ?? randomBytes(32).toString('base64url'),
    regionExportSecret: stored.regionExportSecret ?? randomBytes(32).toString('base64url'),
  };
  // A state directory from before a secret existed gets it added; the others stay as they were.
  if (Object.keys(secrets).some((k) => !(k in stored))) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

/** `STACK_ALLOCATOR`'s value, checked. */
export const allocatorOf = (value: string): StackConfig['allocator'] => {
  if (value === 'jemalloc' || value === 'glibc') return value;
  throw new Error(`STACK_ALLOCATOR must be jemalloc or glibc, not ${JSON.stringify(value)}`);
};

/** Reads the stack layout from the environment with the documented defaults. */
export function loadStackConfig(root: string): StackConfig {
  const host = env('STACK_HOST', '127.0.0.1');
  const stateDir = env('STACK_STATE_DIR', join(root, '.devstack'));
  const euPort = int('EU_ROUTER_PORT', 8080);
  const usPort = int('US_ROUTER_PORT', 8090);
  return {
    host,
    stateDir,
    adminDatabaseUrl: env('DATABASE_ADMIN_URL', 'postgresql://postgres@127.0.0.1:5432/postgres'),
    redisUrl: env('REDIS_URL', 'redis://127.0.0.1:6379'),
    s3Port: int('S3_PORT', 9000),
    directoryDatabase: env('DIRECTORY_DATABASE', 'rt_directory'),
    regions: [
      {
        id: 'EU',
        routerPort: euPort,
        database: env('EU_DATABASE', 'rt_eu'),
        // Own Redis databases keep another stack's queues (a developer's, a test's) apart.
        redisDb: int('EU_REDIS_DB', 1, 15),
        bucket: env('EU_BUCKET', 'rt-assets-eu'),
      },
      {
        id: 'US',
        routerPort: usPort,
        database: env('US_DATABASE', 'rt_us'),
        redisDb: int('US_REDIS_DB', 2, 15),
        bucket: env('US_BUCKET', 'rt-assets-us'),
      },
    ],
    secrets: localSecrets(stateDir),
    appBaseUrl: env('APP_BASE_URL', `http://${host}:${euPort}`),
    allocator: allocatorOf(env('STACK_ALLOCATOR', 'jemalloc')),
    connectInstallKeysUrl: process.env.CONNECT_INSTALL_KEYS_URL,
    forge: {
      jwksUrl: process.env.FORGE_JWKS_URL || undefined,
      appId: process.env.FORGE_APP_ID || undefined,
      environmentType: process.env.FORGE_ENVIRONMENT_TYPE || undefined,
      environmentId: process.env.FORGE_ENVIRONMENT_ID || undefined,
    },
    connectInstallKeysStagingUrl:
      process.env.CONNECT_INSTALL_KEYS_STAGING_URL || process.env.CONNECT_INSTALL_KEYS_URL,
    logLevel: env('LOG_LEVEL', 'info'),
  };
}

const databaseUrl = (config: StackConfig, database: string): string => {
  const url = new URL(config.adminDatabaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

/** URL of the directory database. */
export const directoryUrl = (config: StackConfig): string => databaseUrl(config, config.directoryDatabase);
/** URL of a region's database. */
export const regionDatabaseUrl = (config: StackConfig, region: LocalRegion): string =>
  databaseUrl(config, region.database);
/** Public URL of a region's router. */
export const routerUrl = (config: StackConfig, region: LocalRegion): string =>
  process.env[`REGION_${region.id}_BASE_URL`] || `http://${config.host}:${region.routerPort}`;
/** Internal URL of a service of a region. */
export const serviceUrl = (config: StackConfig, region: LocalRegion, service: ServiceName): string =>
  `http://${config.host}:${region.routerPort + SERVICES.find((s) => s.name === service)!.offset}`;

/** The environment of one service process: the same variables a deployment sets. */
export function serviceEnv(
  config: StackConfig,
  region: LocalRegion,
  service: ServiceName,
): Record<string, string> {
  const redis = (r: LocalRegion) => {
    const url = new URL(config.redisUrl);
    url.pathname = `/${r.redisDb}`;
    return url.toString();
  };
  const vars: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: config.logLevel,
    REGION: region.id,
    REGIONS: config.regions.map((r) => r.id).join(','),
    REGION_ALIASES: 'DE:EU',
    HOST: config.host,
    PORT: String(region.routerPort + SERVICES.find((s) => s.name === service)!.offset),
    INTERNAL_TOKEN_SECRET: config.secrets.internalTokenSecret,
    ENCRYPTION_KEY: config.secrets.encryptionKey,
    OPERATOR_TOKEN_SECRET: config.secrets.operatorTokenSecret,
    DIRECTORY_DATABASE_URL: directoryUrl(config),
    APP_BASE_URL: config.appBaseUrl,
    LAYOUT_URL: serviceUrl(config, region, 'layout'),
    THEME_URL: serviceUrl(config, region, 'theme'),
    ASSET_URL: serviceUrl(config, region, 'asset'),
    MIGRATION_URL: serviceUrl(config, region, 'residency-migration'),
    // Services ask their region's router whether a user may write (it holds the tenant secrets).
    ROUTER_INTERNAL_URL: routerUrl(config, region),
    // The demo tenant's fake Confluence listens on loopback.
    CONFLUENCE_ALLOWED_HOSTS: '127.0.0.1,localhost',
    ACCESS_LOG_DIR: join(config.stateDir, 'access-logs', region.id.toLowerCase()),
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    // Node 20 runs the local stack; the SDK's notice about Node 22 is known (images use Node 24).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  if (config.connectInstallKeysUrl) vars.CONNECT_INSTALL_KEYS_URL = config.connectInstallKeysUrl;
  if (config.forge.jwksUrl) vars.FORGE_JWKS_URL = config.forge.jwksUrl;
  if (config.forge.appId) vars.FORGE_APP_ID = config.forge.appId;
  if (config.forge.environmentType) vars.FORGE_ENVIRONMENT_TYPE = config.forge.environmentType;
  if (config.forge.environmentId) vars.FORGE_ENVIRONMENT_ID = config.forge.environmentId;
  if (config.connectInstallKeysStagingUrl)
    vars.CONNECT_INSTALL_KEYS_STAGING_URL = config.connectInstallKeysStagingUrl;
  // The local stack's store is s3rver, which computes a copy's ETag from the bytes it wrote: the
  // asset service records each upload's MD5 and the worker proves its copies by it.
  if (service === 'asset' || service === 'worker') vars.S3_COPY_ETAG_IS_MD5 = 'true';
  if (service === 'worker') {
    // As on AWS, a worker holds only its own region's database: migrations pull from the other
    // region's worker (export endpoint) and copy objects inside S3; deletions ask the other
    // region's worker to delete there (deletion endpoint).
    vars.REGION_EXPORT_SECRET = config.secrets.regionExportSecret;
    for (const r of config.regions) {
      if (r.id !== region.id) vars[`REGION_${r.id}_EXPORT_URL`] = serviceUrl(config, r, 'worker');
    }
  }
  for (const r of config.regions) {
    if (service !== 'worker' || r.id === region.id)
      vars[`REGION_${r.id}_DATABASE_URL`] = regionDatabaseUrl(config, r);
    vars[`REGION_${r.id}_REDIS_URL`] = redis(r);
    vars[`REGION_${r.id}_S3_BUCKET`] = r.bucket;
    vars[`REGION_${r.id}_S3_ENDPOINT`] = `http://${config.host}:${config.s3Port}`;
    vars[`REGION_${r.id}_BASE_URL`] = routerUrl(config, r);
  }
  return vars;
}
