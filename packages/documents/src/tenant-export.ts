import type { PgPool } from '@rt/db';
import { type DocumentKind, layoutKind, themeKind } from './document-kind.js';
import { renderDocument } from './render.js';
import { DocumentRepository, type DocumentRow } from './repository.js';

/** Version of the export format; bump on incompatible change (the migration worker reads it). */
export const EXPORT_FORMAT_VERSION = 1;

interface AssetRow {
  id: string;
  sha256: string;
  media_type: string;
  size: number;
  width: number | null;
  height: number | null;
  created_at: Date;
}

/**
 * Everything a tenant stored, as one JSON document: layouts, themes (with the default flag),
 * space assignments, and the asset manifest (metadata and sha256; the images themselves are at
 * `tenants/{tenantId}/assets/{sha256}` in the region's bucket). Read in one REPEATABLE READ
 * snapshot so the parts are consistent with each other. Documents are spliced in as stored.
 */
export async function exportTenant(pool: PgPool, tenantId: string, now = new Date()): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const documents = async (kind: DocumentKind) => {
      const repository = new DocumentRepository(pool, kind);
      const { rows } = await client.query<DocumentRow>(
        `SELECT ${repository.selectColumns} FROM ${kind.table} WHERE tenant_id = $1 ORDER BY id`,
        [tenantId],
      );
      return rows.map((r) => renderDocument(repository.toDocument(r)));
    };
    const layouts = await documents(layoutKind);
    const themes = await documents(themeKind);
    const spaces = await client.query<{ space_key: string; theme_id: string }>(
      'SELECT space_key, theme_id FROM space_themes WHERE tenant_id = $1 ORDER BY space_key',
      [tenantId],
    );
    const assets = await client.query<AssetRow>(
      `SELECT id, sha256, media_type, size, width, height, created_at FROM assets WHERE tenant_id = $1 ORDER BY id`,
      [tenantId],
    );
    await client.query('COMMIT');
    const head = {
      format: 'refined-toolkit-export',
      formatVersion: EXPORT_FORMAT_VERSION,
      exportedAt: now.toISOString(),
    };
    const spaceThemes = spaces.rows.map((r) => ({ spaceKey: r.space_key, themeId: r.theme_id }));
    const manifest = assets.rows.map((a) => ({
      id: a.id,
      sha256: a.sha256,
      mediaType: a.media_type,
      size: a.size,
      width: a.width,
      height: a.height,
      createdAt: a.created_at.toISOString(),
    }));
    const json = JSON.stringify(head);
    return `${json.slice(0, -1)},"layouts":[${layouts.join(',')}],"themes":[${themes.join(',')}],"spaceThemes":${JSON.stringify(spaceThemes)},"assets":${JSON.stringify(manifest)}}`;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
