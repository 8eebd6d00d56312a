import { createInternalTokenSigner, type RouteKind } from '@rt/auth';
import { startMetricsListener } from '@rt/http';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** A valid router → service token for tests (tenant, region, request id; route kind `api` by default). */
export function internalToken(
  secret: string,
  tenantId: string,
  region = 'EU',
  extra: { sub?: string; kind?: RouteKind } = {},
): string {
  return createInternalTokenSigner(
    secret,
    'service',
  )({
    tid: tenantId,
    reg: region,
    rid: 'test-request',
    kind: 'api',
    ...extra,
  });
}

/**
 * The contract every service keeps (issue: foundation): `/healthz` answers, `/readyz` is green
 * when its dependencies are up, `/metrics` is Prometheus text on the private metrics listener only
 * (never on the app's port), and any other request without a
 * valid internal token is a 401 with a JSON `code`.
 */
export async function assertServiceContract(
  app: FastifyInstance,
  options: { secret: string; probePath: string; kind?: RouteKind },
): Promise<void> {
  const kind = options.kind ?? 'api';
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  expect(health.statusCode).toBe(200);
  expect(health.json()).toEqual({ status: 'ok' });

  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  expect(ready.json()).toMatchObject({ status: 'ready' });
  expect(ready.statusCode).toBe(200);

  // Metrics are served on a private listener only, never on the service's own port.
  const onAppPort = await app.inject({ method: 'GET', url: '/metrics' });
  expect([401, 404]).toContain(onAppPort.statusCode);
  const listener = await startMetricsListener(app, { host: '127.0.0.1', port: 0 });
  try {
    const metrics = await fetch(`${listener.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_request_duration_seconds');
  } finally {
    await listener.close();
  }

  const missing = await app.inject({ method: 'GET', url: options.probePath });
  expect(missing.statusCode).toBe(401);
  expect(missing.json()).toMatchObject({ code: 'INTERNAL_TOKEN_MISSING' });

  const tid = '00000000-0000-4000-8000-000000000000';
  const forged = createInternalTokenSigner('x'.repeat(32), 'service')({ tid, reg: 'EU', rid: 'r', kind });
  const invalid = await app.inject({
    method: 'GET',
    url: options.probePath,
    headers: { authorization: `Bearer ${forged}` },
  });
  expect(invalid.statusCode).toBe(401);
  expect(invalid.json()).toMatchObject({ code: 'INTERNAL_TOKEN_INVALID' });

  const notBearer = await app.inject({
    method: 'GET',
    url: options.probePath,
    headers: { authorization: 'JWT abc' },
  });
  expect(notBearer.statusCode).toBe(401);

  // Tokens minted for another purpose or another kind of route never stand in for this one.
  const forwarding = createInternalTokenSigner(
    options.secret,
    'forwarding',
  )({ tid, reg: 'EU', rid: 'r', kind });
  const otherKind = internalToken(options.secret, tid, 'EU', {
    kind: kind === 'api' ? 'atlassian-callback' : 'api',
  });
  for (const token of [forwarding, otherKind]) {
    const refused = await app.inject({
      method: 'GET',
      url: options.probePath,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'INTERNAL_TOKEN_INVALID' });
  }

  const valid = internalToken(options.secret, tid, 'EU', { kind });
  const ok = await app.inject({
    method: 'GET',
    url: options.probePath,
    headers: { authorization: `Bearer ${valid}` },
  });
  expect(ok.statusCode).not.toBe(401);
}
