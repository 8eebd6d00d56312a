import { BadRequest, PreconditionFailed, PreconditionRequired } from '@rt/http';

/**
 * The ETag of a document: a strong validator, the version number quoted — with `-default`
 * appended while a theme is the tenant's default. Making a theme the default changes its
 * representation (`isDefault`) without a new version, and a conditional GET must not answer
 * 304 for a copy that still says otherwise.
 */
export const etagOf = (version: number, isDefault?: boolean): string =>
  isDefault ? `"${version}-default"` : `"${version}"`;

/** What an `If-Match` header asks for. */
export type IfMatch = { any: true } | { any: false; versions: number[] };

/**
 * Parses `If-Match` (RFC 9110 §13.1.1): `*` or a list of entity tags. Our tags are strong and
 * numeric; a weak tag (`W/"3"`) never matches under the strong comparison If-Match requires.
 * The `-default` mark of {@link etagOf} is not compared: the default flag is a setting about a
 * theme, not part of the content a write replaces, so changing it must not fail a write.
 * Missing → 428 (a write without a precondition would silently overwrite someone's change);
 * unparsable → 400.
 */
export function parseIfMatch(header: string | string[] | undefined): IfMatch {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '') throw new PreconditionRequired();
  if (value.trim() === '*') return { any: true };
  const versions: number[] = [];
  for (const raw of value.split(',')) {
    const tag = raw.trim();
    const strong = /^"(\d{1,9})(?:-default)?"$/.exec(tag);
    if (strong) versions.push(Number(strong[1]));
    else if (!/^W\/"[^"]*"$/.test(tag)) {
      throw new BadRequest('INVALID_IF_MATCH', 'If-Match must be "*" or a list of ETags such as "3"');
    }
  }
  return { any: false, versions };
}

/** Throws 412 unless the current version satisfies the precondition. */
export function assertVersionMatches(ifMatch: IfMatch, current: number): void {
  if (ifMatch.any || ifMatch.versions.includes(current)) return;
  throw new PreconditionFailed(`the document is at version ${current}`, { currentVersion: current });
}
