import type { FileHandle } from 'node:fs/promises';
import { AssetRejected } from './errors.js';

/**
 * Bytes read at a time from the spooled upload (window size, and the slice of the passes that
 * scan a whole chunk or scan): a few system calls per MiB instead of one per 64 KiB, at a
 * bounded cost of one such buffer per upload being inspected.
 */
export const READ_SLICE = 256 * 1024;
const WINDOW = READ_SLICE;

/**
 * Random-access reads of an upload spooled to disk, through one small read-ahead window, so
 * that parsers walk a file of any size with bounded memory (they read headers, never the
 * whole image).
 */
export class ByteSource {
  private windowStart = 0;
  private window: Buffer = Buffer.alloc(0);

  constructor(
    private readonly file: FileHandle,
    /** Size of the file in bytes. */
    readonly size: number,
  ) {}

  /** Reads exactly `length` bytes at `position`; a read past the end means a truncated image. */
  async bytes(position: number, length: number): Promise<Buffer> {
    if (position < 0 || length < 0 || position + length > this.size) {
      throw new AssetRejected('ASSET_TRUNCATED', 'the image ends before its structure does');
    }
    const offset = position - this.windowStart;
    if (offset >= 0 && offset + length <= this.window.length) {
      return this.window.subarray(offset, offset + length);
    }
    const want = Math.min(Math.max(length, WINDOW), this.size - position);
    const buffer = Buffer.allocUnsafe(want);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await this.file.read(buffer, filled, want - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled < length)
      throw new AssetRejected('ASSET_TRUNCATED', 'the image file is shorter than expected');
    this.window = buffer.subarray(0, filled);
    this.windowStart = position;
    return this.window.subarray(0, length);
  }

  /** One byte at `position`. */
  async byte(position: number): Promise<number> {
    return (await this.bytes(position, 1))[0]!;
  }
}

/**
 * A piece of the stripped output: a byte range `[start, end)` of the upload kept as it is, or
 * replacement bytes (a patched header).
 */
export type Segment = { start: number; end: number } | Buffer;

/** Builds the output as a list of kept ranges, merging adjacent ranges. */
export class SegmentList {
  readonly segments: Segment[] = [];

  keep(start: number, end: number): void {
    if (end <= start) return;
    const last = this.segments.at(-1);
    if (last && !Buffer.isBuffer(last) && last.end === start) {
      last.end = end;
      return;
    }
    this.segments.push({ start, end });
  }

  insert(bytes: Buffer): void {
    this.segments.push(Buffer.from(bytes));
  }

  /** Total size of the output. */
  get size(): number {
    return this.segments.reduce((n, s) => n + (Buffer.isBuffer(s) ? s.length : s.end - s.start), 0);
  }
}
