import { type Static, Type } from '@sinclair/typebox';
import { type Env, EnvType, parseEnv, withAssembledUrls } from './env.js';
import { ConfigError } from './errors.js';
import { parseRegions, type RegionSettings, type RegionTable } from './regions.js';
import { assertProductionSecrets, isProduction } from './secrets.js';

/**
 * The process's own region: database and Redis URLs are set whenever the service declared it
 * needs them (see {@link CommonNeeds}); otherwise they are empty strings.
 */
export type OwnRegionSettings = RegionSettings & { databaseUrl: string; redisUrl: string };

/** Variables every service reads. */
export const CommonEnvSchema = Type.Object({
  NODE_ENV: Type.String({ default: 'development' }),
  LOG_LEVEL: EnvType.logLevel(),
  /** The region this process serves. */
  REGION: Type.String({ pattern: '^[A-Z]{2,8}$' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: EnvType.port(0),
  /**
   * Private listener of `/metrics` (never served on PORT). Unset: the process serves no metrics.
   * METRICS_HOST stays on loopback unless a scraper reaches it over a private network.
   */
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  METRICS_HOST: Type.String({ default: '127.0.0.1' }),
  /** HS256 key of the router → service internal token (≥ 32 chars). */
  INTERNAL_TOKEN_SECRET: Type.Optional(EnvType.secret(32, 'HS256 key of the internal service token')),
  /** Directory (control plane) database, primary. */
  DIRECTORY_DATABASE_URL: EnvType.url(),
  /** Directory read replica in this region (optional; defaults to the primary). */
  DIRECTORY_READ_DATABASE_URL: Type.Optional(EnvType.url()),
  DB_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
});

/** Typed configuration common to every service. */
export interface CommonConfig {
  env: string;
  logLevel: Static<typeof CommonEnvSchema>['LOG_LEVEL'];
  host: string;
  port: number;
  /** Where `/metrics` is served (absent: nowhere). */
  metrics?: { host: string; port: number };
  internalTokenSecret: string;
  directoryDatabaseUrl: string;
  /** Directory read replica of this region (defaults to the primary). */
  directoryReadDatabaseUrl: string;
  dbPoolSize: number;
  /** This process's region (its database and Redis are always configured). */
  region: OwnRegionSettings;
  /** Every configured region (for forwarding, migrations and deletions). */
  regions: RegionTable;
}

/**
 * What a process needs of its own region and the internal token. A deployment injects only
 * what a service needs (least privilege), so a service that does not use Redis, the regional
 * database or the internal token says so and those variables become optional (empty string).
 */
export interface CommonNeeds {
  regionalDatabase?: boolean;
  redis?: boolean;
  internalToken?: boolean;
}

/** Parses the variables every service needs. */
export function parseCommonConfig(rawEnv: Env, needs: CommonNeeds = {}): CommonConfig {
  const want = { regionalDatabase: true, redis: true, internalToken: true, ...needs };
  const env = withAssembledUrls(rawEnv);
  const v = parseEnv(CommonEnvSchema, env);
  // Every service parses this at start-up, so a production process with a placeholder, weak or
  // shared secret stops here, whichever of the secrets it was given.
  if (isProduction(env)) assertProductionSecrets(env);
  if (want.internalToken && !v.INTERNAL_TOKEN_SECRET) {
    throw new ConfigError([{ variable: 'INTERNAL_TOKEN_SECRET', problem: 'is required but not set' }]);
  }
  const regions = parseRegions(env);
  const region = regions.regions.find((r) => r.id === v.REGION);
  const missing = (['databaseUrl', 'redisUrl'] as const).filter(
    (k) => region && !region[k] && (k === 'databaseUrl' ? want.regionalDatabase : want.redis),
  );
  if (region && missing.length > 0) {
    throw new ConfigError(
      missing.map((k) => ({
        variable: `REGION_${region.id}_${k === 'databaseUrl' ? 'DATABASE' : 'REDIS'}_URL`,
        problem: 'is required for the own region but not set',
      })),
    );
  }
  if (!region) {
    throw new ConfigError([
      {
        variable: 'REGION',
        problem: `${v.REGION} is not one of REGIONS (${regions.regions.map((r) => r.id).join(',')})`,
      },
    ]);
  }
  return {
    env: v.NODE_ENV,
    logLevel: v.LOG_LEVEL,
    host: v.HOST,
    port: v.PORT,
    metrics: v.METRICS_PORT ? { host: v.METRICS_HOST, port: v.METRICS_PORT } : undefined,
    internalTokenSecret: v.INTERNAL_TOKEN_SECRET ?? '',
    directoryDatabaseUrl: v.DIRECTORY_DATABASE_URL,
    directoryReadDatabaseUrl: v.DIRECTORY_READ_DATABASE_URL ?? v.DIRECTORY_DATABASE_URL,
    dbPoolSize: v.DB_POOL_SIZE,
    region: { ...region, databaseUrl: region.databaseUrl ?? '', redisUrl: region.redisUrl ?? '' },
    regions,
  };
}
