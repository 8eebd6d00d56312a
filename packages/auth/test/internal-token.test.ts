import { createSigner } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import {
  createInternalTokenSigner,
  createInternalTokenVerifier,
  INTERNAL_TOKEN_REUSE_SECONDS,
  INTERNAL_TOKEN_TTL_SECONDS,
  type InternalClaims,
  REUSED_TOKEN_TTL_SECONDS,
  type SignedTokenMemo,
  verifyInternalBearer,
} from '../src/index.js';

const secret = 's'.repeat(40);
const claims: InternalClaims = { tid: 't-1', reg: 'EU', rid: 'r-1', kind: 'api' };

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return (err as { code?: string }).code ?? 'thrown';
  }
};

describe('internal tokens: one purpose and kind each', () => {
  const service = createInternalTokenSigner(secret, 'service');
  const forwarding = createInternalTokenSigner(secret, 'forwarding');
  const apiService = createInternalTokenVerifier(secret, { purpose: 'service', kinds: ['api'] });
  const callbackService = createInternalTokenVerifier(secret, {
    purpose: 'service',
    kinds: ['atlassian-callback'],
  });
  const apiHop = createInternalTokenVerifier(secret, { purpose: 'forwarding', kinds: ['api'] });

  it('accepts a token of its own purpose and kind', () => {
    expect(apiService(service(claims))).toMatchObject(claims);
    expect(apiHop(forwarding({ ...claims, cip: '203.0.113.1' }))).toMatchObject({ cip: '203.0.113.1' });
    expect(callbackService(service({ ...claims, kind: 'atlassian-callback' }))).toMatchObject({
      kind: 'atlassian-callback',
    });
  });

  it('refuses a token of another purpose, another kind, another key or without a kind', () => {
    expect(() => apiHop(service(claims))).toThrow();
    expect(() => apiService(forwarding(claims))).toThrow();
    expect(() => callbackService(service(claims))).toThrow();
    expect(() => apiService(createInternalTokenSigner('x'.repeat(40), 'service')(claims))).toThrow();
    expect(() => service({ ...claims, kind: 'root' as never })).toThrow();
    expect(() => createInternalTokenVerifier(secret, { purpose: 'service', kinds: [] })).toThrow();
  });

  it('reads exactly one well-formed Bearer header, with stable codes', () => {
    const token = service(claims);
    expect(verifyInternalBearer(`Bearer ${token}`, apiService, 'GET')).toMatchObject(claims);
    expect(codeOf(() => verifyInternalBearer(undefined, apiService, 'GET'))).toBe('INTERNAL_TOKEN_MISSING');
    expect(codeOf(() => verifyInternalBearer(`JWT ${token}`, apiService, 'GET'))).toBe(
      'INTERNAL_TOKEN_MISSING',
    );
    expect(
      codeOf(() => verifyInternalBearer([`Bearer ${token}`, `Bearer ${token}`], apiService, 'GET')),
    ).toBe('INTERNAL_TOKEN_MISSING');
    expect(codeOf(() => verifyInternalBearer(`Bearer ${token} extra`, apiService, 'GET'))).toBe(
      'INTERNAL_TOKEN_MISSING',
    );
    expect(codeOf(() => verifyInternalBearer(`Bearer ${forwarding(claims)}`, apiService, 'GET'))).toBe(
      'INTERNAL_TOKEN_INVALID',
    );
  });

  it('reuses a token without a request id within its second, never across claims or seconds', () => {
    let t = Math.floor(Date.now() / 1000) * 1000 + 250;
    const sign = createInternalTokenSigner(secret, 'service', { now: () => t });
    const { rid: _rid, ...noRid } = claims;
    const first = sign(noRid);
    expect(sign({ ...noRid })).toBe(first);
    expect(sign({ ...noRid, sub: 'user-2' })).not.toBe(first);
    expect(sign({ ...noRid, tid: 't-2' })).not.toBe(first);
    expect(sign(claims)).not.toBe(sign({ ...claims, rid: 'r-2' })); // the request id is signed in
    t += 1000;
    const next = sign(noRid);
    expect(next).not.toBe(first);
    const verifyAt = createInternalTokenVerifier(secret, { purpose: 'service', kinds: ['api'] });
    expect(verifyAt(next)).toMatchObject({ ...noRid, iss: 'rt-router', aud: 'rt-service' });
  });

  it('hands out a memo’s token per kind for 90 s of its 120, then signs a fresh one', () => {
    let t = Math.floor(Date.now() / 1000) * 1000 + 250;
    const sign = createInternalTokenSigner(secret, 'service', { now: () => t });
    const { rid: _rid, ...noRid } = claims;
    const memo: SignedTokenMemo = {};
    // A credential's first read keeps no token (most are never back: see the next test); its
    // second keeps one.
    sign(noRid, memo);
    expect(memo.api?.token).toBe('');
    const first = sign(noRid, memo);
    expect(memo.api?.token).toBe(first);
    const verify = createInternalTokenVerifier(secret, {
      purpose: 'service',
      kinds: ['api', 'atlassian-callback'],
    });
    t += (INTERNAL_TOKEN_REUSE_SECONDS - 1) * 1000;
    expect(sign(noRid, memo)).toBe(first);
    // Another kind has its own token in the same memo.
    const callback = sign({ ...noRid, kind: 'atlassian-callback' }, memo);
    expect(callback).not.toBe(first);
    expect(verify(callback).kind).toBe('atlassian-callback');
    expect(sign(noRid, memo)).toBe(first);
    // Still valid for at least 30 s when last handed out.
    const { exp } = verify(first) as InternalClaims & { exp: number };
    expect(exp - t / 1000).toBeGreaterThanOrEqual(REUSED_TOKEN_TTL_SECONDS - INTERNAL_TOKEN_REUSE_SECONDS);
    // At least as long as the router waits for an answer's headers (its upstream client's 30 s).
    expect(REUSED_TOKEN_TTL_SECONDS - INTERNAL_TOKEN_REUSE_SECONDS).toBeGreaterThanOrEqual(30);
    t += 1000;
    const fresh = sign(noRid, memo);
    expect(fresh).not.toBe(first);
    expect(verify(fresh)).toMatchObject({ ...noRid, iat: Math.floor(t / 1000) });
    // A clock that went back never hands out a token from the future.
    t -= 5000;
    expect(sign(noRid, memo)).not.toBe(fresh);
    // Without a memo nothing of it is used; a request id is never memoised.
    expect(sign(noRid)).not.toBe(first);
    expect(() => sign(claims, memo)).toThrow(/request id/);
  });

  it('gives a memo’s token 120 s and every other token 60 s, each verified by its own lifetime', () => {
    let t = Math.floor(Date.now() / 1000) * 1000 + 250;
    const at = { now: () => t };
    const { rid: _rid, ...noRid } = claims;
    const expOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).exp;
    const second = Math.floor(t / 1000);
    expect(expOf(createInternalTokenSigner(secret, 'forwarding', at)(claims)) - second).toBe(
      INTERNAL_TOKEN_TTL_SECONDS,
    );
    expect(expOf(createInternalTokenSigner(secret, 'service', at)(noRid)) - second).toBe(60); // a write's
    expect(expOf(createInternalTokenSigner(secret, 'service', at)(noRid, {})) - second).toBe(120); // a read's
    expect(() => createInternalTokenSigner(secret, 'forwarding', at)(noRid, {})).toThrow(/service tokens/);
    // Only a memo's token is read-only, and a caller cannot take the mark off (it is signed last).
    const roOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).ro;
    expect(roOf(createInternalTokenSigner(secret, 'service', at)(noRid, {}))).toBe(true);
    expect(roOf(createInternalTokenSigner(secret, 'service', at)({ ...noRid, ro: false } as never, {}))).toBe(
      true,
    );
    expect(roOf(createInternalTokenSigner(secret, 'service', at)(noRid))).toBeUndefined();
    // fast-jwt reads the clock itself: tokens signed 90 s ago.
    const verifyHop = createInternalTokenVerifier(secret, { purpose: 'forwarding', kinds: ['api'] });
    const verifyService = createInternalTokenVerifier(secret, { purpose: 'service', kinds: ['api'] });
    t = Date.now() - 90_000;
    expect(() => verifyHop(createInternalTokenSigner(secret, 'forwarding', at)(claims))).toThrow();
    expect(() => verifyService(createInternalTokenSigner(secret, 'service', at)(noRid))).toThrow();
    expect(verifyService(createInternalTokenSigner(secret, 'service', at)(noRid, {}))).toMatchObject(noRid);
    // Refused by its age (`iat`) even where its own `exp` would still admit it.
    const signAt = (ageSeconds: number, aud: string) =>
      createSigner({ key: secret, algorithm: 'HS256' })({
        ...noRid,
        iss: 'rt-router',
        aud,
        iat: Math.floor(Date.now() / 1000) - ageSeconds,
        exp: Math.floor(Date.now() / 1000) + 600,
      });
    expect(verifyService(signAt(110, 'rt-service'))).toMatchObject(noRid);
    expect(() => verifyService(signAt(130, 'rt-service'))).toThrow();
    expect(verifyHop(signAt(50, 'rt-forwarding'))).toMatchObject(noRid);
    expect(() => verifyHop(signAt(70, 'rt-forwarding'))).toThrow();
  });

  it('keeps a token in a memo only for a credential back within 90 s of its last use', () => {
    let t = Math.floor(Date.now() / 1000) * 1000 + 250;
    const sign = createInternalTokenSigner(secret, 'service', { now: () => t });
    const { rid: _rid, ...noRid } = claims;
    const memos = Array.from({ length: 10_000 }, (): SignedTokenMemo => ({}));
    const use = (i: number) => sign({ ...noRid, tid: `t-${i}` }, memos[i]);
    // 100 callers a second, each back after 100 s: a token kept for one would never be fresh again.
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < memos.length; i++) {
        if (i % 100 === 0) t += 1000;
        use(i);
      }
    expect(memos.filter((m) => m.api?.token).length).toBe(0);
    // 300 of them now come back every second: from their second read on, one token each, handed
    // out again for 90 s.
    t += 1000;
    const firstReads = Array.from({ length: 300 }, (_, i) => use(i));
    t += 1000;
    const kept = Array.from({ length: 300 }, (_, i) => use(i));
    expect(kept.every((token, i) => token !== firstReads[i] && memos[i]!.api?.token === token)).toBe(true);
    for (let second = 2; second < INTERNAL_TOKEN_REUSE_SECONDS + 1; second++) {
      t += 1000;
      for (let i = 0; i < 300; i++) expect(use(i)).toBe(kept[i]);
    }
    // Then one new token each, kept at once: they were seen within the last 90 s.
    t += 1000;
    const renewed = Array.from({ length: 300 }, (_, i) => use(i));
    expect(renewed.every((token, i) => token !== kept[i] && memos[i]!.api?.token === token)).toBe(true);
    // The others kept none: they were last seen long ago.
    expect(memos.slice(300).filter((m) => m.api?.token).length).toBe(0);
    // The cutoff: back 89 s after its last read, a caller keeps its token; 90 s after, it does not.
    const backAfter = (seconds: number) => {
      const memo: SignedTokenMemo = {};
      sign({ ...noRid, tid: 'gap' }, memo);
      t += seconds * 1000;
      sign({ ...noRid, tid: 'gap' }, memo);
      return memo.api?.token;
    };
    expect(backAfter(INTERNAL_TOKEN_REUSE_SECONDS - 1)).toBeTruthy();
    expect(backAfter(INTERNAL_TOKEN_REUSE_SECONDS)).toBe('');
    // A caller back twice within a second keeps its token from the second read on.
    const memo: SignedTokenMemo = {};
    sign({ ...noRid, tid: 'new' }, memo);
    const second = sign({ ...noRid, tid: 'new' }, memo);
    expect(sign({ ...noRid, tid: 'new' }, memo)).toBe(second);
  });
});
