import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createRefinedToolkitClient, isApiError } from '../src/index.js';

// The shape openapi-typescript generates for two operations (the committed document may not have
// public API routes on every branch; the client is generic over it).
interface TestPaths {
  '/api/v1/layouts/{id}': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { 'application/json': { id: string; name: string } };
        };
        503: { headers: { [name: string]: unknown }; content: { 'application/json': { code: string } } };
      };
    };
    put: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: { content: { 'application/json': { name: string } } };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { 'application/json': { id: string; name: string } };
        };
      };
    };
  };
}

// Behaviour per request id: how many 503 TENANT_MIGRATING answers before the real one.
let server: FastifyInstance;
let baseUrl: string;
const seen: { method: string; authorization?: string; ifNoneMatch?: string }[] = [];
/** The version of the conditional document (id `versioned`) the server holds. */
const versioned = { version: 1 };
const script: { migratingFor: number; retryAfter?: string; code?: string } = { migratingFor: 0 };

beforeAll(async () => {
  server = Fastify();
  server.addHook('onRequest', async (request) => {
    seen.push({
      method: request.method,
      authorization: request.headers.authorization,
      ifNoneMatch: request.headers['if-none-match'],
    });
  });
  const migrating = (reply: import('fastify').FastifyReply) => {
    if (script.retryAfter !== undefined) reply.header('retry-after', script.retryAfter);
    return reply.status(503).send({
      code: script.code ?? 'TENANT_MIGRATING',
      message: 'tenant data is moving',
      requestId: 'req-503',
    });
  };
  server.get('/api/v1/layouts/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (id === 'missing') {
      return reply.status(404).send({ code: 'NOT_FOUND', message: 'layout not found', requestId: 'req-404' });
    }
    if (id === 'proxy') return reply.status(502).type('text/html').send('<html>bad gateway</html>');
    if (id === 'versioned') {
      // As the services answer: ETag = version, 304 without a body when it is current.
      const etag = `"${versioned.version}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return { id, name: `v${versioned.version}` };
    }
    if (script.migratingFor > 0) {
      script.migratingFor--;
      return migrating(reply);
    }
    return { id, name: 'Home' };
  });
  server.put('/api/v1/layouts/:id', async (_request, reply) => migrating(reply));
  await server.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/`;
});
afterAll(() => server.close());
beforeEach(() => {
  seen.length = 0;
  script.migratingFor = 0;
  script.retryAfter = undefined;
  script.code = undefined;
  versioned.version = 1;
});

const clientWith = (options: { attempts?: number; sleeps?: number[]; tokens?: string[] } = {}) => {
  let n = 0;
  return createRefinedToolkitClient<TestPaths>({
    baseUrl,
    getToken: async () => options.tokens?.[n++] ?? `token-${n++}`,
    retry: { attempts: options.attempts ?? 4, baseDelayMs: 100, maxDelayMs: 5000 },
    sleep: async (ms) => {
      options.sleeps?.push(ms);
    },
  });
};

describe('createRefinedToolkitClient', () => {
  it('sends `Authorization: JWT <token>` from the token provider, asked anew per request', async () => {
    const client = clientWith({ tokens: ['ctx-1', 'ctx-2'] });
    const first = await client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'a' } } });
    await client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'b' } } });
    expect(first.data).toEqual({ id: 'a', name: 'Home' });
    expect(seen.map((s) => s.authorization)).toEqual(['JWT ctx-1', 'JWT ctx-2']);
  });

  it('retries a read answered 503 TENANT_MIGRATING, honouring Retry-After, and returns the data', async () => {
    script.migratingFor = 2;
    script.retryAfter = '2';
    const sleeps: number[] = [];
    const client = clientWith({ sleeps });
    const { data } = await client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'x' } } });
    expect(data?.name).toBe('Home');
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([2000, 2000]);
    // A fresh token for each attempt (a 15-minute context token may expire during a long freeze).
    expect(new Set(seen.map((s) => s.authorization)).size).toBe(3);
  });

  it('retries a read answered 503 TENANT_RELOCATING (routers catching up after a migration)', async () => {
    script.migratingFor = 1;
    script.code = 'TENANT_RELOCATING';
    const sleeps: number[] = [];
    const { data } = await clientWith({ sleeps }).GET('/api/v1/layouts/{id}', {
      params: { path: { id: 'x' } },
    });
    expect(data?.name).toBe('Home');
    expect(seen).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('backs off exponentially without Retry-After and gives up after the bounded attempts', async () => {
    script.migratingFor = 100;
    const sleeps: number[] = [];
    const client = clientWith({ attempts: 4, sleeps });
    const err = await client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'x' } } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: 'TENANT_MIGRATING', requestId: 'req-503' });
    expect(seen).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    // 100, 200, 400 ms, each half-jittered into [d/2, d].
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it('caps a long Retry-After at maxDelayMs', async () => {
    script.migratingFor = 1;
    script.retryAfter = '3600';
    const sleeps: number[] = [];
    await clientWith({ sleeps }).GET('/api/v1/layouts/{id}', { params: { path: { id: 'x' } } });
    expect(sleeps).toEqual([5000]);
  });

  it('never retries a write: the freeze is surfaced at once as a typed error', async () => {
    const sleeps: number[] = [];
    const err = await clientWith({ sleeps })
      .PUT('/api/v1/layouts/{id}', { params: { path: { id: 'x' } }, body: { name: 'New' } })
      .catch((e) => e);
    expect(isApiError(err, 'TENANT_MIGRATING')).toBe(true);
    expect(seen.map((s) => s.method)).toEqual(['PUT']);
    expect(sleeps).toEqual([]);
  });

  it('surfaces error bodies as ApiError with the stable code, message and request id', async () => {
    const err = await clientWith()
      .GET('/api/v1/layouts/{id}', { params: { path: { id: 'missing' } } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      message: 'layout not found',
      requestId: 'req-404',
    });
    expect(isApiError(err, 'NOT_FOUND', 'VERSION_MISMATCH')).toBe(true);
    expect(isApiError(err, 'VERSION_MISMATCH')).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('maps an answer without an error body (a proxy page) to UNEXPECTED_RESPONSE', async () => {
    const err = await clientWith()
      .GET('/api/v1/layouts/{id}', { params: { path: { id: 'proxy' } } })
      .catch((e) => e);
    expect(err).toMatchObject({ status: 502, code: 'UNEXPECTED_RESPONSE' });
  });

  it('uses the Bearer scheme for operator or Forge tokens', async () => {
    const client = createRefinedToolkitClient<TestPaths>({
      baseUrl,
      authScheme: 'Bearer',
      getToken: () => 'op-token',
    });
    await client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'a' } } });
    expect(seen[0]?.authorization).toBe('Bearer op-token');
  });

  it('revalidates a GET it holds with If-None-Match and hands a 304 back as the kept answer', async () => {
    const client = clientWith();
    const read = () => client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'versioned' } } });
    const first = await read();
    expect(first.data).toEqual({ id: 'versioned', name: 'v1' });
    const second = await read();
    expect(second.response.status).toBe(200);
    expect(second.data).toEqual({ id: 'versioned', name: 'v1' });
    expect(second.response.headers.get('etag')).toBe('"1"');
    // The server changes: the tag no longer matches and the new answer replaces the kept one.
    versioned.version = 2;
    expect((await read()).data).toEqual({ id: 'versioned', name: 'v2' });
    expect((await read()).data).toEqual({ id: 'versioned', name: 'v2' });
    expect(seen.map((s) => s.ifNoneMatch)).toEqual([undefined, '"1"', '"1"', '"2"']);
  });

  it('keeps no answer without an ETag, none of another client, and none when disabled', async () => {
    const client = clientWith();
    await client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'plain' } } });
    await client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'plain' } } });
    await client.GET('/api/v1/layouts/{id}', { params: { path: { id: 'versioned' } } });
    // Another client (another site or user) starts with an empty memory.
    await clientWith().GET('/api/v1/layouts/{id}', { params: { path: { id: 'versioned' } } });
    const off = createRefinedToolkitClient<TestPaths>({ baseUrl, getToken: () => 't', cache: false });
    await off.GET('/api/v1/layouts/{id}', { params: { path: { id: 'versioned' } } });
    await off.GET('/api/v1/layouts/{id}', { params: { path: { id: 'versioned' } } });
    expect(seen.map((s) => s.ifNoneMatch)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
