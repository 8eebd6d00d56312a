import swagger from '@fastify/swagger';
import { allowAllWritesForTests, internalAuthPlugin } from '@rt/auth';
import { createPgPool } from '@rt/db';
import { createServiceApp } from '@rt/http';
import { describe, expect, it } from 'vitest';
import { layoutServiceRoutes } from '../src/app.js';

// Every route declares TypeBox schemas for params, query, body and each response status, so an
// OpenAPI document can be generated with @fastify/swagger (registered before the routes, as it
// collects them). Nothing connects to a database here.
describe('OpenAPI', () => {
  it('generates a document in which every operation has a success and an error response', async () => {
    const pool = createPgPool({ url: 'postgresql://postgres@127.0.0.1:5432/unused', poolSize: 1 });
    const app = createServiceApp({ name: 'layout', logLevel: 'silent' });
    await app.register(swagger, { openapi: { info: { title: 'layout', version: '1' } } });
    await app.register(internalAuthPlugin, { secret: 's'.repeat(40), kinds: ['api'] });
    await app.register(layoutServiceRoutes, { pool, authorize: allowAllWritesForTests });
    await app.ready();
    const document = app.swagger() as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    await app.close();
    await pool.end();
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ id: `${method} ${path}`, op })),
      );
    expect(operations.map((o) => o.id).sort()).toEqual([
      'delete /api/v1/layouts/{id}',
      'get /api/v1/export',
      'get /api/v1/layouts',
      'get /api/v1/layouts/{id}',
      'get /api/v1/layouts/{id}/revisions',
      'post /api/v1/layouts',
      'post /api/v1/layouts/{id}/revisions/{version}/restore',
      'put /api/v1/layouts/{id}',
    ]);
    for (const { id, op } of operations) {
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => s.startsWith('2')),
        id,
      ).toBe(true);
      expect(statuses, id).toContain('401');
    }
  });
});
