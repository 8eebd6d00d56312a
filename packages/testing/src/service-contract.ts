import { createInternalTokenSigner } from '@rt/auth';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** A valid internal token for tests (tenant, region, request id). */
export function internalToken(
  secret: string,
  tenantId: string,
  region = 'EU',
  extra: { sub?: string } = {},
): string {
  return createInternalTokenSigner(secret)({ tid: tenantId, reg: region, rid: 'test-request', ...extra });
}

/**
 * The contract every service keeps (issue: foundation): `/healthz` answers, `/readyz` is green
 * when its dependencies are up, `/metrics` is Prometheus text, and any other request without a
 * valid internal token is a 401 with a JSON `code`.
 */
export async function assertServiceContract(
  app: FastifyInstance,
  options: { secret: string; probePath: string },
): Promise<void> {
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  expect(health.statusCode).toBe(200);
  expect(health.json()).toEqual({ status: 'ok' });

  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  expect(ready.json()).toMatchObject({ status: 'ready' });
  expect(ready.statusCode).toBe(200);

  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  expect(metrics.statusCode).toBe(200);
  expect(metrics.body).toContain('http_request_duration_seconds');

  const missing = await app.inject({ method: 'GET', url: options.probePath });
  expect(missing.statusCode).toBe(401);
  expect(missing.json()).toMatchObject({ code: 'INTERNAL_TOKEN_MISSING' });

  const forged = createInternalTokenSigner('x'.repeat(32))({
    tid: '00000000-0000-4000-8000-000000000000',
    reg: 'EU',
    rid: 'r',
  });
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

  const valid = internalToken(options.secret, '00000000-0000-4000-8000-000000000000');
  const ok = await app.inject({
    method: 'GET',
    url: options.probePath,
    headers: { authorization: `Bearer ${valid}` },
  });
  expect(ok.statusCode).not.toBe(401);
}
