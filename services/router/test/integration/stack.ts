import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { deflateSync } from 'node:zlib';
import { buildApp as buildAssetApp } from '@rt/asset/app';
import type { RegionTable } from '@rt/config';
import {
  assertAllowedBaseUrl,
  authorizeThroughRouter,
  createPermissionChecker,
  parseConfluenceConfig,
} from '@rt/confluence';
import { FakeConfluence } from '@rt/confluence/fake';
import { createRefinedToolkitClient, type RefinedToolkitClient, type RetryPolicy } from '@rt/contracts';
import {
  createDirectoryClient,
  createPgPool,
  createRegionalClient,
  type DirectoryDb,
  type PgPool,
  type RegionalDb,
} from '@rt/db';
import { publishTenantChanged } from '@rt/directory';
import type { ServiceApp } from '@rt/http';
import { buildApp as buildLayoutApp } from '@rt/layout/app';
import {
  LOCAL_OPERATOR_AUDIENCE,
  LOCAL_OPERATOR_ISSUER,
  mintOperatorToken,
  type OperatorRole,
} from '@rt/ops';
import { createRedis, JobProducer, type Redis } from '@rt/queue';
import { MigrationCoordinator, MigrationJobs } from '@rt/residency';
import { buildApp as buildMigrationApp } from '@rt/residency-migration/app';
import { createS3Client } from '@rt/storage';
import {
  createTestDatabase,
  FakeInstallKeys,
  mintConnectToken,
  redisTestPrefix,
  startLocalS3,
  testRedisUrl,
} from '@rt/testing';
import { buildApp as buildThemeApp } from '@rt/theme/app';
import { MemoryAccessLog } from '../../src/access-log/access-log.js';
import { buildApp as buildRouterApp, type RouterServiceApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { INTERNAL_SECRET, startUpstream, type UpstreamStub } from '../harness.js';

/**
 * The whole two-region back end in one process, every part on its own loopback port: directory +
 * EU + US databases, one s3rver (a bucket per region), per region the real layout, theme and
 * asset services (writes authorized through that region's router) and the real router; Atlassian
 * is FakeInstallKeys (signed installs) and one FakeConfluence site per tenant.
 */

export type RegionId = 'EU' | 'US';
export const APP_BASE_URL = 'https://app.example.test';
export const APP_KEY = 'com.refined.toolkit';

/** Users of every fake site. */
export const USERS = {
  siteAdmin: 'acc-site-admin',
  spaceAdmin: 'acc-space-admin',
  plain: 'acc-plain',
  /** Never asked before the Confluence-down test (the router caches answers ≤ 60 s). */
  fresh: 'acc-fresh-admin',
} as const;
export const SPACE = 'ENG';

export interface RegionStack {
  id: RegionId;
  routerUrl: string;
  router: RouterServiceApp & { accessLog: MemoryAccessLog };
  services: { layout: ServiceApp; theme: ServiceApp; asset: ServiceApp };
  db: RegionalDb;
  pool: PgPool;
  bucket: string;
}

export interface Tenant {
  clientKey: string;
  sharedSecret: string;
  id: string;
  confluence: FakeConfluence;
  /** Connect context token of `accountId` (what `AP.context.getToken()` returns). */
  token(accountId: string): string;
  /** The typed client of `accountId` against a region's router. */
  client(
    accountId: string,
    region?: RegionId,
    retry?: RetryPolicy & { sleep?: (ms: number) => Promise<void> },
  ): RefinedToolkitClient;
  /** Raw fetch against a region's router as `accountId`. */
  fetch(accountId: string, path: string, init?: RequestInit, region?: RegionId): Promise<Response>;
}

export interface Stack {
  regions: Record<RegionId, RegionStack>;
  directory: DirectoryDb;
  redis: Redis;
  redisPrefix: string;
  keys: FakeInstallKeys;
  kid: string;
  migration: UpstreamStub;
  /** Installs a tenant through `POST /lifecycle/installed` exactly as Atlassian does. */
  install(
    clientKey: string,
    options?: { region?: RegionId; baseUrl?: string; sharedSecret?: string },
  ): Promise<Response>;
  /** Installs and returns a usable tenant with its own fake Confluence site. */
  tenant(clientKey: string, region?: RegionId): Promise<Tenant>;
  /** Tells every router a tenant row changed (as the migration/deletion code does). */
  tenantChanged(tenantId: string): Promise<void>;
  /** An operator token (stacks started with `operations`). */
  operatorToken(role: OperatorRole): Promise<string>;
  close(): Promise<void>;
}

/** What a stack runs beyond the routers and the document services. */
export interface StackOptions {
  /**
   * The real residency-migration service per region (with its coordinator on the directory)
   * instead of the recording stub.
   */
  realMigration?: boolean;
  /** The operator API on every router (local operator key). */
  operations?: boolean;
}

const OPERATOR_SECRET = 'o'.repeat(40);

/** A free loopback port (the routers' URLs must be known before the services are built). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });

async function listen(app: ServiceApp, port = 0): Promise<string> {
  await app.listen({ port, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** Polls until `check` passes (pub/sub delivery is asynchronous). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export async function startStack(label: string, options: StackOptions = {}): Promise<Stack> {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  const directoryDb = await createTestDatabase('directory', `${label}dir`);
  closers.push(() => directoryDb.drop());
  const directory = createDirectoryClient({ url: directoryDb.url, poolSize: 2 });
  const directoryPool = createPgPool({ url: directoryDb.url, poolSize: 4 });
  closers.push(
    () => directory.$disconnect(),
    () => directoryPool.end(),
  );
  const redis = createRedis(testRedisUrl());
  closers.push(() => redis.disconnect());
  const redisPrefix = redisTestPrefix(label);
  const s3 = await startLocalS3({ buckets: ['rt-assets-eu', 'rt-assets-us'] });
  closers.push(() => s3.close());
  const keys = await new FakeInstallKeys().start();
  closers.push(() => keys.close());
  const kid = await keys.addKey();
  const migration = await startUpstream('residency-migration');
  closers.push(() => migration.close());
  const encryptionKey = randomBytes(32).toString('base64');

  const ids: RegionId[] = ['EU', 'US'];
  const ports = { EU: await freePort(), US: await freePort() };
  const routerUrls = { EU: `http://127.0.0.1:${ports.EU}`, US: `http://127.0.0.1:${ports.US}` };
  const regionalDbs = {} as Record<RegionId, { url: string }>;
  for (const id of ids) {
    const db = await createTestDatabase('regional', `${label}${id}`);
    closers.push(() => db.drop());
    regionalDbs[id] = db;
  }

  // One coordinator on the directory, as every region's migration service and ops API use it.
  let regionTable: RegionTable | undefined;
  const needsCoordinator = options.realMigration || options.operations;
  const jobs = needsCoordinator ? new MigrationJobs({ connection: redis, prefix: redisPrefix }) : undefined;
  const deletions = options.operations
    ? new JobProducer('deletion', { connection: redis, prefix: redisPrefix })
    : undefined;
  if (jobs) closers.push(() => jobs.close());
  if (deletions) closers.push(() => deletions.close());
  const coordinator = jobs
    ? new MigrationCoordinator({
        directory,
        resolveLocation: (location) => regionTable?.resolveLocation(location),
        jobs,
        publishTenantChanged: async (tenantId) => {
          await publishTenantChanged(redis, tenantId, redisPrefix);
        },
        limits: { enabled: true, maxConcurrent: 3, maxDurationHours: 2 },
      })
    : undefined;

  const confluence = parseConfluenceConfig({ CONFLUENCE_ALLOWED_HOSTS: '127.0.0.1' });
  const regions = {} as Record<RegionId, RegionStack>;
  for (const id of ids) {
    const connection = { url: regionalDbs[id].url, poolSize: 4 };
    const db = createRegionalClient(connection);
    const pool = createPgPool(connection);
    closers.push(
      () => db.$disconnect(),
      () => pool.end(),
    );
    const bucket = `rt-assets-${id.toLowerCase()}`;
    const allowSpaceThemes = async (tenantId: string) =>
      (await db.tenantSettings.findUnique({ where: { tenantId } }))?.allowSpaceThemes ?? false;
    const layout = await buildLayoutApp({
      internalTokenSecret: INTERNAL_SECRET,
      db,
      pool,
      authorize: authorizeThroughRouter(routerUrls[id]),
      logLevel: 'silent',
    });
    const theme = await buildThemeApp({
      internalTokenSecret: INTERNAL_SECRET,
      db,
      pool,
      authorize: authorizeThroughRouter(routerUrls[id], allowSpaceThemes),
      logLevel: 'silent',
    });
    const asset = await buildAssetApp({
      internalTokenSecret: INTERNAL_SECRET,
      db,
      pool,
      s3: createS3Client({ awsRegion: 'us-east-1', s3Endpoint: s3.endpoint }),
      bucket,
      authorize: authorizeThroughRouter(routerUrls[id]),
      logLevel: 'silent',
    });
    const urls = { layout: await listen(layout), theme: await listen(theme), asset: await listen(asset) };
    closers.push(
      () => layout.close(),
      () => theme.close(),
      () => asset.close(),
    );
    let migrationUrl = migration.url;
    if (options.realMigration && coordinator) {
      const service = await buildMigrationApp({
        internalTokenSecret: INTERNAL_SECRET,
        directory,
        redis,
        coordinator,
        logLevel: 'silent',
      });
      migrationUrl = await listen(service);
      closers.push(() => service.close());
    }

    const env: Record<string, string> = {
      REGION: id,
      REGIONS: 'EU,US',
      REGION_ALIASES: 'DE:EU',
      INTERNAL_TOKEN_SECRET: INTERNAL_SECRET,
      DIRECTORY_DATABASE_URL: directoryDb.url,
      APP_BASE_URL,
      APP_KEY,
      CONNECT_INSTALL_KEYS_URL: keys.url,
      FORGE_JWKS_URL: 'http://127.0.0.1:9/jwks',
      FORGE_APP_ID: 'ari:cloud:ecosystem::app/00000000-test',
      FORGE_ENVIRONMENT_TYPE: 'DEVELOPMENT',
      FORGE_ENVIRONMENT_ID: 'ari:cloud:ecosystem::environment/00000000-test/00000000-env',
      ENCRYPTION_KEY: encryptionKey,
      LAYOUT_URL: urls.layout,
      THEME_URL: urls.theme,
      ASSET_URL: urls.asset,
      MIGRATION_URL: migrationUrl,
      // Generous: the tests make a few hundred requests from one address.
      RATE_LIMIT_PER_MINUTE: '100000',
      UNAUTHENTICATED_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'silent',
    };
    for (const r of ids) {
      env[`REGION_${r}_DATABASE_URL`] = regionalDbs[r].url;
      env[`REGION_${r}_REDIS_URL`] = testRedisUrl();
      env[`REGION_${r}_S3_BUCKET`] = `rt-assets-${r.toLowerCase()}`;
      env[`REGION_${r}_BASE_URL`] = routerUrls[r];
    }
    const subscriber = createRedis(testRedisUrl());
    closers.push(() => subscriber.disconnect());
    const accessLog = new MemoryAccessLog();
    const config = loadConfig(env);
    regionTable ??= config.regions;
    const router = await buildRouterApp({
      config,
      directory,
      pool: directoryPool,
      redis,
      redisPrefix,
      subscribers: [subscriber],
      accessLog,
      permissions: { checker: createPermissionChecker(confluence) },
      operations:
        coordinator && deletions && jobs
          ? {
              auth: {
                mode: 'local',
                secret: OPERATOR_SECRET,
                issuer: LOCAL_OPERATOR_ISSUER,
                audience: LOCAL_OPERATOR_AUDIENCE,
              },
              coordinator,
              deletions,
              queues: [jobs.queue, deletions.queue],
            }
          : undefined,
      assertBaseUrl: (url) => {
        assertAllowedBaseUrl(url, { extraHosts: confluence.allowedHosts });
      },
    });
    await listen(router, ports[id]);
    closers.push(() => router.close());
    regions[id] = {
      id,
      routerUrl: routerUrls[id],
      router: Object.assign(router, { accessLog }),
      services: { layout, theme, asset },
      db,
      pool,
      bucket,
    };
  }

  const install: Stack['install'] = async (clientKey, options = {}) => {
    const url = '/lifecycle/installed';
    const token = await keys.mintInstallToken({
      kid,
      clientKey,
      audience: APP_BASE_URL,
      method: 'POST',
      url,
    });
    return fetch(`${routerUrls[options.region ?? 'EU']}${url}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: APP_KEY,
        clientKey,
        sharedSecret: options.sharedSecret ?? randomBytes(24).toString('hex'),
        baseUrl: options.baseUrl ?? `https://${clientKey}.atlassian.net/wiki`,
        displayUrl: options.baseUrl ?? `https://${clientKey}.atlassian.net/wiki`,
        productType: 'confluence',
        description: 'Atlassian Confluence',
        serverVersion: '6452',
        pluginsVersion: '1001.0.0',
        eventType: 'installed',
        installationId: `ari:cloud:ecosystem::installation/${clientKey}`,
      }),
    });
  };

  const tenant = async (clientKey: string, region: RegionId = 'EU'): Promise<Tenant> => {
    const sharedSecret = randomBytes(24).toString('hex');
    const site = await new FakeConfluence({
      appKey: APP_KEY,
      sharedSecret,
      users: [
        { accountId: USERS.siteAdmin, siteAdmin: true },
        { accountId: USERS.spaceAdmin, spaceAdminOf: [SPACE] },
        { accountId: USERS.plain },
        { accountId: USERS.fresh, siteAdmin: true },
      ],
      spaces: { OPS: {} },
    }).start();
    closers.push(() => site.close());
    const res = await install(clientKey, { region, baseUrl: site.baseUrl, sharedSecret });
    if (res.status !== 204) throw new Error(`install of ${clientKey}: ${res.status} ${await res.text()}`);
    const row = await directory.tenant.findUniqueOrThrow({ where: { clientKey } });
    const token = (accountId: string) =>
      mintConnectToken({ sharedSecret, clientKey, accountId, context: true });
    return {
      clientKey,
      sharedSecret,
      id: row.id,
      confluence: site,
      token,
      client: (accountId, r = 'EU', retry = {}) =>
        createRefinedToolkitClient({
          baseUrl: routerUrls[r],
          getToken: () => token(accountId),
          retry,
          sleep: retry.sleep,
        }),
      fetch: (accountId, path, init = {}, r = 'EU') => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `JWT ${token(accountId)}`);
        return fetch(`${routerUrls[r]}${path}`, { ...init, headers });
      },
    };
  };

  return {
    regions,
    directory,
    redis,
    redisPrefix,
    keys,
    kid,
    migration,
    install,
    tenant,
    tenantChanged: async (tenantId) => {
      await publishTenantChanged(redis, tenantId, redisPrefix);
    },
    operatorToken: (role) => mintOperatorToken(OPERATOR_SECRET, { subject: `operator-${role}`, role }),
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

/** A real RGB PNG (IHDR, IDAT, IEND only: nothing a sanitizer would strip); `seed` varies the pixels. */
export function buildPng(width: number, height: number, seed = 0): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 7 + seed) & 0xff;
      raw[o + 1] = (y * 13) & 0xff;
      raw[o + 2] = (x * y) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
