import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { createInternalTokenSigner, forgeTokenDigest, internalAuthPlugin, type WriteRequest } from '@rt/auth';
import { createServiceApp, loggerOptions, type ServiceApp } from '@rt/http';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_CONFLUENCE_MARKER, FakeConfluence } from '../src/fake/index.js';
import {
  authorizeWrite,
  ConfluenceClient,
  type ConfluenceTenant,
  checkerOracle,
  createConfluenceAuthorize,
  FORGE_TOKEN_HEADER,
  NotPermitted,
  PermissionChecker,
  permissionCheckRoutes,
  routerPermissionOracle,
} from '../src/index.js';

const appKey = 'com.example.refined-toolkit';
const sharedSecret = 'shared-secret-of-the-tenant-0123456789';
const internalSecret = 'i'.repeat(40);
const tenantId = '5b0c7f0e-1111-4222-8333-944445555666';
const ROLES = { siteAdmin: 'acc-site-admin', spaceAdmin: 'acc-space-admin', plain: 'acc-plain' } as const;
type Role = keyof typeof ROLES;

/** Every write the services make, in every scope that matters (own space DOCS, foreign space OTHER). */
const WRITES: WriteRequest[] = (() => {
  const scopes = ['site', 'space:DOCS', 'space:OTHER'];
  const out: WriteRequest[] = [];
  for (const scope of scopes) {
    for (const action of ['create', 'update', 'delete', 'restore'])
      out.push({ resource: 'layout', action, scope });
    for (const action of ['create', 'update', 'delete', 'restore', 'import', 'copy']) {
      out.push({ resource: 'theme', action, scope });
    }
    for (const action of ['upload', 'delete']) out.push({ resource: 'asset', action, scope });
  }
  out.push({ resource: 'theme', action: 'set-default-theme', scope: 'site' });
  for (const scope of ['space:DOCS', 'space:OTHER']) {
    out.push({ resource: 'space-theme', action: 'assign-space-theme', scope });
    out.push({ resource: 'space-theme', action: 'unassign-space-theme', scope });
  }
  out.push({ resource: 'settings', action: 'update', scope: 'site' });
  return out;
})();

const AUTHORING = new Set(['create', 'update', 'restore', 'import', 'copy']);

/** The rules of issue 10, written out independently of the implementation. */
function expected(role: Role, w: WriteRequest, allowSpaceThemes: boolean): boolean {
  if (role === 'siteAdmin') return true;
  if (role === 'plain') return false;
  if (w.scope !== 'space:DOCS') return false;
  if (w.resource === 'theme' && AUTHORING.has(w.action)) return allowSpaceThemes;
  return true;
}

let fake: FakeConfluence;
let tenant: ConfluenceTenant;
const logLines: string[] = [];
const captureLogger = (name: string) =>
  pino(
    loggerOptions(name, 'trace'),
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  ) as unknown as FastifyBaseLogger;

