import { Type } from '@sinclair/typebox';
import { type Env, EnvType, parseEnv, withAssembledUrls } from './env.js';
import { ConfigError } from './errors.js';

/**
 * A region id as used in configuration, the directory and Atlassian's data-residency realms
 * (`EU`, `US`, …). Regions are configuration, not code: `REGIONS` lists them.
 */
export type RegionId = string;

/** The regions this product ships with. More can be added by configuration alone. */
export const Region = { EU: 'EU', US: 'US' } as const;

/** Default AWS region for well-known ids; others must set REGION_<ID>_AWS_REGION. */
const DEFAULT_AWS_REGION: Record<string, string> = { EU: 'eu-central-1', US: 'us-east-1' };

/** Everything a process needs to reach one region's data plane. */
export interface RegionSettings {
  id: RegionId;
  /** AWS region of the stack (e.g. eu-central-1). */
  awsRegion: string;
  /**
   * Regional Postgres (layouts, themes, assets). Required for the process's own region; other
   * regions' are set only where a process reaches them (the worker, for migrations/deletions).
   */
  databaseUrl?: string;
  /** Regional Redis (queues, rate limits, cache invalidation); required for the own region. */
  redisUrl?: string;
  /** The region's S3 bucket for images. */
  bucket: string;
  /** S3 endpoint override (local S3 server); undefined means AWS. */
  s3Endpoint?: string;
  /** Public base URL of this region's router (Connect `regionBaseUrls`). */
  baseUrl: string;
}

/** The configured regions plus Atlassian realm aliases (e.g. DE → EU). */
export interface RegionTable {
  regions: RegionSettings[];
  /** Atlassian location/realm → region id, including identity entries (EU → EU). */
  aliases: Record<string, RegionId>;
  get(id: RegionId): RegionSettings;
  /** Resolves an Atlassian location (EU, DE, US…) to a configured region, or undefined. */
  resolveLocation(location: string): RegionSettings | undefined;
}

const regionEnv = (id: string) =>
  Type.Object({
    [`REGION_${id}_DATABASE_URL`]: Type.Optional(EnvType.url()),
    [`REGION_${id}_REDIS_URL`]: Type.Optional(EnvType.url()),
    [`REGION_${id}_S3_BUCKET`]: Type.String({ minLength: 3, maxLength: 63, pattern: '^[a-z0-9.-]+$' }),
    [`REGION_${id}_S3_ENDPOINT`]: Type.Optional(EnvType.url()),
    [`REGION_${id}_AWS_REGION`]: Type.String({ minLength: 1, default: DEFAULT_AWS_REGION[id] ?? '' }),
    [`REGION_${id}_BASE_URL`]: EnvType.url(),
  });

/**
 * Reads `REGIONS` (comma separated, e.g. "EU,US"), `REGION_ALIASES` (e.g. "DE:EU") and, for every
 * region R, `REGION_R_DATABASE_URL`, `REGION_R_REDIS_URL`, `REGION_R_S3_BUCKET`,
 * `REGION_R_S3_ENDPOINT` (optional), `REGION_R_AWS_REGION` (default for EU/US) and
 * `REGION_R_BASE_URL`.
 */
export function parseRegions(rawEnv: Env): RegionTable {
  const env = withAssembledUrls(rawEnv);
  const { ids, aliases } = parseRegionIds(env);
  const regions = ids.map((id): RegionSettings => {
    const v = parseEnv(regionEnv(id), env) as Record<string, string | undefined>;
    const awsRegion = v[`REGION_${id}_AWS_REGION`];
    if (!awsRegion) {
      throw new ConfigError([{ variable: `REGION_${id}_AWS_REGION`, problem: 'is required but not set' }]);
    }
    return {
      id,
      awsRegion,
      databaseUrl: v[`REGION_${id}_DATABASE_URL`],
      redisUrl: v[`REGION_${id}_REDIS_URL`],
      bucket: v[`REGION_${id}_S3_BUCKET`]!,
      s3Endpoint: v[`REGION_${id}_S3_ENDPOINT`],
      baseUrl: v[`REGION_${id}_BASE_URL`]!.replace(/\/+$/, ''),
    };
  });
  return regionTable(regions, aliases);
}

/** What Atlassian sees of the regions: ids, realm aliases and public base URLs. */
export interface PublicRegionTable {
  regions: Pick<RegionSettings, 'id' | 'baseUrl'>[];
  aliases: Record<string, RegionId>;
  resolveLocation(location: string): Pick<RegionSettings, 'id' | 'baseUrl'> | undefined;
}

/**
 * Reads only `REGIONS`, `REGION_ALIASES` and `REGION_R_BASE_URL`: the part of the region
 * configuration that the Connect descriptor and the Forge manifest publish, for tools that
 * generate those files without any connection settings.
 */
export function parsePublicRegions(env: Env): PublicRegionTable {
  const { ids, aliases } = parseRegionIds(env);
  const regions = ids.map((id) => {
    const v = parseEnv(Type.Object({ [`REGION_${id}_BASE_URL`]: EnvType.url() }), env) as Record<
      string,
      string
    >;
    return { id, baseUrl: v[`REGION_${id}_BASE_URL`]!.replace(/\/+$/, '') };
  });
  return regionTable(regions, aliases);
}

function regionTable<R extends { id: RegionId }>(regions: R[], aliases: Record<string, RegionId>) {
  const byId = new Map(regions.map((r) => [r.id, r]));
  return {
    regions,
    aliases,
    get(id: RegionId): R {
      const r = byId.get(id);
      if (!r) throw new Error(`unknown region ${id}`);
      return r;
    },
    resolveLocation(location: string): R | undefined {
      const id = aliases[location.toUpperCase()];
      return id ? byId.get(id) : undefined;
    },
  };
}

function parseRegionIds(env: Env): { ids: RegionId[]; aliases: Record<string, RegionId> } {
  const { REGIONS, REGION_ALIASES } = parseEnv(
    Type.Object({
      REGIONS: Type.String({ pattern: '^[A-Z]{2,8}(,[A-Z]{2,8})*$', default: 'EU,US' }),
      REGION_ALIASES: Type.String({
        pattern: '^([A-Z]{2,8}:[A-Z]{2,8}(,[A-Z]{2,8}:[A-Z]{2,8})*)?$',
        default: 'DE:EU',
      }),
    }),
    env,
  );
  const ids = [...new Set(REGIONS.split(','))];
  const aliases: Record<string, RegionId> = Object.fromEntries(ids.map((id) => [id, id]));
  for (const pair of REGION_ALIASES ? REGION_ALIASES.split(',') : []) {
    const [from, to] = pair.split(':') as [string, string];
    if (!ids.includes(to)) {
      throw new ConfigError([
        { variable: 'REGION_ALIASES', problem: `${from} maps to unknown region ${to}` },
      ]);
    }
    aliases[from] = to;
  }
  return { ids, aliases };
}
