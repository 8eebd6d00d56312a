import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessorBuilder, ValidationTypes } from '@forge/manifest';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestPaths, readManifestEnv, renderForgeManifest } from '../scripts/manifest-file.js';
import { FORGE_LIFECYCLE_EVENT_TYPES, FORGE_PATHS } from '../src/forge/manifest.js';

const env = readManifestEnv(readFileSync(manifestPaths.env, 'utf8'));
const committed = readFileSync(manifestPaths.manifest, 'utf8');

/**
 * Atlassian's own validator (the full validation `forge deploy` and `forge lint` run), offline.
 * Built once: it compiles Forge's manifest schema in its constructor, which is the slow part.
 */
const forgeValidator = ProcessorBuilder.instance().withValidation(ValidationTypes.FULL).build();
async function validateWithForge(text: string) {
  const file = join(tmpdir(), `rt-forge-manifest-${process.pid}-${Math.random()}.yml`);
  writeFileSync(file, text);
  const result = await forgeValidator.process(file);
  return (result.errors ?? []).filter((e) => e.level === 'error').map((e) => e.message);
}

describe('forge/manifest.yml', () => {
  it('is what npm run forge:manifest generates from forge/manifest.env', () => {
    expect(committed).toBe(renderForgeManifest(env));
  });

  it("passes Atlassian's manifest validator (@forge/manifest, full validation)", async () => {
    expect(await validateWithForge(committed)).toEqual([]);
  });

  it('the validator is not a rubber stamp: a realm Forge does not know is refused', async () => {
    const broken = renderForgeManifest({
      ...env,
      REGIONS: 'EU,US,XX',
      REGION_XX_BASE_URL: 'https://xx.example.com',
    });
    expect((await validateWithForge(broken)).length).toBeGreaterThan(0);
  });

  it('declares one remote pinned per realm, residency hooks, life-cycle trigger and the Connect modules', () => {
    const m = parse(committed);
    expect(m.app.id).toBe(env.FORGE_APP_ID);
    expect(m.app.connect).toEqual({ key: env.APP_KEY, remote: 'refined-toolkit', authentication: 'jwt' });
    expect(m.remotes).toHaveLength(1);
    const [remote] = m.remotes;
    expect(remote.baseUrl).toEqual({
      default: env.APP_BASE_URL,
      EU: env.REGION_EU_BASE_URL,
      DE: env.REGION_EU_BASE_URL,
      US: env.REGION_US_BASE_URL,
    });
    expect(remote.operations).toEqual(['storage', 'compute']);
    expect(remote.storage).toEqual({ inScopeEUD: true });
    expect(m.modules['migration:dataResidency']).toEqual([
      {
        key: 'data-residency',
        remote: remote.key,
        path: FORGE_PATHS.residency,
        maxMigrationDurationHours: Number(env.MAX_MIGRATION_DURATION_HOURS),
      },
    ]);
    const [trigger] = m.modules.trigger;
    expect(trigger.events).toEqual([
      FORGE_LIFECYCLE_EVENT_TYPES.installed,
      FORGE_LIFECYCLE_EVENT_TYPES.upgraded,
      FORGE_LIFECYCLE_EVENT_TYPES.uninstalled,
    ]);
    const endpoint = m.modules.endpoint.find((e: { key: string }) => e.key === trigger.endpoint);
    expect(endpoint).toMatchObject({ remote: remote.key, route: { path: FORGE_PATHS.lifecycle } });
    expect(Object.keys(m.connectModules).sort()).toEqual([
      'confluence:adminPages',
      'confluence:generalPages',
      'confluence:lifecycle',
      'confluence:spaceToolsTabs',
    ]);
  });

  it('adding a region is a configuration entry; the migration limit comes from configuration', async () => {
    const text = renderForgeManifest({
      ...env,
      REGIONS: 'EU,US,AU',
      REGION_AU_BASE_URL: 'https://au.refined-toolkit.example.com',
      MAX_MIGRATION_DURATION_HOURS: '6',
    });
    const m = parse(text);
    expect(m.remotes[0].baseUrl.AU).toBe('https://au.refined-toolkit.example.com');
    expect(m.modules['migration:dataResidency'][0].maxMigrationDurationHours).toBe(6);
    expect(await validateWithForge(text)).toEqual([]);
  });

  it('names the variable when the configuration is incomplete', () => {
    expect(() => renderForgeManifest({ ...env, FORGE_APP_ID: 'not-an-ari' })).toThrow(/FORGE_APP_ID/);
    expect(() => renderForgeManifest({ ...env, REGION_US_BASE_URL: '' })).toThrow(/REGION_US_BASE_URL/);
  });
});
