/**
 * Error codes the back end answers with (`{code, message, details?, requestId}`), as a union so
 * the front end can switch on them exhaustively. The list is open (`string & {}`): a newer back
 * end may add codes, and an old client must not break on them.
 */
export const KNOWN_ERROR_CODES = [
  // @rt/http: every service
  'VALIDATION_FAILED',
  'INVALID_JSON',
  'INVALID_CONTENT_LENGTH',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'ROUTE_NOT_FOUND',
  'NOT_FOUND',
  'VERSION_MISMATCH',
  'IF_MATCH_REQUIRED',
  'INTERNAL_ERROR',
  // router: Atlassian tokens, tenant state, upstreams
  'TOKEN_MISSING',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_YET_VALID',
  'QSH_MISMATCH',
  'AUDIENCE_MISMATCH',
  'ISSUER_MISMATCH',
  'TENANT_UNKNOWN',
  'TENANT_DISABLED',
  'TENANT_UNINSTALLED',
  'TENANT_MIGRATING',
  'TENANT_RELOCATING',
  'REGION_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'RATE_LIMITED',
  'FORBIDDEN',
  // ops API
  'OPERATOR_TOKEN_MISSING',
  'OPERATOR_TOKEN_INVALID',
  'OPERATOR_ROLE_REQUIRED',
  'OPERATOR_ROLE_MISSING',
  'TENANT_NOT_FOUND',
  'MIGRATION_NOT_FOUND',
  'MIGRATION_CONFLICT',
  'DELETION_NOT_FOUND',
  // the client itself: the answer was not an error body (a proxy's HTML page, an empty body)
  'UNEXPECTED_RESPONSE',
] as const;

/** A known error code, or any other string a newer back end may send. */
export type ApiErrorCode = (typeof KNOWN_ERROR_CODES)[number] | (string & {});

/** The JSON body of every error response of the back end. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  details?: unknown;
  requestId?: string;
}

/** A non-2xx answer of the back end, with its stable `code`. Thrown by the typed client. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(
    readonly status: number,
    body: ApiErrorBody,
    /** Seconds the server asked to wait (`Retry-After`), when it said so. */
    readonly retryAfterSeconds?: number,
  ) {
    super(body.message);
    this.code = body.code;
    this.details = body.details;
    this.requestId = body.requestId;
  }
}

/** True when `err` is an {@link ApiError}, optionally with one of the given codes. */
export function isApiError(err: unknown, ...codes: ApiErrorCode[]): err is ApiError {
  return err instanceof ApiError && (codes.length === 0 || codes.includes(err.code));
}

/** Reads an error response into an {@link ApiError} (never throws on a malformed body). */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const retryAfter = retryAfterMs(response.headers.get('retry-after'));
  const seconds = retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000);
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) return new ApiError(response.status, body, seconds);
  return new ApiError(
    response.status,
    { code: 'UNEXPECTED_RESPONSE', message: `HTTP ${response.status} without an error body` },
    seconds,
  );
}

const isErrorBody = (body: unknown): body is ApiErrorBody =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as ApiErrorBody).code === 'string' &&
  typeof (body as ApiErrorBody).message === 'string';

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined
 * when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
