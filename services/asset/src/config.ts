import { type CommonConfig, copyEtagIsMd5, type Env, parseCommonConfig, parseEnv } from '@rt/config';
import { parsePermissionServiceConfig } from '@rt/confluence';
import { Type } from '@sinclair/typebox';

const MiB = 1024 * 1024;

/** Asset-specific variables, all with defaults. */
export const AssetEnvSchema = Type.Object({
  /** Largest upload accepted, in bytes (413 ASSET_TOO_LARGE above). */
  ASSET_MAX_BYTES: Type.Integer({ minimum: 1024, maximum: 512 * MiB, default: 10 * MiB }),
  /** Largest SVG accepted, in bytes: SVGs are parsed in memory, so their cap is smaller. */
  ASSET_MAX_SVG_BYTES: Type.Integer({ minimum: 1024, maximum: 64 * MiB, default: 2 * MiB }),
  /** Largest width × height of a raster image (decompression-bomb guard), default 40 MP. */
  ASSET_MAX_PIXELS: Type.Integer({ minimum: 1, maximum: 1_000_000_000, default: 40_000_000 }),
  /** Lifetime of presigned download URLs, in seconds. */
  ASSET_URL_TTL_SECONDS: Type.Integer({ minimum: 10, maximum: 3600, default: 300 }),
  /** Where uploads are spooled while they are validated (default: the OS temp directory). */
  ASSET_SPOOL_DIR: Type.Optional(Type.String({ minLength: 1 })),
});

/** Limits and lifetimes of the asset service. */
export interface AssetSettings {
  maxBytes: number;
  maxSvgBytes: number;
  maxPixels: number;
  urlTtlSeconds: number;
  spoolDir?: string;
  /** Record each upload's MD5 (`S3_COPY_ETAG_IS_MD5`, `@rt/config`'s ObjectStoreEnvSchema). */
  recordMd5: boolean;
}

/** The defaults, for tests and callers that do not read the environment. */
export const defaultAssetSettings = (): AssetSettings => {
  const v = parseEnv(AssetEnvSchema, {});
  return {
    maxBytes: v.ASSET_MAX_BYTES,
    maxSvgBytes: v.ASSET_MAX_SVG_BYTES,
    maxPixels: v.ASSET_MAX_PIXELS,
    urlTtlSeconds: v.ASSET_URL_TTL_SECONDS,
    recordMd5: false,
  };
};

/** Configuration of the asset service. */
export interface ServiceConfig extends CommonConfig {
  assets: AssetSettings;
  /** This region's router, which answers permission questions (ROUTER_INTERNAL_URL). */
  routerInternalUrl: string;
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Env): ServiceConfig {
  const common = parseCommonConfig(env, { redis: false });
  const v = parseEnv(AssetEnvSchema, env);
  return {
    ...common,
    routerInternalUrl: parsePermissionServiceConfig(env).routerUrl,
    assets: {
      maxBytes: v.ASSET_MAX_BYTES,
      maxSvgBytes: v.ASSET_MAX_SVG_BYTES,
      maxPixels: v.ASSET_MAX_PIXELS,
      urlTtlSeconds: v.ASSET_URL_TTL_SECONDS,
      spoolDir: v.ASSET_SPOOL_DIR,
      recordMd5: copyEtagIsMd5(env),
    },
  };
}
