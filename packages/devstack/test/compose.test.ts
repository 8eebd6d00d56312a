import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { productionSecretIssues } from '@rt/config';
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

/** The secrets `.env.example` asks for, generated the way it tells operators to. */
const SECRETS = [
  'POSTGRES_PASSWORD',
  'S3_SECRET_KEY',
  'INTERNAL_TOKEN_SECRET',
  'ENCRYPTION_KEY',
  'REGION_EXPORT_SECRET',
];

/** An env file as an operator writes it: `.env.example` with every secret generated. */
function generatedEnvFile(): string {
  const generated: Record<string, string> = {
    POSTGRES_PASSWORD: randomBytes(32).toString('hex'),
    S3_SECRET_KEY: randomBytes(32).toString('base64'),
    INTERNAL_TOKEN_SECRET: randomBytes(32).toString('base64'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    REGION_EXPORT_SECRET: randomBytes(32).toString('hex'),
  };
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const file = join(mkdtempSync(join(tmpdir(), 'rt-compose-')), 'generated.env');
  writeFileSync(
    file,
    example.replace(/^([A-Z0-9_]+)=$/gm, (line, name: string) =>
      generated[name] ? `${name}=${generated[name]}` : line,
    ),
  );
  return file;
}

describe('docker-compose.yml', () => {
  const envFile = generatedEnvFile();
  const resolved = parse(compose(['--env-file', envFile, 'config'])) as {
    services: Record<string, ComposeService>;
  };
  const services = resolved.services;

  it('is valid (docker-compose config -q)', () => {
    expect(() => compose(['--env-file', envFile, 'config', '-q'])).not.toThrow();
  });

  it('.env.example commits no secret: each is empty, and compose demands it', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    for (const name of SECRETS) expect(example, name).toMatch(new RegExp(`^${name}=$`, 'm'));
    let message = '';
    try {
      compose(['--env-file', '.env.example', 'config', '-q']);
    } catch (err) {
      message = `${(err as { stderr?: string }).stderr ?? ''}`;
    }
    expect(message).toMatch(/set [A-Z_]+ in \.env, see \.env\.example/);
  });

  it('runs every service as production with secrets production accepts, and no local operator key', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (!svc.build?.args?.SERVICE || name === 'migrate') continue;
      const env = svc.environment ?? {};
      expect(env.NODE_ENV, name).toBe('production');
      expect(env.OPERATOR_TOKEN_SECRET, name).toBeUndefined();
      expect(productionSecretIssues(env), name).toEqual([]);
    }
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
