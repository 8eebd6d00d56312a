import { createDirectoryClient, type DirectoryDb } from '@rt/db';
import { createServiceApp, type ServiceApp } from '@rt/http';
import { opsPlugin } from '@rt/ops';
import { createRedis, type Redis } from '@rt/queue';
import { MigrationCoordinator, MigrationJobs } from '@rt/residency';
import { createTestDatabase, redisTestPrefix, type TestDatabase, testRedisUrl } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, duration } from '../src/index.js';

const secret = 'c'.repeat(40);
let database: TestDatabase;
let directory: DirectoryDb;
let redis: Redis;
let jobs: MigrationJobs;
let app: ServiceApp;
let url: string;

async function run(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const env = { OPS_URL: url, OPERATOR_TOKEN_SECRET: secret };
  await buildProgram({ out: (l) => lines.push(l), env, interactive: false, pollMs: 50 }).parseAsync(args, {
    from: 'user',
  });
  return lines;
}

beforeAll(async () => {
  database = await createTestDatabase('directory', 'opscli');
  directory = createDirectoryClient({ url: database.url, poolSize: 4 });
  redis = createRedis(testRedisUrl());
  jobs = new MigrationJobs({ connection: redis, prefix: redisTestPrefix('opscli') });
  const coordinator = new MigrationCoordinator({
    directory,
    resolveLocation: (l) =>
      ['EU', 'US'].includes(l)
        ? { id: l, awsRegion: 'x', databaseUrl: 'x', redisUrl: 'x', bucket: 'x', baseUrl: 'https://x.test' }
        : undefined,
    jobs,
    publishTenantChanged: async () => undefined,
    limits: { enabled: true, maxConcurrent: 10, maxDurationHours: 2 },
  });
  app = createServiceApp({ name: 'ops-cli-test', logLevel: 'silent' });
  await app.register(opsPlugin, {
    prefix: '/ops/v1',
    directory,
    coordinator,
    auth: { mode: 'local', secret, issuer: 'rt-ops-local', audience: 'rt-ops' },
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  await directory.tenant.create({
    data: { clientKey: 'cli-tenant', baseUrl: 'https://c.atlassian.net', homeRegion: 'EU' },
  });
});

afterAll(async () => {
  await app?.close();
  await jobs?.queue.obliterate({ force: true }).catch(() => undefined);
  await jobs?.close();
  redis?.disconnect();
  await directory?.$disconnect();
  await database?.drop();
});

describe('ops CLI', () => {
  it('lists and shows tenants over HTTP with a locally minted token', async () => {
    expect(await run('tenants', 'list')).toEqual(['cli-tenant\tEU\tactive']);
    const shown = JSON.parse((await run('tenants', 'show', 'cli-tenant')).join('\n'));
    expect(shown).toMatchObject({ clientKey: 'cli-tenant', homeRegion: 'EU' });
  });

  it('migrate follows the progress to the end and prints the report', async () => {
    // Stand-in for the worker: when the migration is frozen, report it verified.
    const worker = (async () => {
      for (;;) {
        const m = await directory.migration.findFirst({ where: { state: 'frozen' } });
        if (m) {
          await directory.migration.update({
            where: { id: m.id },
            data: {
              state: 'ready_to_commit',
              progress: { phase: 'ready', rows: { done: 5, total: 5 } },
              report: {
                rowsTotal: 5,
                objects: 1,
                bytes: 10,
                rows: { layouts: { count: 5, sha256: 'ab'.repeat(32) } },
                durations: { freezeMs: 12 },
              },
            },
          });
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const out = await run('migrate', 'cli-tenant', '--to', 'US', '--no-auto-commit');
    await worker;
    expect(out[0]).toMatch(/^migration [0-9a-f-]{36} started$/);
    expect(out.join('\n')).toContain('EU → US, ready_to_commit');
    expect(out.join('\n')).toContain('rows 5, objects 1');
    const id = out[0]?.split(' ')[1] as string;
    const shown = await run('migrations', 'show', id);
    expect(shown.join('\n')).toContain('scheduled → frozen');
  });

  it('mints tokens only with a local key', async () => {
    const [token] = await run('token', 'mint', '--role', 'migrator');
    expect(token?.split('.')).toHaveLength(3);
    const program = buildProgram({ out: () => undefined, env: {}, interactive: false });
    await expect(program.parseAsync(['token', 'mint', '--role', 'admin'], { from: 'user' })).rejects.toThrow(
      /local stack/,
    );
  });
});

describe('the progress line', () => {
  it('shows the ETA of the current phase as people read it', () => {
    expect([duration(0), duration(42.4), duration(75), duration(3600)]).toEqual([
      '0s',
      '42s',
      '1m15s',
      '60m00s',
    ]);
  });
});
