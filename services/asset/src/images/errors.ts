import { AppError } from '@rt/http';

/**
 * Why an upload was refused. Each reason has a stable `code`; the status says whose fault it is
 * (all 4xx: hostile or broken input is never a server error).
 */
export const RejectReason = {
  ASSET_EMPTY: 400,
  ASSET_TRUNCATED: 400,
  ASSET_MALFORMED: 400,
  /** Bytes after the image's end marker: a polyglot (image + HTML/ZIP/script) or garbage. */
  ASSET_TRAILING_DATA: 400,
  ASSET_UPLOAD_ABORTED: 400,
  ASSET_TOO_LARGE: 413,
  ASSET_TYPE_UNKNOWN: 415,
  ASSET_TYPE_MISMATCH: 415,
  ASSET_TOO_MANY_PIXELS: 422,
  ASSET_SVG_UNSAFE: 422,
} as const;

/** Stable code of a refused upload. */
export type RejectCode = keyof typeof RejectReason;

/** An upload refused because of its bytes (mapped to a 4xx by the one error handler). */
export class AssetRejected extends AppError {
  constructor(
    readonly reason: RejectCode,
    message: string,
    details?: unknown,
  ) {
    super(RejectReason[reason], reason, message, details);
    this.name = 'AssetRejected';
  }
}
