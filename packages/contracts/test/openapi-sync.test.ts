import { readFile } from 'node:fs/promises';
import { createLogger, createServiceApp } from '@rt/http';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { generateContract } from '../scripts/generate-openapi.js';
import { buildOpenApiDocument, collectingApp, type OpenApiSource } from '../src/server/index.js';

describe('committed contract', () => {
  it('matches what the route schemas generate (run `npm run openapi -w @rt/contracts` after changing routes)', async () => {
    const { document, types } = await generateContract();
    const committed = await readFile(new URL('../openapi.json', import.meta.url), 'utf8');
    const committedTypes = await readFile(new URL('../src/openapi-types.ts', import.meta.url), 'utf8');
    // Compared parsed first for a readable diff, then byte for byte (key order, formatting).
    expect(JSON.parse(committed)).toEqual(JSON.parse(document));
    expect(committed).toBe(document);
    expect(committedTypes).toBe(types);
  });
});

const source = (name: string, paths: string[], include = (_: string) => true): OpenApiSource => ({
  name,
  include,
  build: () =>
    collectingApp((app) => {
      for (const path of paths) {
        app.get(
          path,
          {
            schema: {
              response: {
                200: Type.Object({ ok: Type.Boolean() }),
                404: Type.Object({ code: Type.String() }),
              },
            },
          },
          async () => ({ ok: true }),
        );
      }
    }),
});

describe('buildOpenApiDocument', () => {
  it('merges included paths of every source with tags, operation ids and security by API', async () => {
    const doc = await buildOpenApiDocument([
      source('layouts', ['/api/v1/layouts', '/internal/x']),
      source('ops', ['/ops/v1/tenants/:clientKey']),
    ]);
    // /healthz and /metrics of the service skeleton are never part of the contract.
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/layouts', '/internal/x', '/ops/v1/tenants/{clientKey}']);
    expect(doc.paths['/api/v1/layouts']?.get).toMatchObject({
      operationId: 'getApiV1Layouts',
      tags: ['layouts'],
      security: [{ connectJwt: [] }, { forgeInvocationToken: [] }],
    });
    expect(doc.paths['/ops/v1/tenants/{clientKey}']?.get).toMatchObject({
      operationId: 'getOpsV1TenantsByClientKey',
      security: [{ operatorToken: [] }],
    });
    expect(doc.paths['/internal/x']?.get?.security).toBeUndefined();
    expect(Object.keys(doc.components.securitySchemes ?? {})).toEqual([
      'connectJwt',
      'forgeInvocationToken',
      'operatorToken',
    ]);
  });

  it('filters with include and refuses an operation defined by two sources', async () => {
    const doc = await buildOpenApiDocument([
      source('a', ['/api/v1/a', '/api/v1/b'], (p) => p === '/api/v1/a'),
    ]);
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/a']);
    await expect(
      buildOpenApiDocument([source('a', ['/api/v1/same']), source('b', ['/api/v1/same'])]),
    ).rejects.toThrow(/GET \/api\/v1\/same is defined by both "a" and "b"/);
  });

  it('names a source built without the collector', async () => {
    const bare: OpenApiSource = {
      name: 'bare',
      include: () => true,
      build: async () => createServiceApp({ name: 'bare', logger: createLogger('bare', 'silent') }) as never,
    };
    await expect(buildOpenApiDocument([bare])).rejects.toThrow(/source "bare".*openApiCollector/);
  });
});
