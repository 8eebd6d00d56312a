import {
  withTenantWrite as inTenantWrite,
  withTransaction as inTransaction,
  type PgPool,
  type PgPoolClient,
  TenantWriteFenced,
} from '@rt/db';
import { BadRequest, Conflict, TenantMigrating } from '@rt/http';

/** Postgres error with its SQLSTATE. */
interface PgError extends Error {
  code?: string;
  constraint?: string;
}

/**
 * Runs `work` in one transaction (`@rt/db`'s `withTransaction`). Database errors that bad input
 * can still provoke (past schema validation) are mapped to 4xx here so that they never surface
 * as a 500.
 */
export async function withTransaction<T>(
  pool: PgPool,
  work: (client: PgPoolClient) => Promise<T>,
): Promise<T> {
  try {
    return await inTransaction(pool, work);
  } catch (err) {
    throw mapDatabaseError(err);
  }
}

/**
 * Runs `work` as one write transaction of the tenant's data, entered through the regional write
 * fence (`@rt/db` `withTenantWrite`): while a migration copies the tenant away from this region
 * the write is refused with 503 `TENANT_MIGRATING` before anything is written. Every write of
 * tenant data goes through here (or through `@rt/db` directly where this package is not used).
 */
export async function withTenantWrite<T>(
  pool: PgPool,
  tenantId: string,
  work: (client: PgPoolClient) => Promise<T>,
): Promise<T> {
  try {
    return await inTenantWrite(pool, tenantId, work);
  } catch (err) {
    throw mapDatabaseError(err);
  }
}

/**
 * Maps input-caused SQLSTATEs to typed errors, and a fenced write to 503 `TENANT_MIGRATING`;
 * everything else passes through unchanged.
 */
export function mapDatabaseError(err: unknown): unknown {
  if (err instanceof TenantWriteFenced) return new TenantMigrating(err.retryAfterSeconds);
  const code = (err as PgError | undefined)?.code;
  switch (code) {
    case '23503': // foreign_key_violation: an asset vanished between the check and the insert
      return new BadRequest('UNKNOWN_ASSET', 'a referenced asset does not exist');
    case '23505': // unique_violation
      return new Conflict('CONFLICT', 'a concurrent change conflicts with this request; retry');
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new Conflict('CONCURRENT_UPDATE', 'a concurrent change conflicts with this request; retry');
    case '22P02': // invalid_text_representation
    case '22021': // character_not_in_repertoire
    case '22P05': // untranslatable_character
    case '54000': // program_limit_exceeded
      return new BadRequest('INVALID_INPUT', 'the request contains a value that cannot be stored');
    default:
      return err;
  }
}
