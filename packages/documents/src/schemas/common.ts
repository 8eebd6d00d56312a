import { ErrorBody } from '@rt/http';
import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * A UUID in its canonical textual form. Deliberately a pattern and not `format: 'uuid'`: ajv's
 * uuid format also accepts a `urn:uuid:` prefix that Postgres rejects, which would turn bad
 * input into a database error instead of a 400.
 */
export const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  description: 'UUID',
});

/** Regular expression of {@link Uuid}, for code that checks ids outside a schema. */
export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A Confluence space key. Global spaces use letters and digits; personal spaces start with `~`
 * followed by an identifier, so `~` and `-` are allowed after the first character.
 */
export const SpaceKey = Type.String({
  pattern: '^~?[A-Za-z0-9][A-Za-z0-9_~-]{0,254}$',
  description: 'Confluence space key',
});

/** Where a document applies: the whole site, or one space (`space:<KEY>`). */
export const DocumentScope = Type.String({
  pattern: '^(site|space:~?[A-Za-z0-9][A-Za-z0-9_~-]{0,254})$',
  description: '`site` or `space:<spaceKey>`',
  examples: ['site', 'space:DOCS'],
});

/** Human-readable name of a document (no personal data: it is a label, not an author). */
export const DocumentName = Type.String({ minLength: 1, maxLength: 120 });

/**
 * A reference to an image stored by the asset service. The document services check that the
 * asset exists for the same tenant and record the usage (see `asset-references.ts`).
 */
export const AssetRef = Type.Object({ $asset: Uuid }, { additionalProperties: false });
export type AssetRef = Static<typeof AssetRef>;

/** An http(s) URL; `javascript:` and other schemes are refused because layouts render links. */
export const HttpUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048 });

/** `{ id }` path parameters. */
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** The error responses a route may return, by status. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody]));
}

/** ETag / If-Match headers as documented in OpenAPI. */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ maxLength: 200, description: 'ETag of the version being replaced (required)' }),
  ),
});
