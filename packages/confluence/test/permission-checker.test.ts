import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeConfluence } from '../src/fake/index.js';
import {
  assertAllowedBaseUrl,
  BaseUrlNotAllowed,
  ConfluenceClient,
  type ConfluenceTenant,
  PermissionChecker,
  PermissionCheckUnavailable,
} from '../src/index.js';

const appKey = 'com.example.refined-toolkit';
const sharedSecret = 'shared-secret-of-the-tenant-0123456789';
const forgeToken = 'forge-system-token-abc';
const local = { extraHosts: ['127.0.0.1'] };

let fake: FakeConfluence;
let tenant: ConfluenceTenant;
let bystander: Server;
let bystanderUrl: string;
let bystanderHits = 0;

const checker = (options: { now?: () => number; cacheTtlMs?: number; timeoutMs?: number } = {}) =>
  new PermissionChecker({
    client: new ConfluenceClient({ ...local, timeoutMs: options.timeoutMs ?? 10_000 }),
    cacheTtlMs: options.cacheTtlMs,
    now: options.now,
  });

beforeAll(async () => {
  fake = await new FakeConfluence({
    appKey,
    sharedSecret,
    forgeToken,
    users: [
      { accountId: 'admin-1', siteAdmin: true },
      // Real account ids contain ':' — the qsh must survive query encoding.
      { accountId: '557058:f1c2a3b4-0000-4000-8000-00000000abcd', siteAdmin: true },
      { accountId: 'space-admin-1', spaceAdminOf: ['DOCS'] },
      { accountId: 'group-admin-1', groups: ['docs-admins', 'others'] },
      { accountId: 'plain-1', groups: ['others'] },
    ],
    spaces: { DOCS: { adminGroups: ['docs-admins'] }, OTHER: {} },
  }).start();
  tenant = { id: 't-1', baseUrl: fake.baseUrl, credentials: { kind: 'connect', appKey, sharedSecret } };
  bystander = createServer((_req, res) => {
    bystanderHits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"operations":[]}');
  });
  await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
  bystanderUrl = `http://127.0.0.1:${(bystander.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await fake?.close();
  await new Promise((resolve) => bystander?.close(resolve));
});

beforeEach(() => {
  fake.mode = { kind: 'ok' };
  fake.resetCalls();
  bystanderHits = 0;
});

describe('PermissionChecker against a fake Confluence', () => {
  it('recognises Confluence administrators through user operations', async () => {
    const c = checker();
    expect(await c.isConfluenceAdmin(tenant, 'admin-1')).toBe(true);
    expect(await c.isConfluenceAdmin(tenant, 'plain-1')).toBe(false);
    expect(await c.isConfluenceAdmin(tenant, 'space-admin-1')).toBe(false);
    expect(await c.isConfluenceAdmin(tenant, 'nobody')).toBe(false);
    expect(await c.isConfluenceAdmin(tenant, '557058:f1c2a3b4-0000-4000-8000-00000000abcd')).toBe(true);
    expect(fake.calls.user).toBe(5);
    // Every request was signed correctly (JWT signature, iss and qsh verified by the fake).
    expect(fake.calls.rejected).toBe(0);
  });

  it('recognises space administrators, directly or through a group, per space', async () => {
    const c = checker();
    expect(await c.isSpaceAdmin(tenant, 'DOCS', 'space-admin-1')).toBe(true);
    expect(await c.isSpaceAdmin(tenant, 'DOCS', 'group-admin-1')).toBe(true);
    expect(await c.isSpaceAdmin(tenant, 'DOCS', 'plain-1')).toBe(false);
    expect(await c.isSpaceAdmin(tenant, 'OTHER', 'space-admin-1')).toBe(false);
    expect(await c.isSpaceAdmin(tenant, 'OTHER', 'group-admin-1')).toBe(false);
    expect(await c.isSpaceAdmin(tenant, 'NOPE', 'space-admin-1')).toBe(false);
    expect(fake.calls.rejected).toBe(0);
    expect(fake.calls.memberof).toBeGreaterThan(0);
  });

  it('signs with the tenant secret: a wrong secret is refused by Confluence and is no allow', async () => {
    const wrong: ConfluenceTenant = {
      ...tenant,
      id: 't-wrong',
      credentials: { kind: 'connect', appKey, sharedSecret: 'another-secret-entirely-123456' },
    };
    await expect(checker().isConfluenceAdmin(wrong, 'admin-1')).rejects.toBeInstanceOf(
      PermissionCheckUnavailable,
    );
    expect(fake.calls.rejected).toBe(1);
  });

  it('uses the Forge token through the gateway URL for Forge tenants', async () => {
    const forge: ConfluenceTenant = {
      id: 't-forge',
      baseUrl: fake.forgeApiBaseUrl,
      credentials: { kind: 'forge', token: forgeToken },
    };
    expect(await checker().isConfluenceAdmin(forge, 'admin-1')).toBe(true);
    const bad = { ...forge, credentials: { kind: 'forge' as const, token: 'stolen' } };
    await expect(checker().isConfluenceAdmin(bad, 'admin-1')).rejects.toBeInstanceOf(
      PermissionCheckUnavailable,
    );
  });

  it('caches answers per tenant, user and question for at most the TTL (injected clock)', async () => {
    let now = 1_000_000;
    const c = checker({ now: () => now, cacheTtlMs: 60_000 });
    expect(await c.isConfluenceAdmin(tenant, 'admin-1')).toBe(true);
    expect(await c.isConfluenceAdmin(tenant, 'admin-1')).toBe(true);
    expect(fake.calls.user).toBe(1);
    // Another user, another tenant, another question: asked separately.
    await c.isConfluenceAdmin(tenant, 'plain-1');
    await c.isConfluenceAdmin({ ...tenant, id: 't-2' }, 'admin-1');
    await c.isSpaceAdmin(tenant, 'DOCS', 'admin-1');
    expect(fake.calls.user).toBe(3);
    now += 59_999;
    await c.isConfluenceAdmin(tenant, 'admin-1');
    expect(fake.calls.user).toBe(3);
    now += 2;
    await c.isConfluenceAdmin(tenant, 'admin-1');
    expect(fake.calls.user).toBe(4);
    expect(() => checker({ cacheTtlMs: 60_001 })).toThrow(/TTL/);
  });

  it('never allows when Confluence fails, and does not cache the failure', async () => {
    const c = checker();
    fake.mode = { kind: 'fail', status: 500 };
    await expect(c.isConfluenceAdmin(tenant, 'admin-1')).rejects.toMatchObject({
      statusCode: 503,
      code: 'PERMISSION_CHECK_UNAVAILABLE',
    });
    fake.mode = { kind: 'fail', status: 429 };
    await expect(c.isSpaceAdmin(tenant, 'DOCS', 'space-admin-1')).rejects.toBeInstanceOf(
      PermissionCheckUnavailable,
    );
    fake.mode = { kind: 'garbage' };
    await expect(c.isConfluenceAdmin(tenant, 'admin-1')).rejects.toBeInstanceOf(PermissionCheckUnavailable);
    fake.mode = { kind: 'huge', bytes: 300 * 1024 };
    await expect(c.isConfluenceAdmin(tenant, 'admin-1')).rejects.toBeInstanceOf(PermissionCheckUnavailable);
    fake.mode = { kind: 'ok' };
    expect(await c.isConfluenceAdmin(tenant, 'admin-1')).toBe(true);
  });

  it('gives up on a slow Confluence after the timeout', async () => {
    fake.mode = { kind: 'slow', delayMs: 5_000 };
    await expect(checker({ timeoutMs: 300 }).isConfluenceAdmin(tenant, 'admin-1')).rejects.toMatchObject({
      code: 'PERMISSION_CHECK_UNAVAILABLE',
    });
  });

  it('treats an unreachable Confluence as unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = { ...tenant, id: 't-gone', baseUrl: `http://127.0.0.1:${port}/wiki` };
    await expect(checker().isConfluenceAdmin(gone, 'admin-1')).rejects.toBeInstanceOf(
      PermissionCheckUnavailable,
    );
  });

  it('does not follow redirects, not even to an allowed host', async () => {
    fake.mode = { kind: 'redirect', location: `${bystanderUrl}/wiki/rest/api/user?accountId=admin-1` };
    await expect(checker().isConfluenceAdmin(tenant, 'admin-1')).rejects.toBeInstanceOf(
      PermissionCheckUnavailable,
    );
    expect(fake.calls.total).toBe(1);
    expect(bystanderHits).toBe(0);
  });

  it('refuses a non-allow-listed baseUrl before any request (SSRF)', async () => {
    const strict = new PermissionChecker({ client: new ConfluenceClient() });
    for (const baseUrl of [
      fake.baseUrl, // http://127.0.0.1 without the CONFLUENCE_ALLOWED_HOSTS knob
      bystanderUrl.replace('127.0.0.1', 'localhost'),
      'http://169.254.169.254/latest/meta-data',
      'https://evil.com/wiki',
      'https://acme.atlassian.net.evil.com/wiki',
      'https://acme.atlassian.net@evil.com/wiki',
    ]) {
      await expect(strict.isConfluenceAdmin({ ...tenant, baseUrl }, 'admin-1')).rejects.toBeInstanceOf(
        BaseUrlNotAllowed,
      );
    }
    expect(fake.calls.total).toBe(0);
    expect(bystanderHits).toBe(0);
  });
});

