import type { Authorize } from '@rt/auth';
import type { PgPool, RegionalDb } from '@rt/db';
import { withTenantWrite } from '@rt/documents';
import { ErrorBody } from '@rt/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/** Options of {@link settingsRoutes}. */
export interface SettingsRoutesOptions {
  db: RegionalDb;
  /** Pool of the same database: the settings are written through the tenant's write fence. */
  pool: PgPool;
  /** The permission check (`authorizeThroughRouter` of `@rt/confluence` in production). */
  authorize: Authorize;
}

/** Site settings of a tenant; a tenant without a row has the defaults. */
export const SiteSettings = Type.Object(
  {
    /** Whether space administrators may create space-local themes. */
    allowSpaceThemes: Type.Boolean(),
  },
  { additionalProperties: false, title: 'SiteSettings' },
);

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorBody]));

/** Reads a tenant's `allowSpaceThemes` (false without a settings row): the rules' input. */
export function allowSpaceThemesOf(db: RegionalDb): (tenantId: string) => Promise<boolean> {
  return async (tenantId) => {
    const row = await db.tenantSettings.findUnique({
      where: { tenantId },
      select: { allowSpaceThemes: true },
    });
    return row?.allowSpaceThemes ?? false;
  };
}

/**
 * `GET /api/v1/settings` (every user of the tenant) and `PUT /api/v1/settings` (Confluence
 * administrators only: scope `site`, resource `settings`).
 */
export async function settingsRoutes(app: FastifyInstance, options: SettingsRoutesOptions): Promise<void> {
  const { db, pool, authorize } = options;
  const read = allowSpaceThemesOf(db);

  app.get(
    '/api/v1/settings',
    {
      schema: {
        tags: ['settings'],
        summary: "The site's settings",
        response: { 200: SiteSettings, ...errors(401) },
      },
    },
    async (request) => ({ allowSpaceThemes: await read(request.tenant.tenantId) }),
  );

  app.put(
    '/api/v1/settings',
    {
      schema: {
        tags: ['settings'],
        summary: "Change the site's settings (Confluence administrators)",
        body: SiteSettings,
        response: { 200: SiteSettings, ...errors(400, 401, 403, 415, 503) },
      },
    },
    async (request) => {
      const { tenantId } = request.tenant;
      await authorize(request, { action: 'update', resource: 'settings', scope: 'site' });
      const { allowSpaceThemes } = request.body as { allowSpaceThemes: boolean };
      // Raw SQL in a fenced transaction (503 TENANT_MIGRATING while the site moves region).
      const row = await withTenantWrite(pool, tenantId, async (client) => {
        const { rows } = await client.query<{ allow_space_themes: boolean }>(
          `INSERT INTO tenant_settings (tenant_id, allow_space_themes, updated_at) VALUES ($1, $2, now())
           ON CONFLICT (tenant_id) DO UPDATE SET allow_space_themes = EXCLUDED.allow_space_themes, updated_at = now()
           RETURNING allow_space_themes`,
          [tenantId, allowSpaceThemes],
        );
        return rows[0] as { allow_space_themes: boolean };
      });
      return { allowSpaceThemes: row.allow_space_themes };
    },
  );
}
