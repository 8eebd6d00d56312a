import { type Static, Type } from '@sinclair/typebox';
import { type Env, EnvType, parseEnv } from './env.js';
import { ConfigError } from './errors.js';
import { parseRegions, type RegionSettings, type RegionTable } from './regions.js';

/** Variables every service reads. */
export const CommonEnvSchema = Type.Object({
  NODE_ENV: Type.String({ default: 'development' }),
  LOG_LEVEL: EnvType.logLevel(),
  /** The region this process serves. */
  REGION: Type.String({ pattern: '^[A-Z]{2,8}$' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: EnvType.port(0),
  /** HS256 key of the router → service internal token (≥ 32 chars). */
  INTERNAL_TOKEN_SECRET: EnvType.secret(32, 'HS256 key of the internal service token'),
  /** Directory (control plane) database, primary. */
  DIRECTORY_DATABASE_URL: EnvType.url(),
  DB_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
});

/** Typed configuration common to every service. */
export interface CommonConfig {
  env: string;
  logLevel: Static<typeof CommonEnvSchema>['LOG_LEVEL'];
  host: string;
  port: number;
  internalTokenSecret: string;
  directoryDatabaseUrl: string;
  dbPoolSize: number;
  /** This process's region. */
  region: RegionSettings;
  /** Every configured region (for forwarding, migrations and deletions). */
  regions: RegionTable;
}

/** Parses the variables every service needs. */
export function parseCommonConfig(env: Env): CommonConfig {
  const v = parseEnv(CommonEnvSchema, env);
  const regions = parseRegions(env);
  const region = regions.regions.find((r) => r.id === v.REGION);
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
    internalTokenSecret: v.INTERNAL_TOKEN_SECRET,
    directoryDatabaseUrl: v.DIRECTORY_DATABASE_URL,
    dbPoolSize: v.DB_POOL_SIZE,
    region,
    regions,
  };
}
