import { ErrorBody } from '@rt/http';
import { type TSchema, Type } from '@sinclair/typebox';

/** Nullable helper for response schemas. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Error responses every ops route may give. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
};

export const TenantView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  clientKey: Type.String(),
  platform: Type.String(),
  homeRegion: Type.String(),
  state: Type.String(),
  frozenByMigration: Nullable(Type.String()),
  revision: Type.Integer(),
  installedAt: Type.String({ format: 'date-time' }),
});

export const TenantSize = Type.Object({
  rows: Type.Integer(),
  objects: Type.Optional(Type.Integer()),
  bytes: Type.Optional(Type.Integer()),
});

export const MigrationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.String({ format: 'uuid' }),
  externalId: Nullable(Type.String()),
  origin: Type.String(),
  sourceRegion: Type.String(),
  targetRegion: Type.String(),
  location: Type.String(),
  state: Type.String(),
  autoCommit: Type.Boolean(),
  percent: Type.Integer({ minimum: 0, maximum: 100 }),
  progress: Type.Unknown(),
  errorCode: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  requestedBy: Nullable(Type.String()),
  deadlineAt: Nullable(Type.String({ format: 'date-time' })),
  cleanupDoneAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const MigrationEventView = Type.Object({
  fromState: Nullable(Type.String()),
  toState: Type.String(),
  at: Type.String({ format: 'date-time' }),
  detail: Type.Unknown(),
});

export const MigrationDetail = Type.Intersect([
  MigrationView,
  Type.Object({ report: Type.Unknown(), events: Type.Array(MigrationEventView) }),
]);
