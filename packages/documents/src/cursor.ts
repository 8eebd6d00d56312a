import { BadRequest } from '@rt/http';
import { isUuid } from './json-inspection.js';

// Keyset pagination over (tenant_id, [scope,] id): the cursor is the last id of a page, opaque to
// clients (base64url) so its shape can change without breaking them.

/** Encodes the id after which the next page starts. */
export const encodeCursor = (lastId: string): string => Buffer.from(`id:${lastId}`).toString('base64url');

/** Decodes a cursor from a query string; 400 INVALID_CURSOR if it is not one of ours. */
export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith('id:') ? decoded.slice(3) : '';
  if (!isUuid(id)) throw new BadRequest('INVALID_CURSOR', 'cursor is not valid');
  return id.toLowerCase();
}
