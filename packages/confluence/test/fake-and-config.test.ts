import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFLUENCE_USERS, type FakeConfluence, startDemoConfluence } from '../src/fake/index.js';
import {
  ConfluenceClient,
  confluenceTenantOf,
  createPermissionChecker,
  PermissionChecker,
  PermissionCheckUnavailable,
  parseConfluenceConfig,
  parsePermissionServiceConfig,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module reachable from `file` through relative or bare imports (bare ones not followed). */
function importGraph(file: string, seen = new Set<string>(), bare = new Set<string>()) {
  if (seen.has(file)) return { seen, bare };
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
    const spec = m[1] ?? m[2] ?? '';
    if (spec.startsWith('.')) importGraph(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen, bare);
    else bare.add(spec);
  }
  return { seen, bare };
}

describe('the demo fake Confluence', () => {
  let fake: FakeConfluence;
  beforeAll(async () => {
    fake = await startDemoConfluence({ appKey: 'demo-app', sharedSecret: 'demo-secret-0123456789' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('imports nothing of vitest, so `npm start --demo` can run it', () => {
    const { bare } = importGraph(join(here, '../src/fake/index.ts'));
    expect([...bare].filter((b) => b.includes('vitest') || b.startsWith('@rt/testing'))).toEqual([]);
    expect(bare.size).toBeGreaterThan(0);
  });

  it('answers for each demo role', async () => {
    const checker = new PermissionChecker({ client: new ConfluenceClient({ extraHosts: ['127.0.0.1'] }) });
    const tenant = confluenceTenantOf(
      { id: 'demo', baseUrl: fake.baseUrl, sharedSecret: 'demo-secret-0123456789' },
      { appKey: 'demo-app' },
    );
    expect(DEMO_CONFLUENCE_USERS.map((u) => u.accountId)).toEqual([
      'demo-admin',
      'demo-space-admin',
      'demo-user',
    ]);
    expect(await checker.isConfluenceAdmin(tenant, 'demo-admin')).toBe(true);
    expect(await checker.isSpaceAdmin(tenant, 'DEMO', 'demo-space-admin')).toBe(true);
    expect(await checker.isConfluenceAdmin(tenant, 'demo-user')).toBe(false);
    expect(await checker.isSpaceAdmin(tenant, 'DEMO', 'demo-user')).toBe(false);
  });
});

describe('configuration', () => {
  it('parses the knobs and refuses local hosts in production', () => {
    expect(parseConfluenceConfig({})).toEqual({
      allowedHosts: [],
      timeoutMs: 5000,
      permissionCacheTtlMs: 30_000,
    });
    expect(
      parseConfluenceConfig({
        CONFLUENCE_ALLOWED_HOSTS: ' 127.0.0.1, LOCALHOST ',
        PERMISSION_CACHE_TTL_MS: '1000',
      }),
    ).toMatchObject({ allowedHosts: ['127.0.0.1', 'localhost'], permissionCacheTtlMs: 1000 });
    expect(() => parseConfluenceConfig({ PERMISSION_CACHE_TTL_MS: '60001' })).toThrow(
      /PERMISSION_CACHE_TTL_MS/,
    );
    expect(() =>
      parseConfluenceConfig({ CONFLUENCE_ALLOWED_HOSTS: 'localhost' }, { production: true }),
    ).toThrow(/CONFLUENCE_ALLOWED_HOSTS/);
    expect(createPermissionChecker(parseConfluenceConfig({}))).toBeInstanceOf(PermissionChecker);
    expect(parsePermissionServiceConfig({ ROUTER_INTERNAL_URL: 'http://127.0.0.1:8080/' })).toEqual({
      routerUrl: 'http://127.0.0.1:8080',
    });
    expect(() => parsePermissionServiceConfig({})).toThrow(/ROUTER_INTERNAL_URL/);
  });

  it('picks Forge or Connect credentials, and refuses a tenant with neither', () => {
    const base = { id: 't', baseUrl: 'https://acme.atlassian.net/wiki' };
    expect(confluenceTenantOf({ ...base, sharedSecret: 's' }, { appKey: 'k' }).credentials.kind).toBe(
      'connect',
    );
    expect(
      confluenceTenantOf({ ...base, sharedSecret: null }, { appKey: 'k', forgeToken: 'tok' }).credentials
        .kind,
    ).toBe('forge');
    expect(() => confluenceTenantOf({ ...base, sharedSecret: null }, { appKey: 'k' })).toThrow(
      PermissionCheckUnavailable,
    );
  });
});
