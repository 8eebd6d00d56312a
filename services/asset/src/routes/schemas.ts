import { type Static, Type } from '@sinclair/typebox';
import type { MEDIA_TYPES } from '../images/index.js';

export const MediaTypeSchema = Type.Union([
  Type.Literal('image/png'),
  Type.Literal('image/jpeg'),
  Type.Literal('image/gif'),
  Type.Literal('image/webp'),
  Type.Literal('image/svg+xml'),
]) satisfies { static: (typeof MEDIA_TYPES)[number] };

/** Metadata of a stored image. */
export const Asset = Type.Object({
  id: Type.String({ format: 'uuid' }),
  mediaType: MediaTypeSchema,
  size: Type.Integer({ minimum: 1, description: 'bytes stored (after stripping)' }),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type AssetDto = Static<typeof Asset>;

/** A document (layout or theme) using an asset. */
export const Usage = Type.Object({
  documentType: Type.String(),
  documentId: Type.String({ format: 'uuid' }),
});

export const UploadResponse = Type.Composite([
  Asset,
  Type.Object({ deduplicated: Type.Boolean({ description: 'true when these bytes were already stored' }) }),
]);

export const AssetListItem = Type.Composite([Asset, Type.Object({ usages: Type.Array(Usage) })]);

export const AssetList = Type.Object({
  items: Type.Array(AssetListItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const AssetParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);

export const PresignedUrl = Type.Object({
  url: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});

/**
 * Raw image bytes of an upload. Deliberately no JSON-schema constraint: the body is a stream,
 * checked by its bytes (type sniffing, structure, size) in the store, not by Ajv.
 */
export const RawImageBody = Type.Unsafe<unknown>({ description: 'image bytes (binary)' });

/** The image bytes of a download (a stream; not serialised through JSON). */
export const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary' });
