import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../config/deployment.js';
import { services } from '../config/services.js';
import { buildStacks } from '../lib/app.js';
import { testContext } from './synth.js';

/**
 * Synthesises the app the way `cdk synth` does (Dockerfile images, an explicit account) against a
 * tiny stand-in repository, so the Docker build context that gets staged is a few bytes.
 */
describe('full synthesis with Dockerfile assets and an account id', () => {
  let repoRoot: string;
  let outdir: string;
  let manifest: { missing?: unknown[] };
  let assets: { dockerImages: Record<string, { source: { directory: string; dockerFile: string } }> };

  beforeAll(() => {
    repoRoot = mkdtempSync(join(tmpdir(), 'rt-repo-'));
    outdir = mkdtempSync(join(tmpdir(), 'rt-cdk-out-'));
    for (const spec of services) {
      mkdirSync(join(repoRoot, 'services', spec.name), { recursive: true });
      writeFileSync(join(repoRoot, spec.dockerfile), 'FROM node:20-alpine\n');
    }
    writeFileSync(join(repoRoot, 'package.json'), '{}\n');
    mkdirSync(join(repoRoot, 'node_modules', 'huge'), { recursive: true });
    writeFileSync(join(repoRoot, 'node_modules', 'huge', 'index.js'), '// must not be staged\n');
    mkdirSync(join(repoRoot, 'infra', 'cdk.out'), { recursive: true });
    writeFileSync(join(repoRoot, 'infra', 'cdk.out', 'old.json'), '{}\n');

    const app = new App({
      outdir,
      context: { ...testContext, 'rt:imageSource': 'asset', 'rt:account': '123456789012' },
    });
    const config = loadDeploymentConfig(app.node);
    buildStacks(app, config, { repoRoot });
    const assembly = app.synth();
    manifest = assembly.manifest as { missing?: unknown[] };
    assets = JSON.parse(readFileSync(join(outdir, 'rt-region-eu.assets.json'), 'utf8'));
  });

  afterAll(() => {
    rmSync(repoRoot, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
  });

  it('needs no AWS lookups, even with an explicit account', () => {
    expect(JSON.stringify(manifest.missing ?? [])).toBe('[]');
  });

  it('builds each service image from its Dockerfile with the repository root as context', () => {
    const images = Object.values(assets.dockerImages);
    expect(images.map((i) => i.source.dockerFile).sort()).toEqual(services.map((s) => s.dockerfile).sort());
    for (const image of images) {
      const staged = join(outdir, image.source.directory);
      expect(existsSync(join(staged, image.source.dockerFile))).toBe(true);
      expect(existsSync(join(staged, 'package.json'))).toBe(true);
      expect(existsSync(join(staged, 'node_modules'))).toBe(false);
      expect(existsSync(join(staged, 'infra', 'cdk.out'))).toBe(false);
    }
  });
});