describe('assertAllowedBaseUrl (install-time check)', () => {
  it.each([
    'https://acme.atlassian.net/wiki',
    'https://ACME.atlassian.net/wiki/',
    'https://acme.jira.com',
    'https://acme.jira-dev.com/wiki',
    'https://api.atlassian.com/ex/confluence/4a5e2c7b-0000-0000-0000-000000000000',
  ])('accepts %s', (url) => {
    expect(assertAllowedBaseUrl(url)).toMatch(/^https:\/\//);
  });

  it.each([
    'http://acme.atlassian.net/wiki', // not https
    'https://acme.atlassian.net:8443/wiki', // odd port
    'https://atlassian.net/wiki', // the suffix itself
    'https://a.b.atlassian.net/wiki', // nested label
    'https://acme.atlassian.net.evil.com/wiki',
    'https://acme-atlassian.net/wiki',
    'https://acme.atlassian.net@evil.com/wiki',
    'https://user:pw@acme.atlassian.net/wiki',
    'https://evil.com/wiki',
    'http://169.254.169.254/latest/meta-data',
    'https://169.254.169.254/',
    'http://localhost:8080/wiki',
    'http://127.0.0.1/wiki',
    'https://[::1]/wiki',
    'file:///etc/passwd',
    'https://acme.atlassian.net/wiki?x=1',
    'not a url',
  ])('refuses %s', (url) => {
    expect(() => assertAllowedBaseUrl(url)).toThrow(BaseUrlNotAllowed);
  });

  it('allows configured local hosts (development and tests only)', () => {
    expect(assertAllowedBaseUrl('http://localhost:8099/wiki', { extraHosts: ['localhost'] })).toBe(
      'http://localhost:8099/wiki',
    );
    expect(() => assertAllowedBaseUrl('http://127.0.0.2/wiki', { extraHosts: ['localhost'] })).toThrow(
      BaseUrlNotAllowed,
    );
  });

  it('answers 400 BASE_URL_NOT_ALLOWED', () => {
    try {
      assertAllowedBaseUrl('https://evil.com');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ statusCode: 400, code: 'BASE_URL_NOT_ALLOWED' });
    }
  });
});
