/**
 * Typed errors with a stable machine-readable `code`. Routes throw these; the one error handler
 * ({@link errorHandlerPlugin}) maps them to `{code, message, details?, requestId}` responses.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** 400: the request is malformed. */
export class BadRequest extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

/** 401: no or invalid credentials. */
export class Unauthorized extends AppError {
  constructor(code: string, message: string) {
    super(401, code, message);
  }
}

/** 403: authenticated, but not allowed. */
export class Forbidden extends AppError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

/** 404: missing — or another tenant's, which must look the same. */
export class NotFound extends AppError {
  constructor(what = 'resource', code = 'NOT_FOUND') {
    super(404, code, `${what} not found`);
  }
}

/** 409: the request conflicts with the current state. */
export class Conflict extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

/** 412: If-Match did not match the current version. */
export class PreconditionFailed extends AppError {
  constructor(message = 'the resource was changed by someone else', details?: unknown) {
    super(412, 'VERSION_MISMATCH', message, details);
  }
}

/** 428: a conditional request (If-Match) is required. */
export class PreconditionRequired extends AppError {
  constructor(message = 'If-Match header with the current ETag is required') {
    super(428, 'IF_MATCH_REQUIRED', message);
  }
}

/** 413: body too large. */
export class PayloadTooLarge extends AppError {
  constructor(message = 'request body is too large', code = 'PAYLOAD_TOO_LARGE') {
    super(413, code, message);
  }
}

/** 415: unsupported media type. */
export class UnsupportedMediaType extends AppError {
  constructor(code: string, message: string) {
    super(415, code, message);
  }
}

/** 503: temporarily unavailable (with optional Retry-After seconds). */
export class ServiceUnavailable extends AppError {
  constructor(code: string, message: string, retryAfterSeconds?: number) {
    super(
      503,
      code,
      message,
      undefined,
      retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : undefined,
    );
  }
}

/**
 * 503 `TENANT_MIGRATING`: the tenant's data is being moved to another region and its writes are
 * paused (the router's freeze, the regional write fence); retry after `Retry-After` seconds.
 */
export class TenantMigrating extends ServiceUnavailable {
  constructor(retryAfterSeconds: number) {
    super(
      'TENANT_MIGRATING',
      'the site is being moved to another region; changes are paused until the move completes',
      retryAfterSeconds,
    );
  }
}