beforeAll(async () => {
  fake = await new FakeConfluence({
    appKey,
    sharedSecret,
    forgeToken: 'forge-system-token',
    users: [
      { accountId: ROLES.siteAdmin, siteAdmin: true },
      { accountId: ROLES.spaceAdmin, groups: ['docs-admins'] },
      { accountId: ROLES.plain, groups: ['confluence-users'] },
    ],
    spaces: { DOCS: { adminGroups: ['docs-admins'] }, OTHER: {} },
  }).start();
  tenant = { id: tenantId, baseUrl: fake.baseUrl, credentials: { kind: 'connect', appKey, sharedSecret } };
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => {
  fake.mode = { kind: 'ok' };
});

const matrix = async (decide: (role: Role, w: WriteRequest, allow: boolean) => Promise<boolean>) => {
  const tally = { plainWrites: 0, refusedLegitimate: 0, wrongAllows: 0, allowed: 0, refused: 0 };
  for (const allowSpaceThemes of [false, true]) {
    for (const role of Object.keys(ROLES) as Role[]) {
      for (const w of WRITES) {
        const ok = await decide(role, w, allowSpaceThemes);
        const want = expected(role, w, allowSpaceThemes);
        if (ok) tally.allowed++;
        else tally.refused++;
        if (ok && role === 'plain') tally.plainWrites++;
        if (!ok && want) tally.refusedLegitimate++;
        if (ok && !want) tally.wrongAllows++;
      }
    }
  }
  return tally;
};

describe('role matrix: 3 roles × every write (library level)', () => {
  it('plain users write nothing, legitimate admins are never refused', async () => {
    const checker = new PermissionChecker({ client: new ConfluenceClient({ extraHosts: ['127.0.0.1'] }) });
    const tally = await matrix(async (role, w, allowSpaceThemes) => {
      try {
        await authorizeWrite(checkerOracle(checker, tenant, ROLES[role]), ROLES[role], w, {
          allowSpaceThemes: async () => allowSpaceThemes,
        });
        return true;
      } catch (err) {
        expect(err).toBeInstanceOf(NotPermitted);
        expect(err).toMatchObject({ statusCode: 403, code: 'NOT_PERMITTED' });
        return false;
      }
    });
    expect(tally).toMatchObject({ plainWrites: 0, refusedLegitimate: 0, wrongAllows: 0 });
    // The matrix exercises both outcomes for the space admin, so it cannot pass vacuously.
    expect(tally.allowed).toBeGreaterThan(WRITES.length * 2);
    expect(tally.refused).toBeGreaterThan(WRITES.length * 2);
  });

  it('refuses writes without a user and unknown scopes', async () => {
    const checker = new PermissionChecker({ client: new ConfluenceClient({ extraHosts: ['127.0.0.1'] }) });
    const oracle = checkerOracle(checker, tenant, ROLES.siteAdmin);
    const opts = { allowSpaceThemes: async () => true };
    await expect(
      authorizeWrite(oracle, undefined, { resource: 'layout', action: 'create', scope: 'site' }, opts),
    ).rejects.toBeInstanceOf(NotPermitted);
    await expect(
      authorizeWrite(
        oracle,
        ROLES.siteAdmin,
        { resource: 'layout', action: 'create', scope: 'global' },
        opts,
      ),
    ).rejects.toBeInstanceOf(NotPermitted);
  });
});

describe('through the router endpoint: service authorize → router → Confluence', () => {
  let router: ServiceApp;
  let service: ServiceApp;
  const sign = createInternalTokenSigner(internalSecret, 'service');
  let allowSpaceThemes = false;

  beforeAll(async () => {
    const checker = new PermissionChecker({
      client: new ConfluenceClient({ extraHosts: ['127.0.0.1'] }),
      cacheTtlMs: 10_000,
    });
    router = createServiceApp({ name: 'router', logger: captureLogger('router') });
    await router.register(permissionCheckRoutes, {
      checker,
      internalTokenSecret: internalSecret,
      resolveTenant: async (id, forgeToken) => {
        if (id !== tenantId) return null;
        return forgeToken
          ? { id, baseUrl: fake.forgeApiBaseUrl, credentials: { kind: 'forge', token: forgeToken } }
          : tenant;
      },
    });
    await router.listen({ host: '127.0.0.1', port: 0 });
    const address = router.server.address();
    const routerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const authorize = createConfluenceAuthorize({
      oracleFor: (request) => routerPermissionOracle(request, { routerUrl }),
      allowSpaceThemes: async () => allowSpaceThemes,
    });
    service = createServiceApp({ name: 'theme', logger: captureLogger('theme') });
    await service.register(internalAuthPlugin, { secret: internalSecret, kinds: ['api'] });
    service.post('/probe', async (request) => {
      await authorize(request, request.body as WriteRequest);
      return { ok: true };
    });
    await service.ready();
  });

  afterAll(async () => {
    await service?.close();
    await router?.close();
  });

  const probe = (
    accountId: string | undefined,
    w: WriteRequest,
    extra: Record<string, string> = {},
    /** The Forge system token the router signed into the service token (its digest). */
    signedForgeToken?: string,
  ) =>
    service.inject({
      method: 'POST',
      url: '/probe',
      headers: {
        authorization: `Bearer ${sign({
          tid: tenantId,
          reg: 'EU',
          rid: 'r-1',
          kind: 'api',
          sub: accountId,
          via: signedForgeToken ? 'forge' : 'connect',
          ...(signedForgeToken ? { fst: forgeTokenDigest(signedForgeToken) } : {}),
        })}`,
        ...extra,
      },
      payload: w,
    });

  it('keeps the matrix: 0 writes by plain users, 0 refusals of legitimate admins', async () => {
    const tally = await matrix(async (role, w, allow) => {
      allowSpaceThemes = allow;
      const res = await probe(ROLES[role], w);
      if (res.statusCode === 200) return true;
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('NOT_PERMITTED');
      return false;
    });
    expect(tally).toMatchObject({ plainWrites: 0, refusedLegitimate: 0, wrongAllows: 0 });
    expect(tally.refused).toBeGreaterThan(0);
  });

  it('answers 503 PERMISSION_CHECK_UNAVAILABLE when Confluence fails, never an allow', async () => {
    fake.mode = { kind: 'fail', status: 502 };
    const res = await probe('acc-not-cached-yet', { resource: 'layout', action: 'create', scope: 'site' });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('PERMISSION_CHECK_UNAVAILABLE');
  });

  it('asks through the Forge gateway with the forwarded Forge token', async () => {
    const site = { resource: 'layout', action: 'create', scope: 'site' };
    const before = fake.calls.total;
    const forge = { [FORGE_TOKEN_HEADER]: 'forge-system-token' };
    const ok = await probe('acc-forge-check', site, forge, 'forge-system-token');
    expect(ok.statusCode).toBe(403); // unknown user: asked, answered "no"
    expect(fake.calls.total).toBe(before + 1);
    expect(fake.calls.rejected).toBe(0);
    // A token Confluence does not accept: never an allow.
    const stolen = await probe(
      'acc-forge-other',
      site,
      { [FORGE_TOKEN_HEADER]: 'not-the-token' },
      'not-the-token',
    );
    expect(stolen.statusCode).toBe(503);
  });

  /** A site-wide create by a site admin, asked of the router at `routerUrl`. */
  const siteWriteThrough = (routerUrl: string, timeoutMs: number) => {
    const authorize = createConfluenceAuthorize({
      oracleFor: (request) => routerPermissionOracle(request, { routerUrl, timeoutMs }),
      allowSpaceThemes: async () => true,
    });
    const request = {
      headers: { authorization: 'Bearer x' },
      tenant: { tenantId, region: 'EU', requestId: 'r', accountId: ROLES.siteAdmin },
    } as unknown as Parameters<typeof authorize>[0];
    return authorize(request, { resource: 'layout', action: 'create', scope: 'site' });
  };

  it('answers 503 when the router cannot be reached, never an allow', async () => {
    await expect(siteWriteThrough('http://127.0.0.1:9', 2000)).rejects.toMatchObject({
      statusCode: 503,
      code: 'PERMISSION_CHECK_UNAVAILABLE',
    });
  });

  it('answers 503 when the router answers more slowly than the deadline, even a byte at a time', async () => {
    // An allow that trickles in: headers at once, then the body in pieces, each sooner than the
    // deadline but all of them later.
    const slow = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = '{"allowed":true}';
      let i = 0;
      const timer = setInterval(() => {
        if (i < body.length) res.write(body[i++]);
        else {
          clearInterval(timer);
          res.end();
        }
      }, 100);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const address = slow.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      // The whole allow would arrive after 1.6 s: the deadline refuses it first.
      await expect(siteWriteThrough(`http://127.0.0.1:${port}`, 400)).rejects.toMatchObject({
        statusCode: 503,
        code: 'PERMISSION_CHECK_UNAVAILABLE',
      });
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('refuses a read’s reused token for a write and for a permission question', async () => {
    const reused = sign({ tid: tenantId, reg: 'EU', kind: 'api', sub: 'admin-1', via: 'connect' }, {});
    const write = await service.inject({
      method: 'POST',
      url: '/probe',
      headers: { authorization: `Bearer ${reused}` },
      payload: { action: 'update', resource: 'settings', scope: 'site' },
    });
    expect(write.statusCode).toBe(401);
    expect(write.json().code).toBe('INTERNAL_TOKEN_INVALID');
    const address = router.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const question = await fetch(`http://127.0.0.1:${port}/internal/v1/permissions/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reused}` },
      body: JSON.stringify({ question: 'confluence-admin' }),
    });
    expect(question.status).toBe(401);
    expect(((await question.json()) as { code: string }).code).toBe('INTERNAL_TOKEN_INVALID');
  });

  it('refuses the router endpoint without a valid internal token', async () => {
    const address = router.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const res = await fetch(`http://127.0.0.1:${port}/internal/v1/permissions/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer forged' },
      body: JSON.stringify({ question: 'confluence-admin' }),
    });
    expect(res.status).toBe(401);
  });

  it('writes no Confluence answer into any log line', () => {
    // The fake puts the marker into every answer (display names, error bodies); the logs of
    // both apps ran at trace level through every request above.
    expect(logLines.length).toBeGreaterThan(50);
    expect(logLines.filter((l) => l.includes(FAKE_CONFLUENCE_MARKER))).toEqual([]);
    expect(logLines.filter((l) => l.includes('someone@example.com'))).toEqual([]);
  });
});
