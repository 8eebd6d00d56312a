import { ConfigError } from '@rt/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const env = {
  REGION: 'EU',
  REGIONS: 'EU,US',
  DIRECTORY_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/rt_directory',
  REGION_EU_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/rt_eu',
  REGION_EU_REDIS_URL: 'redis://127.0.0.1:6379/1',
  REGION_EU_S3_BUCKET: 'rt-assets-eu',
  REGION_EU_BASE_URL: 'https://eu.example.test',
  REGION_US_S3_BUCKET: 'rt-assets-us',
  REGION_US_BASE_URL: 'https://us.example.test/',
};

const variablesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => i.variable);
    throw err;
  }
  return [];
};

describe('worker configuration of cross-region migrations', () => {
  it("needs no other region's database; the other region's export defaults to its base URL", () => {
    const c = loadConfig({ ...env, REGION_EXPORT_SECRET: 'k'.repeat(40) });
    expect(c.regions.get('US')?.databaseUrl).toBeUndefined();
    expect(c.migration).toEqual({
      exportSecret: 'k'.repeat(40),
      exportUrls: { US: 'https://us.example.test' },
    });
  });

  it('takes REGION_<R>_EXPORT_URL, and names a bad one or a short key', () => {
    expect(
      loadConfig({ ...env, REGION_US_EXPORT_URL: 'http://us-worker:8080/' }).migration.exportUrls,
    ).toEqual({ US: 'http://us-worker:8080' });
    expect(variablesOf(() => loadConfig({ ...env, REGION_US_EXPORT_URL: 'us-worker' }))).toEqual([
      'REGION_US_EXPORT_URL',
    ]);
    expect(variablesOf(() => loadConfig({ ...env, REGION_EXPORT_SECRET: 'short' }))).toEqual([
      'REGION_EXPORT_SECRET',
    ]);
  });
});
