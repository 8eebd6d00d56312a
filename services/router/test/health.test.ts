import { randomBytes } from 'node:crypto';
import { ConfigError } from '@rt/config';
import { createDirectoryClient, createPgPool, type DirectoryDb, type PgPool } from '@rt/db';
import { createRedis, type Redis } from '@rt/queue';
import { createTestDatabase, type TestDatabase, testRedisUrl } from '@rt/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

let database: TestDatabase;
let directory: DirectoryDb;
let redis: Redis;
let pool: PgPool;
let upstream: FastifyInstance;
let upstreamUrl: string;
let upstreamReady = true;

beforeAll(async () => {
  database = await createTestDatabase('directory', 'router-health');
  directory = createDirectoryClient({ url: database.url, poolSize: 2 });
  pool = createPgPool({ url: database.url, poolSize: 2 });
  redis = createRedis(testRedisUrl());
  upstream = Fastify();
  upstream.get('/readyz', async (_req, reply) => reply.status(upstreamReady ? 200 : 503).send({}));
  upstreamUrl = await upstream.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await upstream?.close();
  await directory?.$disconnect();
  await pool?.end();
  redis?.disconnect();
  await database?.drop();
});

const config = (overrides: Record<string, string> = {}) =>
  loadConfig({
    REGION: 'EU',
    INTERNAL_TOKEN_SECRET: 'x'.repeat(40),
    DIRECTORY_DATABASE_URL: database.url,
    REGION_EU_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/unused',
    REGION_EU_REDIS_URL: testRedisUrl(),
    REGION_EU_S3_BUCKET: 'rt-assets-eu',
    REGION_EU_BASE_URL: 'http://127.0.0.1:8080',
    REGION_US_S3_BUCKET: 'rt-assets-us',
    REGION_US_BASE_URL: 'http://127.0.0.1:8090',
    APP_BASE_URL: 'http://127.0.0.1:8080',
    ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    LAYOUT_URL: upstreamUrl,
    THEME_URL: upstreamUrl,
    ASSET_URL: upstreamUrl,
    MIGRATION_URL: upstreamUrl,
    LOG_LEVEL: 'silent',
    ...overrides,
  });

describe('router configuration', () => {
  it('takes the encryption key padded (openssl) or as Secrets Manager generates it (43 characters)', () => {
    const padded = randomBytes(32).toString('base64');
    expect(config({ ENCRYPTION_KEY: padded }).encryptionKey).toBe(padded);
    const generated = padded.slice(0, 43).replace(/[+/]/g, 'A');
    expect(Buffer.from(config({ ENCRYPTION_KEY: generated }).encryptionKey, 'base64')).toHaveLength(32);
    expect(() => config({ ENCRYPTION_KEY: padded.slice(0, 40) })).toThrow(ConfigError);
  });
});

describe('router health', () => {
  it('is alive, and ready only while the directory, Redis and its services are', async () => {
    const app = await buildApp({ config: config(), directory, pool, redis });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    upstreamReady = false;
    const notReady = await app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks.layout.status).toBe('fail');
    upstreamReady = true;
    await app.close();
  });
});
