import { type PgPool, type Statement, statement } from '@rt/db';
import { Conflict, NotFound } from '@rt/http';
import type { DocumentRepository, DocumentRow, StoredDocument } from './repository.js';
import { withTenantWrite } from './transaction.js';

/** The theme that applies to a space, and why. */
export interface ResolvedTheme {
  source: 'space' | 'default';
  theme: StoredDocument;
}

const themeNotFound = () => new NotFound('theme', 'THEME_NOT_FOUND');

/**
 * Tenant-wide theme choices: the default theme (at most one per tenant, enforced by the partial
 * unique index `themes_one_default_per_tenant`) and the theme assigned to a space. These are
 * settings about a theme, not edits of it: they neither bump its version nor add a revision.
 */
export class ThemeAssignments {
  /** {@link resolveForSpace}'s statement, named: it answers every space's theme read. */
  private readonly resolveSql: Statement;

  constructor(
    private readonly pool: PgPool,
    private readonly themes: DocumentRepository,
  ) {
    this.resolveSql = statement(
      'themes.resolve-for-space',
      `WITH assigned AS (SELECT theme_id FROM space_themes WHERE tenant_id = $1 AND space_key = $2)
       SELECT ${themes.selectColumns}, id IN (SELECT theme_id FROM assigned) AS from_space
       FROM themes
       WHERE tenant_id = $1
         AND (id IN (SELECT theme_id FROM assigned) OR (is_default AND NOT EXISTS (SELECT 1 FROM assigned)))
       LIMIT 1`,
    );
  }

  /**
   * Makes `themeId` the tenant's default. Concurrent calls of one tenant are serialised by a
   * transaction-scoped advisory lock: without it two transactions could each clear the old
   * default and the loser would hit the unique index instead of simply winning later.
   */
  async setDefault(tenantId: string, themeId: string): Promise<StoredDocument> {
    const theme = await withTenantWrite(this.pool, tenantId, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('rt.default-theme:' || $1, 0))`, [
        tenantId,
      ]);
      const { rows } = await client.query<{ scope: string }>(
        'SELECT scope FROM themes WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
        [tenantId, themeId],
      );
      if (!rows[0]) throw themeNotFound();
      if (rows[0].scope !== 'site') {
        throw new Conflict('THEME_NOT_SITE_WIDE', 'only a site-wide theme can be the default theme');
      }
      await client.query(
        'UPDATE themes SET is_default = false WHERE tenant_id = $1 AND is_default AND id <> $2',
        [tenantId, themeId],
      );
      const updated = await client.query<DocumentRow>(
        `UPDATE themes SET is_default = true WHERE tenant_id = $1 AND id = $2 RETURNING ${this.themes.selectColumns}`,
        [tenantId, themeId],
      );
      return this.themes.toDocument(updated.rows[0] as DocumentRow);
    });
    // Two themes' isDefault, the lists and resolved space themes changed.
    await this.themes.committed(tenantId);
    return theme;
  }

  /**
   * Assigns a theme to a space. The theme must be site-wide or belong to that very space; it is
   * locked so a concurrent delete cannot leave the assignment dangling.
   */
  async assignToSpace(tenantId: string, spaceKey: string, themeId: string): Promise<void> {
    await withTenantWrite(this.pool, tenantId, async (client) => {
      const { rows } = await client.query<{ scope: string }>(
        'SELECT scope FROM themes WHERE tenant_id = $1 AND id = $2 FOR KEY SHARE',
        [tenantId, themeId],
      );
      if (!rows[0]) throw themeNotFound();
      if (rows[0].scope !== 'site' && rows[0].scope !== `space:${spaceKey}`) {
        throw new Conflict('THEME_SCOPE_MISMATCH', `the theme belongs to ${rows[0].scope}`);
      }
      await client.query(
        `INSERT INTO space_themes (tenant_id, space_key, theme_id, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (tenant_id, space_key) DO UPDATE SET theme_id = EXCLUDED.theme_id, updated_at = now()`,
        [tenantId, spaceKey, themeId],
      );
    });
    await this.themes.committed(tenantId);
  }

  /** Removes a space's assignment (the space falls back to the default). Idempotent. */
  async unassignSpace(tenantId: string, spaceKey: string): Promise<void> {
    await withTenantWrite(this.pool, tenantId, (client) =>
      client.query('DELETE FROM space_themes WHERE tenant_id = $1 AND space_key = $2', [tenantId, spaceKey]),
    );
    await this.themes.committed(tenantId);
  }

  /** The space's own theme, else the tenant default, else null — in one query. */
  async resolveForSpace(tenantId: string, spaceKey: string): Promise<ResolvedTheme | null> {
    const { rows } = await this.pool.query<DocumentRow & { from_space: boolean }>({
      ...this.resolveSql,
      values: [tenantId, spaceKey],
    });
    const row = rows[0];
    if (!row) return null;
    return { source: row.from_space ? 'space' : 'default', theme: this.themes.toDocument(row) };
  }
}
