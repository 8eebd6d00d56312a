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

/** A migration request refused with one of Atlassian's codes (and an HTTP status for our APIs). */
export class MigrationRefused extends Error {
  constructor(
    readonly errorResponseCode: DareErrorCode,
    message: string,
    readonly statusCode = 409,
  ) {
    super(message);
    this.name = 'MigrationRefused';
  }
}

/** Another caller changed the migration between our read and our write (optimistic check). */
export class MigrationStateChanged extends Error {
  constructor(
    readonly migrationId: string,
    readonly expected: string,
  ) {
    super(`migration ${migrationId} is no longer ${expected}`);
    this.name = 'MigrationStateChanged';
  }
}
