import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  migrationLimits,
  parseCommonConfig,
  parseRegions,
  withAssembledUrls,
} from '../src/index.js';

const base = {
  REGION: 'EU',
  INTERNAL_TOKEN_SECRET: 'x'.repeat(40),
  DIRECTORY_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/rt_directory',
  REGION_EU_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/rt_eu',
  REGION_EU_REDIS_URL: 'redis://127.0.0.1:6379/1',
  REGION_EU_S3_BUCKET: 'rt-assets-eu',
  REGION_EU_BASE_URL: 'https://eu.example.com/',
  REGION_US_S3_BUCKET: 'rt-assets-us',
  REGION_US_BASE_URL: 'https://us.example.com',
};

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => i.variable);
    throw err;
  }
  return [];
};

describe('configuration', () => {
  it('parses the common variables with defaults and per-region settings', () => {
    const c = parseCommonConfig(base);
    expect(c.region).toMatchObject({
      id: 'EU',
      awsRegion: 'eu-central-1',
      bucket: 'rt-assets-eu',
      baseUrl: 'https://eu.example.com',
    });
    expect(c.regions.get('US')).toMatchObject({ awsRegion: 'us-east-1', databaseUrl: undefined });
    expect(c.port).toBe(0);
    expect(c.logLevel).toBe('info');
    expect(c.directoryReadDatabaseUrl).toBe(base.DIRECTORY_DATABASE_URL);
  });

  it('maps Atlassian realms onto configured regions (DE → EU)', () => {
    const t = parseRegions(base);
    expect(t.resolveLocation('DE')?.id).toBe('EU');
    expect(t.resolveLocation('us')?.id).toBe('US');
    expect(t.resolveLocation('JP')).toBeUndefined();
    expect(issuesOf(() => parseRegions({ ...base, REGION_ALIASES: 'DE:XX' }))).toEqual(['REGION_ALIASES']);
  });

  it('names every missing or invalid variable', () => {
    const { INTERNAL_TOKEN_SECRET: _s, ...partial } = base;
    expect(issuesOf(() => parseCommonConfig({ ...partial, PORT: 'eighty' }))).toEqual(['PORT']);
    expect(issuesOf(() => parseCommonConfig(partial))).toEqual(['INTERNAL_TOKEN_SECRET']);
    expect(parseCommonConfig(partial, { internalToken: false }).internalTokenSecret).toBe('');
    expect(issuesOf(() => parseCommonConfig({ ...base, REGION_EU_REDIS_URL: undefined }))).toEqual([
      'REGION_EU_REDIS_URL',
    ]);
    // A service that does not use Redis (least privilege: not injected) does not require it.
    const noRedis = parseCommonConfig({ ...base, REGION_EU_REDIS_URL: undefined }, { redis: false });
    expect(noRedis.region.redisUrl).toBe('');
    expect(issuesOf(() => parseCommonConfig({ ...base, REGION: 'JP' }))).toEqual(['REGION']);
    expect(issuesOf(() => parseCommonConfig({ ...base, REGION_US_S3_BUCKET: undefined }))).toEqual([
      'REGION_US_S3_BUCKET',
    ]);
  });

  it('a third region is one more entry of configuration', () => {
    const ap = {
      REGIONS: 'EU,US,AP',
      REGION_AP_S3_BUCKET: 'rt-assets-ap',
      REGION_AP_BASE_URL: 'https://ap.example.com',
    };
    const c = parseRegions({ ...base, ...ap, REGION_AP_AWS_REGION: 'ap-southeast-2' });
    expect(c.regions.map((r) => r.id)).toEqual(['EU', 'US', 'AP']);
    expect(issuesOf(() => parseRegions({ ...base, ...ap }))).toEqual(['REGION_AP_AWS_REGION']);
  });

  it('assembles connection URLs from the parts a deployment injects as secrets', () => {
    const env = withAssembledUrls({
      REGION_EU_DATABASE_HOST: 'db.internal',
      REGION_EU_DATABASE_NAME: 'rt',
      REGION_EU_DATABASE_USER: 'app',
      REGION_EU_DATABASE_PASSWORD: 'p@ss/word',
      REGION_EU_REDIS_HOST: 'cache.internal',
      REGION_EU_REDIS_AUTH_TOKEN: 'tok',
      REGION_EU_REDIS_TLS: 'true',
    });
    expect(env.REGION_EU_DATABASE_URL).toBe(
      'postgresql://app:p%40ss%2Fword@db.internal:5432/rt?sslmode=require',
    );
    expect(env.REGION_EU_REDIS_URL).toBe('rediss://:tok@cache.internal:6379');
  });
});

describe('migration limits (one owner for hooks, ops API, descriptor and manifest)', () => {
  it('defaults to 1.5 hours, so the app moves together with Confluence', () => {
    expect(migrationLimits({})).toEqual({ enabled: true, maxConcurrent: 5, maxDurationHours: 1.5 });
  });

  it('accepts 0.5 to 24 hours in half-hour steps', () => {
    for (const v of ['0.5', '1', '1.5', '6', '23.5', '24']) {
      expect(migrationLimits({ MAX_MIGRATION_DURATION_HOURS: v }).maxDurationHours).toBe(Number(v));
    }
  });

  it('refuses anything else, naming the variable', () => {
    for (const v of ['0', '0.25', '1.2', '24.5', '72', 'two']) {
      expect(issuesOf(() => migrationLimits({ MAX_MIGRATION_DURATION_HOURS: v }))).toEqual([
        'MAX_MIGRATION_DURATION_HOURS',
      ]);
    }
  });
});
