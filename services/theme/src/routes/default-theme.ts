import type { Authorize } from '@rt/auth';
import {
  documentSchemas,
  errorResponses,
  IdParams,
  sendDocument,
  type ThemeAssignments,
  themeKind,
} from '@rt/documents';
import type { FastifyInstance } from 'fastify';

/** `PUT /api/v1/themes/:id/default`: makes a site-wide theme the tenant's default. */
export async function defaultThemeRoutes(
  app: FastifyInstance,
  options: { assignments: ThemeAssignments; authorize: Authorize },
): Promise<void> {
  const { Document } = documentSchemas(themeKind);
  app.put(
    '/api/v1/themes/:id/default',
    {
      schema: {
        tags: ['themes'],
        summary: "Make a theme the tenant's default (the previous default stops being one)",
        params: IdParams,
        response: { 200: Document, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      // The default theme is a site-wide setting whatever the theme: a site-level permission.
      await options.authorize(request, { action: 'set-default-theme', resource: 'theme', scope: 'site' });
      return sendDocument(reply, await options.assignments.setDefault(request.tenant.tenantId, id));
    },
  );
}
