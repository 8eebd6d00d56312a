import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseCommonConfig, productionSecretIssues } from '../src/index.js';

/** What `openssl rand -base64 32` prints, as the docs tell operators to generate secrets. */
const generated = () => randomBytes(32).toString('base64');

const base = {
  REGION: 'EU',
  DIRECTORY_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/rt_directory',
  REGION_EU_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/rt_eu',
  REGION_EU_REDIS_URL: 'redis://127.0.0.1:6379/1',
  REGION_EU_S3_BUCKET: 'rt-assets-eu',
  REGION_EU_BASE_URL: 'https://eu.example.com/',
  REGION_US_S3_BUCKET: 'rt-assets-us',
  REGION_US_BASE_URL: 'https://us.example.com',
};
const strong = () => ({
  INTERNAL_TOKEN_SECRET: generated(),
  ENCRYPTION_KEY: generated(),
  OPERATOR_TOKEN_SECRET: generated(),
});
/** The values `.env.example` used to ship (and `docker compose` ran with). */
const formerExample = {
  INTERNAL_TOKEN_SECRET: 'change-me-to-at-least-32-random-characters',
  OPERATOR_TOKEN_SECRET: 'change-me-to-at-least-32-random-characters',
  ENCRYPTION_KEY: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  AWS_SECRET_ACCESS_KEY: 'change-me-s3-secret',
  DIRECTORY_DATABASE_URL: 'postgresql://postgres:change-me-postgres@postgres-directory:5432/rt_directory',
};

const problems = (env: Record<string, string>) =>
  Object.fromEntries(productionSecretIssues(env).map((i) => [i.variable, i.problem]));

describe('production secrets', () => {
  it('accepts generated, distinct secrets (base64 or hex) and infrastructure credentials', () => {
    expect(problems(strong())).toEqual({});
    expect(problems({ INTERNAL_TOKEN_SECRET: randomBytes(32).toString('hex') })).toEqual({});
    const password = encodeURIComponent(generated());
    expect(
      problems({
        ...strong(),
        // One Postgres password in several URLs is one credential, not a shared key.
        DIRECTORY_DATABASE_URL: `postgresql://postgres:${password}@db:5432/rt_directory`,
        REGION_EU_DATABASE_URL: `postgresql://postgres:${password}@db:5432/rt_eu`,
      }),
    ).toEqual({});
    const c = parseCommonConfig({ ...base, ...strong(), NODE_ENV: 'production' });
    expect(c.env).toBe('production');
  });

  it('refuses the placeholders of the former .env.example, naming each variable', () => {
    const found = problems(formerExample);
    expect(Object.keys(found).sort()).toEqual([
      'AWS_SECRET_ACCESS_KEY',
      'DIRECTORY_DATABASE_URL (password)',
      'ENCRYPTION_KEY',
      'INTERNAL_TOKEN_SECRET',
      'OPERATOR_TOKEN_SECRET',
    ]);
    // Messages name the variable and how to fix it, never the value.
    for (const problem of Object.values(found)) expect(problem).not.toContain('change-me');
  });

  it.each([
    ['all-zero key', 'ENCRYPTION_KEY', Buffer.alloc(32).toString('base64')],
    ['constant key', 'ENCRYPTION_KEY', Buffer.alloc(32, 7).toString('base64')],
    ['low-entropy key', 'ENCRYPTION_KEY', Buffer.from('0123012301230123012301230123012a').toString('base64')],
    ['repeated character', 'INTERNAL_TOKEN_SECRET', 'x'.repeat(48)],
    ['repeated pattern', 'INTERNAL_TOKEN_SECRET', 'Kq7!'.repeat(12)],
    ['repeated random half', 'INTERNAL_TOKEN_SECRET', generated().slice(0, 22).repeat(2)],
    ['few distinct characters', 'INTERNAL_TOKEN_SECRET', '0110100110010110011010011001011010010110'],
    ['digits in order', 'OPERATOR_TOKEN_SECRET', '12345678901234567890123456789012'],
    ['changeme', 'INTERNAL_TOKEN_SECRET', 'ChangeMe_please_0f3a9c1e7b2d4a6f8e0c'],
    ['a word for what it is', 'OPERATOR_TOKEN_SECRET', 'my-super-secret-operator-key-2024!'],
  ])('refuses a %s', (_name, variable, value) => {
    expect(Object.keys(problems({ ...strong(), [variable]: value }))).toEqual([variable]);
  });

  it('refuses one value shared by two distinct secrets', () => {
    const shared = generated();
    expect(
      problems({ INTERNAL_TOKEN_SECRET: shared, OPERATOR_TOKEN_SECRET: shared, ENCRYPTION_KEY: generated() }),
    ).toEqual({ OPERATOR_TOKEN_SECRET: expect.stringContaining('same value as INTERNAL_TOKEN_SECRET') });
    const password = generated();
    expect(
      problems({
        ...strong(),
        INTERNAL_TOKEN_SECRET: password,
        REGION_EU_DATABASE_PASSWORD: password,
      }),
    ).toEqual({
      REGION_EU_DATABASE_PASSWORD: expect.stringContaining('same value as INTERNAL_TOKEN_SECRET'),
    });
  });

  it('checks nothing outside production: the local stack and tests use simple keys', () => {
    const env = { ...base, ...formerExample, NODE_ENV: 'development' };
    expect(parseCommonConfig(env).internalTokenSecret).toBe(formerExample.INTERNAL_TOKEN_SECRET);
    expect(() => parseCommonConfig({ ...env, NODE_ENV: 'production' })).toThrow(ConfigError);
  });

  it('a production process exits with status 78 naming the variable, before any I/O', () => {
    const script =
      "import { loadConfigOrExit, parseCommonConfig } from './src/index.ts'; loadConfigOrExit(parseCommonConfig); process.stdout.write('started');";
    const refused = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { PATH: process.env.PATH ?? '', ...base, ...formerExample, NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('INTERNAL_TOKEN_SECRET: is a placeholder');
    expect(refused.stderr).toContain('ENCRYPTION_KEY: is a placeholder');
    expect(refused.status).toBe(78);
  });
});
