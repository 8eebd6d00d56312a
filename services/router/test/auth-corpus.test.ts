import { mintConnectToken, queryStringHash } from '@rt/testing';
import { createSigner } from 'fast-jwt';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRouter,
  createFixture,
  type Fixture,
  FORGE_APP_ID,
  lifecyclePayload,
  postLifecycle,
  routerConfig,
} from './harness.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const unsigned = (payload: Record<string, unknown>) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;

describe('authentication: a malformed-token corpus never reaches a service', () => {
  let fx: Fixture;
  let app: Awaited<ReturnType<typeof buildRouter>>;
  const A = { clientKey: 'tenant-a', secret: 'a'.repeat(40) };
  const B = { clientKey: 'tenant-b', secret: 'b'.repeat(40) };

  beforeAll(async () => {
    fx = await createFixture('authcorpus');
    app = await buildRouter(fx, routerConfig(fx, 'EU'));
    for (const t of [A, B]) {
      const res = await postLifecycle(
        app,
        fx,
        'installed',
        lifecyclePayload(t.clientKey, 'installed', t.secret),
      );
      expect(res.statusCode).toBe(204);
    }
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  const apiUrl = '/api/v1/layouts?limit=10';
  const connect = (
    overrides: Parameters<typeof mintConnectToken>[0] extends infer P ? Partial<P> : never = {},
  ) =>
    mintConnectToken({
      sharedSecret: A.secret,
      clientKey: A.clientKey,
      method: 'GET',
      url: apiUrl,
      ...overrides,
    });

  it('accepts the well-formed variants (so the rejections below are meaningful)', async () => {
    const calls = fx.upstream.calls.length;
    for (const token of [connect(), connect({ context: true }), connect({ expiresInSeconds: -10 })]) {
      const res = await app.inject({ url: apiUrl, headers: { authorization: `JWT ${token}` } });
      expect(res.statusCode).toBe(200);
    }
    const viaQuery = await app.inject({ url: `${apiUrl}&jwt=${connect()}` });
    expect(viaQuery.statusCode).toBe(200);
    expect(fx.upstream.calls.length).toBe(calls + 4);
    const last = fx.upstream.calls.at(-1)!;
    expect(last.url).toBe('/api/v1/layouts?limit=10'); // the token never travels past the router
    expect(last.claims).toMatchObject({ reg: 'EU', via: 'connect' });
    // Nor when its parameter's name is percent-encoded (the query parser decodes it).
    const encodedName = await app.inject({ url: `${apiUrl}&%6Awt=${connect()}` });
    expect(encodedName.statusCode).toBe(200);
    expect(fx.upstream.calls.at(-1)!.url).toBe('/api/v1/layouts?limit=10');
  });

  it('reads the Authorization header the same whether its token was verified before or not', async () => {
    // A token verified first through `?jwt=`, then sent in the header: the known-token lookup
    // must answer exactly what parsing the header would (and check the claims against this URL).
    const token = connect();
    expect((await app.inject({ url: `${apiUrl}&jwt=${token}` })).statusCode).toBe(200);
    for (const [authorization, status] of [
      [`JWT ${token}`, 200],
      [`JWT  ${token}`, 200],
      [`jwt ${token}`, 200],
      [`JWT\t${token}`, 200],
      [`JWT ${token} x`, 401],
      [`JWT ${token}x`, 401],
      [`JWT x${token}`, 401],
      [`JWT ${token.slice(0, -1)}`, 401],
    ] as const) {
      const res = await app.inject({ url: apiUrl, headers: { authorization } });
      expect(res.statusCode, authorization.slice(0, 8)).toBe(status);
    }
    // Known, but bound to another request (its qsh): refused, not served from the memo.
    const other = await app.inject({
      url: '/api/v1/layouts?limit=11',
      headers: { authorization: `JWT ${token}` },
    });
    expect(other.statusCode).toBe(401);
  });

  it('rejects every malformed Connect token on /api/v1 with 401', async () => {
    const rsa = await generateKeyPair('RS256');
    const rs256 = await new SignJWT({ qsh: 'context-qsh' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(A.clientKey)
      .setIssuedAt()
      .setExpirationTime('3m')
      .sign(rsa.privateKey);
    const corpus: Record<string, { token?: string; url?: string; code: string }> = {
      'no token': { token: undefined, code: 'TOKEN_MISSING' },
      'alg none': {
        token: unsigned({ iss: A.clientKey, qsh: 'context-qsh', exp: now() + 100 }),
        code: 'TOKEN_INVALID',
      },
      'RS256 where HS256 is expected': { token: rs256, code: 'TOKEN_INVALID' },
      garbage: { token: 'not.a.jwt', code: 'TOKEN_INVALID' },
      'bad signature': {
        token: mintConnectToken({ sharedSecret: 'x'.repeat(40), clientKey: A.clientKey, context: true }),
        code: 'TOKEN_INVALID',
      },
      expired: { token: connect({ expiresInSeconds: -120 }), code: 'TOKEN_EXPIRED' },
      'future nbf': { token: connect({ overrides: { nbf: now() + 600 } }), code: 'TOKEN_NOT_YET_VALID' },
      'wrong qsh': {
        token: mintConnectToken({
          sharedSecret: A.secret,
          clientKey: A.clientKey,
          method: 'GET',
          url: '/api/v1/themes',
        }),
        code: 'QSH_MISMATCH',
      },
      'qsh of another method': { token: connect({ method: 'DELETE' }), code: 'QSH_MISMATCH' },
      'no qsh': { token: connect({ overrides: { qsh: undefined } }), code: 'TOKEN_INVALID' },
      'unknown iss': {
        token: mintConnectToken({ sharedSecret: A.secret, clientKey: 'nobody', context: true }),
        code: 'TENANT_UNKNOWN',
      },
      "tenant A's token with tenant B's clientKey": {
        token: mintConnectToken({ sharedSecret: A.secret, clientKey: B.clientKey, context: true }),
        code: 'TOKEN_INVALID',
      },
      'no exp': { token: connect({ overrides: { exp: undefined } }), code: 'TOKEN_INVALID' },
      'payload swapped under a valid signature': {
        token: (() => {
          const [h, , sig] = connect().split('.');
          return `${h}.${b64({ iss: A.clientKey, qsh: 'context-qsh', exp: now() + 9999 })}.${sig}`;
        })(),
        code: 'TOKEN_INVALID',
      },
      'signature with trailing junk': { token: `${connect()}A`, code: 'TOKEN_INVALID' },
      'four segments': { token: `${connect()}.x`, code: 'TOKEN_INVALID' },
    };
    const calls = fx.upstream.calls.length;
    for (const [name, c] of Object.entries(corpus)) {
      const res = await app.inject({
        url: c.url ?? apiUrl,
        headers: c.token ? { authorization: `JWT ${c.token}` } : {},
      });
      expect([name, res.statusCode, res.json().code]).toEqual([name, 401, c.code]);
    }
    // The same corpus in ?jwt= and on a write.
    const post = await app.inject({
      method: 'POST',
      url: `/api/v1/layouts?jwt=${corpus['alg none']!.token}`,
      payload: {},
    });
    expect(post.statusCode).toBe(401);
    expect(fx.upstream.calls.length).toBe(calls);
  });

  it('requires the computed qsh on /dare-migration (Atlassian → app): a context token is 401', async () => {
    const url = '/dare-migration/status/m-1';
    const calls = fx.upstream.calls.length;
    const ctx = mintConnectToken({ sharedSecret: A.secret, clientKey: A.clientKey, context: true });
    const res = await app.inject({ url, headers: { authorization: `JWT ${ctx}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('QSH_MISMATCH');
    expect(fx.upstream.calls.length).toBe(calls);
    const bound = mintConnectToken({ sharedSecret: A.secret, clientKey: A.clientKey, method: 'GET', url });
    const ok = await app.inject({ url, headers: { authorization: `JWT ${bound}` } });
    expect(ok.statusCode).toBe(200);
  });

  it('rejects every malformed signed-install token on lifecycle callbacks with 401 and writes nothing', async () => {
    const url = '/lifecycle/installed';
    const payload = lifecyclePayload('tenant-new', 'installed');
    const mint = (p: Partial<Parameters<typeof fx.keys.mintInstallToken>[0]> = {}) =>
      fx.keys.mintInstallToken({
        kid: fx.kid,
        clientKey: payload.clientKey,
        audience: 'https://app.example.test',
        method: 'POST',
        url,
        ...p,
      });
    const publicPem = await fx.keys.publicKeyPem(fx.kid);
    const confused = createSigner({ key: publicPem, algorithm: 'HS256' })({
      iss: payload.clientKey,
      aud: 'https://app.example.test',
      qsh: queryStringHash('POST', url),
      exp: now() + 100,
    });
    const stranger = await generateKeyPair('RS256');
    const unknownKid = await new SignJWT({ qsh: queryStringHash('POST', url) })
      .setProtectedHeader({ alg: 'RS256', kid: 'kid-nobody-knows' })
      .setIssuer(payload.clientKey)
      .setAudience('https://app.example.test')
      .setExpirationTime('3m')
      .sign(stranger.privateKey);
    const wrongKey = await new SignJWT({ qsh: queryStringHash('POST', url) })
      .setProtectedHeader({ alg: 'RS256', kid: fx.kid })
      .setIssuer(payload.clientKey)
      .setAudience('https://app.example.test')
      .setExpirationTime('3m')
      .sign(stranger.privateKey);
    expect(await exportSPKI(stranger.publicKey)).not.toBe(publicPem);

    const corpus: Record<string, { token: string; code: string }> = {
      'alg none': {
        token: unsigned({
          iss: payload.clientKey,
          aud: 'https://app.example.test',
          qsh: queryStringHash('POST', url),
          exp: now() + 100,
        }),
        code: 'TOKEN_INVALID',
      },
      'HS256 signed with the RSA public key (alg confusion)': { token: confused, code: 'TOKEN_INVALID' },
      'context token (HS256, shared secret)': {
        token: mintConnectToken({ sharedSecret: A.secret, clientKey: payload.clientKey, context: true }),
        code: 'TOKEN_INVALID',
      },
      expired: { token: await mint({ expiresInSeconds: -120 }), code: 'TOKEN_EXPIRED' },
      'future nbf': { token: await mint({ overrides: { nbf: now() + 600 } }), code: 'TOKEN_NOT_YET_VALID' },
      'wrong qsh': { token: await mint({ url: '/lifecycle/uninstalled' }), code: 'QSH_MISMATCH' },
      'context qsh': { token: await mint({ overrides: { qsh: 'context-qsh' } }), code: 'QSH_MISMATCH' },
      'iss is not the payload clientKey': {
        token: await mint({ clientKey: 'tenant-a' }),
        code: 'ISSUER_MISMATCH',
      },
      'wrong aud': {
        token: await mint({ audience: 'https://evil.example.test' }),
        code: 'AUDIENCE_MISMATCH',
      },
      'unknown kid': { token: unknownKid, code: 'INSTALL_KEY_UNKNOWN' },
      'known kid, other key': { token: wrongKey, code: 'TOKEN_INVALID' },
      'path traversal kid': {
        token: `${b64({ alg: 'RS256', kid: '../etc' })}.${b64({})}.x`,
        code: 'TOKEN_INVALID',
      },
    };
    for (const [name, c] of Object.entries(corpus)) {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { authorization: `JWT ${c.token}` },
        payload,
      });
      expect([name, res.statusCode, res.json().code]).toEqual([name, 401, c.code]);
    }
    const none = await app.inject({ method: 'POST', url, payload });
    expect(none.statusCode).toBe(401);
    expect(await fx.db.tenant.count({ where: { clientKey: 'tenant-new' } })).toBe(0);

    // A valid token for tenant A cannot uninstall tenant B.
    const crossToken = await mint({ clientKey: 'tenant-a', url: '/lifecycle/uninstalled' });
    const cross = await app.inject({
      method: 'POST',
      url: '/lifecycle/uninstalled',
      headers: { authorization: `JWT ${crossToken}` },
      payload: lifecyclePayload('tenant-b', 'uninstalled'),
    });
    expect(cross.statusCode).toBe(401);
    expect((await fx.db.tenant.findUniqueOrThrow({ where: { clientKey: 'tenant-b' } })).state).toBe('active');
  });

  it('Forge Remote: a valid FIT creates the tenant by installation id; bad FITs are 401', async () => {
    const calls = fx.upstream.calls.length;
    const fit = await fx.forge.mintInvocationToken({
      appId: FORGE_APP_ID,
      installationId: 'inst-1',
      accountId: 'acc-1',
    });
    const ok = await app.inject({ url: '/api/v1/themes', headers: { authorization: `Bearer ${fit}` } });
    expect(ok.statusCode).toBe(200);
    const tenant = await fx.db.tenant.findUniqueOrThrow({ where: { installationId: 'inst-1' } });
    expect(tenant).toMatchObject({
      platform: 'forge',
      homeRegion: 'EU',
      state: 'active',
      sharedSecretEnc: null,
    });
    expect(ok.json().claims).toMatchObject({ tid: tenant.id, reg: 'EU', via: 'forge', sub: 'acc-1' });
    const again = await app.inject({ url: '/api/v1/themes', headers: { authorization: `Bearer ${fit}` } });
    expect(again.json().claims.tid).toBe(tenant.id);
    expect(fx.upstream.calls.length).toBe(calls + 2);

    const bad = {
      'wrong aud': await fx.forge.mintInvocationToken({
        appId: 'ari:cloud:ecosystem::app/other',
        installationId: 'inst-1',
      }),
      expired: await fx.forge.mintInvocationToken({
        appId: FORGE_APP_ID,
        installationId: 'inst-1',
        expiresInSeconds: -120,
      }),
      'no installation': await fx.forge.mintInvocationToken({
        appId: FORGE_APP_ID,
        installationId: 'inst-1',
        overrides: { app: { id: FORGE_APP_ID } },
      }),
      'HS256 FIT': createSigner({ key: 'k'.repeat(40) })({
        iss: 'forge/invocation-token',
        aud: FORGE_APP_ID,
        exp: now() + 60,
        app: { installationId: 'inst-1' },
      }),
    };
    for (const [name, token] of Object.entries(bad)) {
      const res = await app.inject({ url: '/api/v1/themes', headers: { authorization: `Bearer ${token}` } });
      expect([name, res.statusCode]).toEqual([name, 401]);
    }
    const onCallback = await app.inject({
      url: '/dare-migration/status/x',
      headers: { authorization: `Bearer ${fit}` },
    });
    expect(onCallback.statusCode).toBe(401);
    expect(fx.upstream.calls.length).toBe(calls + 2);
  });
});
