import type { PgPool } from '@rt/db';
import { EXPORT_FORMAT_VERSION, errorResponses, exportTenant } from '@rt/documents';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

const Export = Type.Object(
  {
    format: Type.Literal('refined-toolkit-export'),
    formatVersion: Type.Literal(EXPORT_FORMAT_VERSION),
    exportedAt: Type.String({ format: 'date-time' }),
    layouts: Type.Array(Type.Object({}, { additionalProperties: true, description: 'layout document' })),
    themes: Type.Array(Type.Object({}, { additionalProperties: true, description: 'theme document' })),
    spaceThemes: Type.Array(Type.Object({ spaceKey: Type.String(), themeId: Type.String() })),
    assets: Type.Array(
      Type.Object({
        id: Type.String(),
        sha256: Type.String(),
        mediaType: Type.String(),
        size: Type.Integer(),
        width: Type.Union([Type.Integer(), Type.Null()]),
        height: Type.Union([Type.Integer(), Type.Null()]),
        createdAt: Type.String({ format: 'date-time' }),
      }),
    ),
  },
  { description: 'everything the tenant stored in its home region' },
);

/**
 * `GET /api/v1/export`: the tenant's layouts, themes, space assignments and asset manifest as
 * one JSON document (customers ask for it before they leave; the migration worker reuses it).
 */
export async function exportRoutes(app: FastifyInstance, options: { pool: PgPool }): Promise<void> {
  app.get(
    '/api/v1/export',
    {
      schema: {
        tags: ['export'],
        summary: "Export the tenant's documents and asset manifest",
        response: { 200: Export, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const body = await exportTenant(options.pool, request.tenant.tenantId);
      return reply
        .type('application/json')
        .header('content-disposition', 'attachment; filename="refined-toolkit-export.json"')
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
}
