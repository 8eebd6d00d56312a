import type { AddressInfo } from 'node:net';
import { fakeOpsApi, mintFakeOperatorToken } from '@rt/ops-console';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRefinedToolkitClient, isApiError } from '../src/index.js';

// The client typed by the committed document (default type parameter), against an app that
// serves the documented operator routes.
const secret = 'client-ops-test-secret';
const server = Fastify();
let baseUrl: string;

beforeAll(async () => {
  await server.register(fakeOpsApi, { prefix: '/ops/v1', secret });
  await server.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const client = (role: 'viewer' | 'migrator') =>
  createRefinedToolkitClient({
    baseUrl,
    authScheme: 'Bearer',
    getToken: () => mintFakeOperatorToken(secret, `${role}-1`, role),
  });

describe('typed client on the documented ops API', () => {
  it('reads and writes with the generated types', async () => {
    const { data: tenants } = await client('viewer').GET('/ops/v1/tenants', {
      params: { query: { limit: 10 } },
    });
    const demo = tenants?.items.find((t) => t.clientKey === 'demo-eu');
    expect(demo?.homeRegion).toBe('EU');
    const { data: started, response } = await client('migrator').POST('/ops/v1/migrations', {
      body: { clientKey: 'demo-eu', targetRegion: 'US', autoCommit: false },
    });
    expect(response.status).toBe(202);
    expect(started?.state).toBe('scheduled');
    const { data: again } = await client('viewer').GET('/ops/v1/migrations/{id}', {
      params: { path: { id: started!.id } },
    });
    expect(again?.events.length).toBeGreaterThan(0);
  });

  it('rejects a role that may not act with a typed error', async () => {
    const err = await client('viewer')
      .POST('/ops/v1/migrations', { body: { clientKey: 'demo-us', targetRegion: 'EU', autoCommit: true } })
      .catch((e) => e);
    expect(isApiError(err, 'OPERATOR_ROLE_REQUIRED')).toBe(true);
    expect(err.status).toBe(403);
  });
});
