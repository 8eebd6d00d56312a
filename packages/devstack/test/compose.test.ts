import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const compose = (args: string[], env: Record<string, string> = {}) =>
  execFileSync('docker-compose', ['-f', 'docker-compose.yml', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

interface ComposeService {
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  image?: string;
  command?: string[] | string;
  healthcheck?: unknown;
  environment?: Record<string, string>;
}

describe('docker-compose.yml', () => {
  const resolved = parse(compose(['--env-file', '.env.example', 'config'])) as {
    services: Record<string, ComposeService>;
  };
  const services = resolved.services;

  it('is valid (docker-compose config -q)', () => {
    expect(() => compose(['--env-file', '.env.example', 'config', '-q'])).not.toThrow();
  });

  it('refuses to start without secrets (none are committed)', () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'rt-compose-')), 'empty.env');
    writeFileSync(empty, '');
    let message = '';
    try {
      compose(['--env-file', empty, 'config', '-q']);
    } catch (err) {
      message = `${(err as { stderr?: string }).stderr ?? ''}`;
    }
    expect(message).toMatch(/set (POSTGRES_PASSWORD|INTERNAL_TOKEN_SECRET|S3_ACCESS_KEY|ENCRYPTION_KEY)/);
  });

  it('runs both regions: every service built from a Dockerfile in the repo, with a healthcheck', () => {
    for (const region of ['eu', 'us']) {
      for (const name of ['router', 'layout', 'theme', 'asset', 'residency-migration', 'worker']) {
        const svc = services[`${region}-${name}`];
        expect(svc, `${region}-${name}`).toBeDefined();
        expect(svc!.build?.dockerfile).toBe('services/Dockerfile');
        expect(svc!.build?.args?.SERVICE).toBe(name);
        expect(existsSync(`${root}services/${name}/src/server.ts`)).toBe(true);
        expect(svc!.environment?.REGION).toBe(region.toUpperCase());
      }
    }
    for (const infra of ['postgres-directory', 'postgres-eu', 'postgres-us', 'redis-eu', 'redis-us', 's3']) {
      expect(services[infra]?.healthcheck, infra).toBeDefined();
    }
  });

  it('keeps queues safe: every Redis runs with maxmemory-policy noeviction', () => {
    for (const name of ['redis-eu', 'redis-us']) {
      const cmd = services[name]!.command as string[];
      expect(cmd.join(' ')).toContain('--maxmemory-policy noeviction');
    }
  });

  it('gives each region its own database, Redis and bucket', () => {
    const eu = services['eu-layout']!.environment!;
    expect(eu.REGION_EU_DATABASE_URL).toContain('@postgres-eu:5432/rt_eu');
    expect(eu.REGION_US_DATABASE_URL).toContain('@postgres-us:5432/rt_us');
    expect(eu.REGION_EU_REDIS_URL).toBe('redis://redis-eu:6379');
    expect(eu.REGION_EU_S3_BUCKET).not.toBe(eu.REGION_US_S3_BUCKET);
  });

  it("gives a worker no other region's database: migrations cross over HTTP and S3", () => {
    const eu = services['eu-worker']!.environment!;
    const us = services['us-worker']!.environment!;
    expect(eu.REGION_EU_DATABASE_URL).toContain('@postgres-eu:5432/rt_eu');
    expect(eu.REGION_US_DATABASE_URL ?? '').toBe('');
    expect(us.REGION_EU_DATABASE_URL ?? '').toBe('');
    expect(eu.REGION_US_EXPORT_URL).toBe('http://us-worker:8080');
    expect(us.REGION_EU_EXPORT_URL).toBe('http://eu-worker:8080');
    expect(eu.REGION_EXPORT_SECRET).toBe(us.REGION_EXPORT_SECRET);
  });
});
