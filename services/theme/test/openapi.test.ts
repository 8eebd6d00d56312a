import swagger from '@fastify/swagger';
import { allowAllWritesForTests, internalAuthPlugin } from '@rt/auth';
import { createPgPool, createRegionalClient } from '@rt/db';
import { createServiceApp } from '@rt/http';
import { describe, expect, it } from 'vitest';
import { themeServiceRoutes } from '../src/app.js';

// Every route declares TypeBox schemas for params, query, body and each response status, so an
// OpenAPI document can be generated with @fastify/swagger (registered before the routes, as it
// collects them). Nothing connects to a database here.
describe('OpenAPI', () => {
  it('generates a document in which every operation has a success and an error response', async () => {
    const pool = createPgPool({ url: 'postgresql://postgres@127.0.0.1:5432/unused', poolSize: 1 });
    const app = createServiceApp({ name: 'theme', logLevel: 'silent' });
    await app.register(swagger, { openapi: { info: { title: 'theme', version: '1' } } });
    await app.register(internalAuthPlugin, { secret: 's'.repeat(40), kinds: ['api'] });
    await app.register(themeServiceRoutes, {
      authorize: allowAllWritesForTests,
      pool,
      db: createRegionalClient({ url: 'postgresql://u@127.0.0.1:1/unused', poolSize: 1 }),
    });
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
      'delete /api/v1/spaces/{spaceKey}/theme',
      'delete /api/v1/themes/{id}',
      'get /api/v1/settings',
      'get /api/v1/spaces/{spaceKey}/theme',
      'get /api/v1/themes',
      'get /api/v1/themes/{id}',
      'get /api/v1/themes/{id}/export',
      'get /api/v1/themes/{id}/revisions',
      'post /api/v1/themes',
      'post /api/v1/themes/import',
      'post /api/v1/themes/{id}/copy',
      'post /api/v1/themes/{id}/revisions/{version}/restore',
      'put /api/v1/settings',
      'put /api/v1/spaces/{spaceKey}/theme',
      'put /api/v1/themes/{id}',
      'put /api/v1/themes/{id}/default',
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
