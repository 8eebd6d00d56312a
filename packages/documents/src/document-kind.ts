import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { LayoutContent } from './schemas/layout-content.js';
import { ThemeImages, ThemeTokens } from './schemas/theme-tokens.js';

/** The document types that reference assets (`asset_references.document_type`). */
export type DocumentType = 'layout' | 'theme';

/** A JSON part of a document, stored in a JSONB column of the same name. */
export interface JsonField {
  /** Property name in the API body and column name in the table. */
  name: string;
  schema: TSchema;
  /** Value stored when the body omits the field (only for optional fields). */
  default?: unknown;
}

/**
 * Describes one kind of versioned document so that the repository and the routes can be
 * written once for layouts and themes. Table and column names come only from these constants,
 * never from input.
 */
export interface DocumentKind {
  type: DocumentType;
  /** Singular noun used in messages ("layout not found"). */
  noun: string;
  basePath: string;
  table: string;
  revisionTable: string;
  /** Column of the revision table that points at the document. */
  revisionKey: string;
  /** The JSON parts of the document (layout: content; theme: tokens and images). */
  jsonFields: readonly JsonField[];
  /** The JSON field whose `schemaVersion` is stored in the `schema_version` column. */
  versionedField: string;
  /** Themes carry `isDefault` (at most one per tenant). */
  hasDefaultFlag: boolean;
}

/** Layouts: `content` holds header, navigation, grid, blocks and footer. */
export const layoutKind: DocumentKind = {
  type: 'layout',
  noun: 'layout',
  basePath: '/api/v1/layouts',
  table: 'layouts',
  revisionTable: 'layout_revisions',
  revisionKey: 'layout_id',
  jsonFields: [{ name: 'content', schema: LayoutContent }],
  versionedField: 'content',
  hasDefaultFlag: false,
};

/** Themes: design `tokens` and `images` by role. */
export const themeKind: DocumentKind = {
  type: 'theme',
  noun: 'theme',
  basePath: '/api/v1/themes',
  table: 'themes',
  revisionTable: 'theme_revisions',
  revisionKey: 'theme_id',
  jsonFields: [
    { name: 'tokens', schema: ThemeTokens },
    { name: 'images', schema: ThemeImages, default: {} },
  ],
  versionedField: 'tokens',
  hasDefaultFlag: true,
};

/** Properties of the JSON fields, for building body/response schemas. */
export function jsonFieldProperties(kind: DocumentKind, optionalDefaults: boolean): TObject['properties'] {
  return Object.fromEntries(
    kind.jsonFields.map((f) => [
      f.name,
      optionalDefaults && f.default !== undefined ? Type.Optional(f.schema) : f.schema,
    ]),
  );
}
