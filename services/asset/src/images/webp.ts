import { type ByteSource, SegmentList } from './byte-source.js';
import { AssetRejected } from './errors.js';
import { checkPixels, type ImageLimits, type RasterResult } from './limits.js';

/** Chunks that make up the picture; EXIF, XMP and unknown chunks are dropped. */
const KEPT = new Set(['VP8X', 'ICCP', 'ANIM', 'ANMF', 'ALPH', 'VP8 ', 'VP8L']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

/**
 * Walks a WebP RIFF container and drops EXIF, XMP and unknown chunks; when something is dropped
 * the RIFF size and the VP8X metadata flags are rewritten, everything else is kept byte for byte.
 * https://developers.google.com/speed/webp/docs/riff_container
 */
export async function stripWebp(src: ByteSource, limits: ImageLimits): Promise<RasterResult> {
  const header = await src.bytes(0, 12);
  if (header.toString('latin1', 0, 4) !== 'RIFF' || header.toString('latin1', 8, 12) !== 'WEBP') {
    throw new AssetRejected('ASSET_MALFORMED', 'not a WebP file');
  }
  const riffEnd = 8 + header.readUInt32LE(4);
  if (riffEnd > src.size) throw new AssetRejected('ASSET_TRUNCATED', 'WebP is shorter than its RIFF size');
  if (riffEnd < src.size) {
    throw new AssetRejected('ASSET_TRAILING_DATA', `${src.size - riffEnd} bytes follow the end of the WebP`);
  }
  const body = new SegmentList();
  let pos = 12;
  let width = 0;
  let height = 0;
  let vp8x: { at: number; flags: number } | undefined;
  let dropped = false;
  let first = true;
  while (pos < riffEnd) {
    const head = await src.bytes(pos, 8);
    const fourcc = head.toString('latin1', 0, 4);
    const size = head.readUInt32LE(4);
    const end = pos + 8 + size + (size & 1);
    if (end > riffEnd) throw new AssetRejected('ASSET_TRUNCATED', `WebP chunk ${fourcc} is cut short`);
    if (first && fourcc !== 'VP8X' && fourcc !== 'VP8 ' && fourcc !== 'VP8L') {
      throw new AssetRejected('ASSET_MALFORMED', 'WebP must start with VP8, VP8L or VP8X');
    }
    if (fourcc === 'VP8X') {
      if (!first || size < 10) throw new AssetRejected('ASSET_MALFORMED', 'misplaced VP8X chunk');
      const data = await src.bytes(pos + 8, 10);
      vp8x = { at: pos, flags: data[0]! };
      width = data.readUIntLE(4, 3) + 1;
      height = data.readUIntLE(7, 3) + 1;
      checkPixels(width, height, limits);
    } else if (fourcc === 'VP8 ' || fourcc === 'VP8L') {
      const [w, h] = await bitstreamSize(src, fourcc, pos + 8, size);
      checkPixels(w, h, limits);
      if (!vp8x && width === 0) [width, height] = [w, h];
    } else if (fourcc === 'ANMF') {
      if (size < 16) throw new AssetRejected('ASSET_MALFORMED', 'WebP animation frame too short');
      const frame = await src.bytes(pos + 8, 16);
      checkPixels(frame.readUIntLE(6, 3) + 1, frame.readUIntLE(9, 3) + 1, limits);
    }
    if (KEPT.has(fourcc)) body.keep(pos, end);
    else dropped = true;
    pos = end;
    first = false;
  }
  if (width === 0) throw new AssetRejected('ASSET_MALFORMED', 'WebP has no image');
  if (!dropped) return { width, height, segments: [{ start: 0, end: src.size }] };

  // Rebuild: new RIFF header, VP8X with the EXIF/XMP flags cleared, kept chunks unchanged.
  const out = new SegmentList();
  const riff = Buffer.from(header);
  riff.writeUInt32LE(4 + body.size, 4);
  out.insert(riff);
  for (const segment of body.segments) {
    if (Buffer.isBuffer(segment)) {
      out.insert(segment);
    } else if (vp8x && segment.start === vp8x.at) {
      const patched = Buffer.from(await src.bytes(vp8x.at, 9));
      patched[8] = vp8x.flags & ~(VP8X_EXIF | VP8X_XMP);
      out.insert(patched);
      out.keep(vp8x.at + 9, segment.end);
    } else {
      out.keep(segment.start, segment.end);
    }
  }
  return { width, height, segments: out.segments };
}

/** Dimensions from a VP8 (lossy) or VP8L (lossless) bitstream header. */
async function bitstreamSize(
  src: ByteSource,
  fourcc: string,
  at: number,
  size: number,
): Promise<[number, number]> {
  if (fourcc === 'VP8 ') {
    if (size < 10) throw new AssetRejected('ASSET_MALFORMED', 'VP8 frame too short');
    const b = await src.bytes(at, 10);
    if (b[3] !== 0x9d || b[4] !== 0x01 || b[5] !== 0x2a)
      throw new AssetRejected('ASSET_MALFORMED', 'bad VP8 start code');
    return [b.readUInt16LE(6) & 0x3fff, b.readUInt16LE(8) & 0x3fff];
  }
  if (size < 5) throw new AssetRejected('ASSET_MALFORMED', 'VP8L frame too short');
  const b = await src.bytes(at, 5);
  if (b[0] !== 0x2f) throw new AssetRejected('ASSET_MALFORMED', 'bad VP8L signature');
  const bits = b.readUInt32LE(1);
  return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
}
