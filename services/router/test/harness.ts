import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createInternalTokenVerifier, type InternalClaims } from '@rt/auth';
import { createDirectoryClient, createPgPool, type DirectoryDb, type PgPool } from '@rt/db';
import { createRedis, type Redis } from '@rt/queue';
import {
  createTestDatabase,
  FAKE_FORGE_ENVIRONMENT,
  FakeForge,
  FakeInstallKeys,
  redisTestPrefix,
  testRedisUrl,
} from '@rt/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { MemoryAccessLog } from '../src/access-log/access-log.js';
import { type AppDeps, buildApp, type RouterServiceApp } from '../src/app.js';
import { loadConfig, type RouterConfig } from '../src/config.js';

export const INTERNAL_SECRET = 'i'.repeat(40);
export const FORGE_APP_ID = 'ari:cloud:ecosystem::app/00000000-test';

/** A regional service stand-in: counts calls and echoes the verified internal token's claims. */
export interface UpstreamStub {
  url: string;
  calls: Array<{
    method: string;
    url: string;
    claims: InternalClaims;
    headers: Record<string, unknown>;
    bytes: number;
  }>;
  close(): Promise<void>;
}

export async function startUpstream(name: string): Promise<UpstreamStub> {
  const verify = createInternalTokenVerifier(INTERNAL_SECRET, {
    purpose: 'service',
    kinds: ['api', 'atlassian-callback', 'forge-callback'],
  });
  const app: FastifyInstance = Fastify();
  const calls: UpstreamStub['calls'] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 100 * 1024 * 1024 }, (_r, body, done) =>
    done(null, body),
  );
  app.all('/*', async (request, reply) => {
    const auth = request.headers.authorization ?? '';
    const claims = verify(auth.replace(/^Bearer /, ''));
    const bytes = Buffer.isBuffer(request.body) ? request.body.length : 0;
    calls.push({ method: request.method, url: request.url, claims, headers: request.headers, bytes });
    return reply.send({ service: name, claims, url: request.url, bytes });
  });
  app.get('/readyz', async () => ({ status: 'ready' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    calls,
    close: () => app.close(),
  };
}

/** Shared fixtures of one test file: directory DB, Redis, fake Atlassian, one upstream stub. */
export interface Fixture {
  dbUrl: string;
  db: DirectoryDb;
  pool: PgPool;
  redis: Redis;
  prefix: string;
  keys: FakeInstallKeys;
  forge: FakeForge;
  kid: string;
  upstream: UpstreamStub;
  close(): Promise<void>;
}

export async function createFixture(label: string): Promise<Fixture> {
  const database = await createTestDatabase('directory', label);
  const db = createDirectoryClient({ url: database.url, poolSize: 2 });
  const pool = createPgPool({ url: database.url, poolSize: 4 });
  const redis = createRedis(testRedisUrl());
  const keys = await new FakeInstallKeys().start();
  const kid = await keys.addKey();
  const forge = await new FakeForge().start();
  const upstream = await startUpstream('stub');
  return {
    dbUrl: database.url,
    db,
    pool,
    redis,
    prefix: `${redisTestPrefix(label)}:`,
    keys,
    forge,
    kid,
    upstream,
    async close() {
      await upstream.close();
      await keys.close();
      await forge.close();
      await db.$disconnect();
      await pool.end();
      redis.disconnect();
      await database.drop();
    },
  };
}

/** Router config for region `region` of a two-region (EU, US) setup. */
export function routerConfig(
  fx: Fixture,
  region: 'EU' | 'US',
  overrides: Record<string, string> = {},
  services?: Partial<Record<'LAYOUT_URL' | 'THEME_URL' | 'ASSET_URL' | 'MIGRATION_URL', string>>,
): RouterConfig {
  const env: Record<string, string> = {
    REGION: region,
    REGIONS: 'EU,US',
    REGION_ALIASES: 'DE:EU',
    INTERNAL_TOKEN_SECRET: INTERNAL_SECRET,
    DIRECTORY_DATABASE_URL: fx.dbUrl,
    APP_BASE_URL: 'https://app.example.test',
    CONNECT_INSTALL_KEYS_URL: fx.keys.url,
    FORGE_JWKS_URL: fx.forge.jwksUrl,
    FORGE_APP_ID: FORGE_APP_ID,
    FORGE_ENVIRONMENT_TYPE: FAKE_FORGE_ENVIRONMENT.type,
    FORGE_ENVIRONMENT_ID: FAKE_FORGE_ENVIRONMENT.id,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LAYOUT_URL: services?.LAYOUT_URL ?? fx.upstream.url,
    THEME_URL: services?.THEME_URL ?? fx.upstream.url,
    ASSET_URL: services?.ASSET_URL ?? fx.upstream.url,
    MIGRATION_URL: services?.MIGRATION_URL ?? fx.upstream.url,
    LOG_LEVEL: 'silent',
    // The corpora refuse hundreds of credentials from one address; the limit has its own test.
    UNAUTHENTICATED_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  };
  for (const r of ['EU', 'US']) {
    env[`REGION_${r}_DATABASE_URL`] = fx.dbUrl;
    env[`REGION_${r}_REDIS_URL`] = testRedisUrl();
    env[`REGION_${r}_S3_BUCKET`] = `rt-assets-${r.toLowerCase()}`;
    env[`REGION_${r}_BASE_URL`] ??=
      overrides[`REGION_${r}_BASE_URL`] ?? `https://${r.toLowerCase()}.app.example.test`;
  }
  return loadConfig(env);
}

/** Builds a router with a memory access log. */
export async function buildRouter(
  fx: Fixture,
  config: RouterConfig,
  extra: Partial<AppDeps> = {},
): Promise<RouterServiceApp & { accessLog: MemoryAccessLog }> {
  const accessLog = new MemoryAccessLog();
  const app = await buildApp({
    config,
    directory: fx.db,
    pool: fx.pool,
    redis: fx.redis,
    redisPrefix: fx.prefix,
    accessLog,
    ...extra,
  });
  return Object.assign(app, { accessLog });
}

/** A lifecycle payload as Atlassian sends it. */
export function lifecyclePayload(
  clientKey: string,
  eventType: string,
  sharedSecret = randomBytes(24).toString('hex'),
) {
  return {
    key: 'com.refined.toolkit',
    clientKey,
    sharedSecret,
    baseUrl: `https://${clientKey}.atlassian.net/wiki`,
    displayUrl: `https://${clientKey}.atlassian.net/wiki`,
    productType: 'confluence',
    description: 'Atlassian Confluence',
    serverVersion: '6452',
    pluginsVersion: '1001.0.0',
    eventType,
    installationId: `ari:cloud:ecosystem::installation/${clientKey}`,
  };
}

/** Posts a signed lifecycle callback to a router. */
export async function postLifecycle(
  app: RouterServiceApp,
  fx: Fixture,
  event: 'installed' | 'uninstalled' | 'enabled' | 'disabled',
  payload: ReturnType<typeof lifecyclePayload>,
  audience = 'https://app.example.test',
) {
  const url = `/lifecycle/${event}`;
  const token = await fx.keys.mintInstallToken({
    kid: fx.kid,
    clientKey: payload.clientKey,
    audience,
    method: 'POST',
    url,
  });
  return app.inject({
    method: 'POST',
    url,
    headers: { authorization: `JWT ${token}` },
    payload: { ...payload, eventType: event },
  });
}
