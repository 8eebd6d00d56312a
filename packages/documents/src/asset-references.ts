import { type PgPoolClient, statement } from '@rt/db';
import { type AppError, BadRequest } from '@rt/http';
import type { DocumentType } from './document-kind.js';
import { collectAssetReferences, isUuid } from './json-inspection.js';

/** The statements of every document write that references images (named: see `statement`). */
const LOCK_ASSETS = statement(
  'assets.lock-referenced',
  'SELECT id FROM assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR KEY SHARE',
);
const DELETE_REFERENCES = statement(
  'asset_references.delete-of-document',
  'DELETE FROM asset_references WHERE tenant_id = $1 AND document_type = $2 AND document_id = $3',
);
const INSERT_REFERENCES = statement(
  'asset_references.insert',
  `INSERT INTO asset_references (tenant_id, asset_id, document_type, document_id)
   SELECT $1, unnest($2::uuid[]), $3, $4`,
);

/**
 * Checks that every `{"$asset": id}` in `fields` names an asset of `tenantId` and returns the
 * distinct ids. The assets are locked `FOR KEY SHARE` until the transaction ends, so the asset
 * service cannot delete one between this check and {@link recordAssetReferences} (its DELETE
 * waits, then fails on the foreign key of the new reference row).
 *
 * @param missing builds the error for unknown assets (400 for a body; 409 for a restore).
 */
export async function verifyAssetReferences(
  client: PgPoolClient,
  tenantId: string,
  fields: Record<string, unknown>,
  missing: (details: { path: string; assetId: string }[]) => AppError = (details) =>
    new BadRequest('UNKNOWN_ASSET', `unknown asset ${details[0]?.assetId} at ${details[0]?.path}`, details),
): Promise<string[]> {
  const occurrences = collectAssetReferences(fields);
  const invalid = occurrences.filter((o) => !isUuid(o.assetId));
  if (invalid.length > 0) {
    throw new BadRequest(
      'INVALID_ASSET_REFERENCE',
      `$asset must be an asset id at ${invalid[0]?.path}`,
      invalid,
    );
  }
  const ids = [...new Set(occurrences.map((o) => o.assetId.toLowerCase()))];
  if (ids.length === 0) return ids;
  const { rows } = await client.query<{ id: string }>({ ...LOCK_ASSETS, values: [tenantId, ids] });
  const found = new Set(rows.map((r) => r.id));
  const unknown = occurrences.filter((o) => !found.has(o.assetId.toLowerCase()));
  if (unknown.length > 0) throw missing(unknown);
  return ids;
}

/**
 * Replaces the recorded asset usages of one document (same transaction as the write). `created`:
 * the document was inserted by this very transaction, so it has no usages to replace yet (one
 * round trip fewer per create).
 */
export async function recordAssetReferences(
  client: PgPoolClient,
  tenantId: string,
  documentType: DocumentType,
  documentId: string,
  assetIds: string[],
  options: { created?: boolean } = {},
): Promise<void> {
  if (!options.created) {
    await client.query({ ...DELETE_REFERENCES, values: [tenantId, documentType, documentId] });
  }
  if (assetIds.length === 0) return;
  await client.query({ ...INSERT_REFERENCES, values: [tenantId, assetIds, documentType, documentId] });
}
