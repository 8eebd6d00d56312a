import type { Authorize } from '@rt/auth';
import {
  contentEtag,
  type DocumentReadCache,
  documentSchemas,
  errorResponses,
  IfNoneMatchHeaders,
  NotModified,
  renderDocument,
  SpaceKey,
  sendCachedRead,
  type ThemeAssignments,
  themeKind,
  Uuid,
} from '@rt/documents';
import { NotFound } from '@rt/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

const Params = Type.Object({ spaceKey: SpaceKey }, { additionalProperties: false });
const Assignment = Type.Object({ spaceKey: Type.String(), themeId: Uuid });

/**
 * The theme of a Confluence space: `PUT` assigns one, `DELETE` removes the assignment, `GET`
 * resolves space → tenant default (`source` says which applied).
 */
export async function spaceThemeRoutes(
  app: FastifyInstance,
  options: { assignments: ThemeAssignments; authorize: Authorize; cache?: DocumentReadCache },
): Promise<void> {
  const { assignments, authorize, cache } = options;
  const { Document } = documentSchemas(themeKind);
  const path = '/api/v1/spaces/:spaceKey/theme';
  const tags = ['themes'];

  app.put(
    path,
    {
      schema: {
        tags,
        summary: 'Assign a theme to a space',
        params: Params,
        body: Type.Object({ themeId: Uuid }, { additionalProperties: false }),
        response: { 200: Assignment, ...errorResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) => {
      const { spaceKey } = request.params as { spaceKey: string };
      const { themeId } = request.body as { themeId: string };
      await authorize(request, {
        action: 'assign-space-theme',
        resource: 'space-theme',
        scope: `space:${spaceKey}`,
      });
      await assignments.assignToSpace(request.tenant.tenantId, spaceKey, themeId);
      return { spaceKey, themeId: themeId.toLowerCase() };
    },
  );

  app.delete(
    path,
    {
      schema: {
        tags,
        summary: "Remove a space's theme (it falls back to the default)",
        params: Params,
        response: {
          204: Type.Null({ description: 'removed (or there was none)' }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { spaceKey } = request.params as { spaceKey: string };
      await authorize(request, {
        action: 'unassign-space-theme',
        resource: 'space-theme',
        scope: `space:${spaceKey}`,
      });
      await assignments.unassignSpace(request.tenant.tenantId, spaceKey);
      return reply.status(204).send();
    },
  );

  app.get(
    path,
    {
      schema: {
        tags,
        summary: "The theme that applies to a space: its own, else the tenant's default (conditional)",
        params: Params,
        headers: IfNoneMatchHeaders,
        response: {
          200: {
            ...Type.Object({
              spaceKey: Type.String(),
              source: Type.Union([Type.Literal('space'), Type.Literal('default')]),
              theme: Document,
            }),
            headers: { ETag: { type: 'string', description: 'digest of the answer' } },
          },
          304: NotModified,
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { spaceKey } = request.params as { spaceKey: string };
      const tenantId = request.tenant.tenantId;
      // Cached with the tenant's themes: any theme write, default change or (un)assignment of
      // the tenant drops it, as does a tenant-level change.
      return sendCachedRead(
        request,
        reply,
        cache,
        { tenantId, kind: 'theme', key: `space\u0000${spaceKey}` },
        async () => {
          const resolved = await assignments.resolveForSpace(tenantId, spaceKey);
          if (!resolved) return null;
          const body = `{"spaceKey":${JSON.stringify(spaceKey)},"source":"${resolved.source}","theme":${renderDocument(resolved.theme)}}`;
          return { etag: contentEtag(body), body };
        },
        () => new NotFound('theme for this space', 'THEME_NOT_RESOLVED'),
      );
    },
  );
}
