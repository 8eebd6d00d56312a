import { AppError } from '@rt/http';

/**
 * Atlassian's data-residency error codes (Connect `dare-migration` lifecycle):
 * https://developer.atlassian.com/cloud/confluence/data-residency/
 */
export const DareErrorCode = {
  /** The migration was not scheduled (start/commit for an unknown migrationId). */
  notScheduled: 'E0001',
  /** The app does not support the target location. */
  locationNotSupported: 'E0002',
  /** The app does not support migrations (disabled by configuration). */
  migrationsNotSupported: 'E0003',
  /** Too many concurrent migrations. */
  tooManyMigrations: 'E0004',
  /** Anything else (copy or verification failed, deadline passed, infrastructure error). */
  other: 'E9999',
} as const;

/** One of Atlassian's error response codes. */
export type DareErrorCode = (typeof DareErrorCode)[keyof typeof DareErrorCode];

/**
 * A migration request refused with one of Atlassian's codes. `@rt/http`'s error handler answers
 * it as `{code: "MIGRATION_REFUSED_E000x", details: {errorResponseCode}}` (the ops API); the
 * `dare-migration` hooks answer it in Atlassian's own shape instead.
 */
export class MigrationRefused extends AppError {
  constructor(
    readonly errorResponseCode: DareErrorCode,
    message: string,
    statusCode = 409,
  ) {
    super(statusCode, `MIGRATION_REFUSED_${errorResponseCode}`, message, { errorResponseCode });
    this.name = 'MigrationRefused';
  }
}

/**
 * Another caller changed the migration between our read and our write (optimistic check): 409
 * `MIGRATION_STATE_CHANGED`, the caller may read the migration again and retry.
 */
export class MigrationStateChanged extends AppError {
  constructor(
    readonly migrationId: string,
    readonly expected: string,
  ) {
    super(409, 'MIGRATION_STATE_CHANGED', `migration ${migrationId} is no longer ${expected}`);
    this.name = 'MigrationStateChanged';
  }
}
