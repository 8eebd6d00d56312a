import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loggerOptions } from '@rt/http';
import { mintConnectToken } from '@rt/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLogFileName, DailyFileAccessLog } from '../src/access-log/access-log.js';
import {
  buildRouter,
  createFixture,
  type Fixture,
  lifecyclePayload,
  postLifecycle,
  routerConfig,
} from './harness.js';

describe('hardening: headers, CORS, rate limit, body limits, logs', () => {
  let fx: Fixture;
  let app: Awaited<ReturnType<typeof buildRouter>>;
  let encryptionKey: string;
  const logLines: string[] = [];
  const tenants = [
    { clientKey: 'hard-a', secret: 'h'.repeat(40) },
    { clientKey: 'hard-b', secret: 'k'.repeat(40) },
  ];
  const token = (i = 0, extra: Record<string, unknown> = {}) =>
    mintConnectToken({
      sharedSecret: tenants[i]!.secret,
      clientKey: tenants[i]!.clientKey,
      context: true,
      ...extra,
    });

  beforeAll(async () => {
    fx = await createFixture('hardening');
    const logger = pino(
      { ...loggerOptions('router', 'debug') },
      { write: (line: string) => void logLines.push(line) },
    );
    const config = routerConfig(fx, 'EU', {
      CORS_ORIGINS: 'https://front.example.test',
      RATE_LIMIT_PER_MINUTE: '5',
      BODY_LIMIT_BYTES: '2048',
      UPLOAD_LIMIT_BYTES: '65536',
    });
    encryptionKey = config.encryptionKey;
    app = await buildRouter(fx, config, { logger: logger as never });
    for (const t of tenants) {
      expect(
        (await postLifecycle(app, fx, 'installed', lifecyclePayload(t.clientKey, 'installed', t.secret)))
          .statusCode,
      ).toBe(204);
    }
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  it("sends OWASP's security headers for API responses on proxied responses", async () => {
    const res = await app.inject({ url: '/api/v1/settings', headers: { authorization: `JWT ${token(1)}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    // Headers of documents are the documents' own (pages, images): not on every JSON answer.
    expect(res.headers['referrer-policy']).toBeUndefined();
    expect(res.headers['cross-origin-resource-policy']).toBeUndefined();
  });

  it('allows CORS for configured origins only', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/v1/layouts',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await preflight('https://front.example.test');
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://front.example.test');
    const evil = await preflight('https://evil.example.test');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers no CORS at all when no origin is configured', async () => {
    const closed = await buildRouter(fx, routerConfig(fx, 'EU', { ENCRYPTION_KEY: encryptionKey }));
    try {
      const origin = 'https://front.example.test';
      const preflight = await closed.inject({
        method: 'OPTIONS',
        url: '/api/v1/layouts',
        headers: { origin, 'access-control-request-method': 'PUT' },
      });
      expect(preflight.statusCode).toBe(404);
      // A public route: the tenants' budgets (5 a minute here) are the other tests'.
      const res = await closed.inject({ url: '/healthz', headers: { origin } });
      expect(res.statusCode).toBe(200);
      for (const r of [preflight, res]) {
        expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
        expect(String(r.headers.vary ?? '')).not.toMatch(/origin/i);
        expect(r.headers['x-content-type-options']).toBe('nosniff');
      }
    } finally {
      await closed.close();
    }
  });

  it('rate-limits per tenant (429 RATE_LIMITED), other tenants unaffected', async () => {
    // The budget is counted in fixed one-minute windows: this test and the next count in one.
    await awayFromWindowEnd();
    const statuses: number[] = [];
    const budget: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 6; i++) {
      const res = await app.inject({ url: '/api/v1/themes', headers: { authorization: `JWT ${token(0)}` } });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json().code).toBe('RATE_LIMITED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      budget.push({
        near: res.headers['x-ratelimit-nearlimit'],
        limit: res.headers['x-ratelimit-limit'],
        remaining: res.headers['x-ratelimit-remaining'],
        reset: res.headers['x-ratelimit-reset'] === undefined ? undefined : 'set',
      });
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // As Atlassian's APIs do: nothing while 20% of the budget or more remains (here 5 a minute:
    // 4, 3, 2 and 1 left), then the near-limit flag with the budget itself.
    const quiet = { near: undefined, limit: undefined, remaining: undefined, reset: undefined };
    const near = { near: 'true', limit: '5', remaining: '0', reset: 'set' };
    expect(budget).toEqual([quiet, quiet, quiet, quiet, near, near]);
    // One budget per tenant across routes, not per route.
    const otherRoute = await app.inject({
      url: '/api/v1/layouts',
      headers: { authorization: `JWT ${token(0)}` },
    });
    expect(otherRoute.statusCode).toBe(429);
    const other = await app.inject({ url: '/api/v1/themes', headers: { authorization: `JWT ${token(1)}` } });
    expect(other.statusCode).toBe(200);
    // Atlassian's own calls for the same site are not the front end's budget: a residency hook
    // refused because the site's users are busy would fail its data residency move.
    for (let i = 0; i < 7; i++) {
      const url = `/dare-migration/status?migrationId=m-${i}`;
      const hook = await app.inject({
        url,
        headers: { authorization: `JWT ${token(0, { context: false, method: 'GET', url })}` },
      });
      expect(hook.statusCode, hook.body).toBe(200);
      expect(hook.headers['x-ratelimit-remaining']).toBeUndefined();
    }
  });

  it('shares the tenant budget between router instances through Redis', async () => {
    const second = await buildRouter(
      fx,
      routerConfig(fx, 'EU', { RATE_LIMIT_PER_MINUTE: '5', ENCRYPTION_KEY: encryptionKey }),
    );
    try {
      // Tenant 0 used its 5 on the first instance (previous test); the second instance learns the
      // region-wide count with its first flush and refuses from then on.
      // Without sharing, the second instance would admit 5 more requests before refusing.
      let admitted = 0;
      let status = 0;
      for (let i = 0; i < 5; i++) {
        status = (
          await second.inject({ url: '/api/v1/themes', headers: { authorization: `JWT ${token(0)}` } })
        ).statusCode;
        if (status === 429) break;
        admitted++;
        await new Promise((r) => setTimeout(r, 80)); // > one flush interval (50 ms)
      }
      expect(admitted).toBeLessThanOrEqual(1);
      expect(status).toBe(429);
    } finally {
      await second.close();
    }
  });

  it('enforces body limits before anything reaches a service, with or without Content-Length', async () => {
    const calls = fx.upstream.calls.length;
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/layouts',
      headers: { authorization: `JWT ${token(1)}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ x: 'y'.repeat(4000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
    expect(fx.upstream.calls.length).toBe(calls);

    const chunked = await app.inject({
      method: 'POST',
      url: '/api/v1/layouts',
      headers: { authorization: `JWT ${token(1)}`, 'content-type': 'application/json' },
      payload: Readable.from([Buffer.alloc(1500, 32), Buffer.alloc(1500, 32)]),
    });
    expect(chunked.statusCode).toBe(413);

    const upload = await app.inject({
      method: 'POST',
      url: '/api/v1/assets',
      headers: { authorization: `JWT ${token(1)}`, 'content-type': 'image/png' },
      payload: Buffer.alloc(10_000, 1),
    });
    expect(upload.statusCode).toBe(200);
    expect(upload.json().bytes).toBe(10_000);
  });

  it('writes the access log with IP and tenant, and no other log line carries an IP or a token', async () => {
    const t = token(1);
    const res = await app.inject({ url: `/api/v1/layouts/abc?jwt=${t}`, remoteAddress: '198.51.100.23' });
    expect(res.statusCode).toBe(200);
    await app.inject({
      url: '/api/v1/layouts',
      headers: { authorization: `JWT ${t}x` },
      remoteAddress: '198.51.100.23',
    });
    const tenant = await fx.db.tenant.findUniqueOrThrow({ where: { clientKey: 'hard-b' } });
    const entry = app.accessLog.entries.find((e) => e.ip === '198.51.100.23' && e.status === 200);
    expect(entry).toMatchObject({ method: 'GET', route: '/api/v1/layouts/*', tenantId: tenant.id });
    expect(Number.isNaN(Date.parse(entry!.time))).toBe(false);
    expect(typeof entry!.durationMs).toBe('number');
    expect(JSON.stringify(app.accessLog.entries)).not.toContain(t);

    const logs = logLines.join('');
    // The access log is the router's request log; no second line per request.
    expect(logs).not.toContain('request completed');
    expect(logs).not.toContain('198.51.100.23');
    expect(logs).not.toContain(t);
    for (const s of tenants) expect(logs).not.toContain(s.secret);
  });

  it('writes daily JSON-lines files named by UTC day', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rt-access-'));
    let now = new Date('2026-03-01T23:59:59Z');
    const log = new DailyFileAccessLog(dir, () => now);
    const line = {
      time: now.toISOString(),
      method: 'GET',
      route: '/x',
      status: 200,
      durationMs: 1,
      ip: '192.0.2.1',
      tenantId: null,
      requestId: 'r',
    };
    log.write(line);
    now = new Date('2026-03-02T00:00:01Z');
    log.write({ ...line, time: now.toISOString() });
    await log.close();
    expect(accessLogFileName(new Date('2026-03-01T12:00:00Z'))).toBe('access-2026-03-01.log');
    const day1 = (await readFile(join(dir, 'access-2026-03-01.log'), 'utf8')).trim().split('\n');
    const day2 = (await readFile(join(dir, 'access-2026-03-02.log'), 'utf8')).trim().split('\n');
    expect(day1.map((l) => JSON.parse(l).ip)).toEqual(['192.0.2.1']);
    expect(day2).toHaveLength(1);
    await rm(dir, { recursive: true, force: true });
  });

  it('answers unknown paths with 404 without calling a service', async () => {
    const calls = fx.upstream.calls.length;
    const res = await app.inject({
      url: '/api/v1/nothing-here',
      headers: { authorization: `JWT ${token(1)}` },
    });
    expect(res.statusCode).toBe(404);
    expect(fx.upstream.calls.length).toBe(calls);
  });
});

describe('access log on stdout (containers)', () => {
  it('writes one JSON line per entry, marked as access log', async () => {
    const { PassThrough } = await import('node:stream');
    const { StreamAccessLog } = await import('../src/access-log/access-log.js');
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => {
      text += d;
    });
    const log = new StreamAccessLog(out);
    log.write({
      time: '2026-11-25T00:00:00.000Z',
      method: 'GET',
      route: '/api/v1/layouts',
      status: 200,
      durationMs: 3,
      ip: '203.0.113.9',
      tenantId: null,
      requestId: 'r1',
    });
    await log.close();
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toMatchObject({ log: 'access', ip: '203.0.113.9', route: '/api/v1/layouts' });
  });
});

describe('access log lines', () => {
  it('are exactly the JSON of their entry, whatever a client put in the request id or address', async () => {
    const { accessLogJson } = await import('../src/access-log/access-log.js');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.record({
          time: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          method: fc.constantFrom('GET', 'POST', 'DELETE'),
          route: fc.string(),
          status: fc.integer({ min: 100, max: 599 }),
          durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => Math.round(n * 100) / 100),
          ip: fc.string({ unit: 'binary' }),
          tenantId: fc.option(fc.uuid(), { nil: null }),
          requestId: fc.string({ unit: 'binary' }),
        }),
        (entry) => {
          expect(accessLogJson(entry)).toBe(JSON.stringify(entry));
          expect(accessLogJson(entry, '"log":"access",')).toBe(JSON.stringify({ log: 'access', ...entry }));
        },
      ),
      { numRuns: 500 },
    );
  });
});

/**
 * Waits for the next minute when less than 10 s of this one are left: the rate limit counts in
 * fixed one-minute windows, and a run straddling a boundary (a loaded machine) starts from zero.
 */
async function awayFromWindowEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 10_000) await new Promise((r) => setTimeout(r, left + 50));
}
