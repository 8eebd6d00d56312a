import { crc32 } from 'node:zlib';
import { type ByteSource, READ_SLICE, SegmentList } from './byte-source.js';
import { AssetRejected } from './errors.js';
import { checkPixels, type ImageLimits, type RasterResult } from './limits.js';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Chunks kept: everything needed to render the image as its author saw it (colour space, gamma,
 * transparency, APNG animation). Everything else ancillary is dropped, notably tEXt/zTXt/iTXt
 * (comments, XMP, software, author), eXIf (camera, GPS) and tIME.
 * https://www.w3.org/TR/png-3/#5ChunkOrdering
 */
const KEPT = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'cHRM',
  'gAMA',
  'iCCP',
  'sBIT',
  'sRGB',
  'cICP',
  'mDCV',
  'cLLI',
  'bKGD',
  'hIST',
  'pHYs',
  'sPLT',
  'acTL',
  'fcTL',
  'fdAT',
]);

const MAX_CHUNK = 0x7fffffff;
const CHUNK_TYPE = /^[A-Za-z]{4}$/;

/**
 * Walks a PNG chunk by chunk (checking every CRC), reads the dimensions from IHDR and returns
 * the byte ranges of the kept chunks: the output is the input minus the dropped chunks, byte for
 * byte.
 */
export async function stripPng(src: ByteSource, limits: ImageLimits): Promise<RasterResult> {
  const out = new SegmentList();
  out.keep(0, 8);
  let pos = 8;
  let width = 0;
  let height = 0;
  let sawIdat = false;
  let index = 0;
  for (;;) {
    const head = await src.bytes(pos, 8);
    const length = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    if (length > MAX_CHUNK || !CHUNK_TYPE.test(type)) {
      throw new AssetRejected('ASSET_MALFORMED', `invalid PNG chunk at byte ${pos}`);
    }
    const end = pos + 12 + length;
    if (end > src.size) throw new AssetRejected('ASSET_TRUNCATED', `PNG chunk ${type} is cut short`);
    if (index === 0) {
      if (type !== 'IHDR' || length !== 13)
        throw new AssetRejected('ASSET_MALFORMED', 'PNG must start with IHDR');
      const ihdr = await src.bytes(pos + 8, 13);
      width = ihdr.readUInt32BE(0);
      height = ihdr.readUInt32BE(4);
      checkPixels(width, height, limits);
    } else if (type === 'IHDR') {
      throw new AssetRejected('ASSET_MALFORMED', 'PNG has a second IHDR');
    }
    await verifyCrc(src, pos + 4, length + 4, type);
    if (type === 'fcTL') {
      const fctl = await src.bytes(pos + 8, Math.min(length, 12));
      if (fctl.length >= 12) checkPixels(fctl.readUInt32BE(4), fctl.readUInt32BE(8), limits);
    }
    const critical = (head[4]! & 0x20) === 0;
    if (KEPT.has(type)) out.keep(pos, end);
    else if (critical) throw new AssetRejected('ASSET_MALFORMED', `unknown critical PNG chunk ${type}`);
    if (type === 'IDAT') sawIdat = true;
    pos = end;
    index++;
    if (type === 'IEND') break;
  }
  if (!sawIdat) throw new AssetRejected('ASSET_MALFORMED', 'PNG has no image data');
  if (pos !== src.size) {
    throw new AssetRejected('ASSET_TRAILING_DATA', `${src.size - pos} bytes follow the end of the PNG`);
  }
  return { width, height, segments: out.segments };
}

/** CRC over chunk type + data, read in bounded slices. */
async function verifyCrc(src: ByteSource, start: number, length: number, type: string): Promise<void> {
  let crc = 0;
  for (let at = start; at < start + length; ) {
    const n = Math.min(READ_SLICE, start + length - at);
    crc = crc32(await src.bytes(at, n), crc);
    at += n;
  }
  const stored = (await src.bytes(start + length, 4)).readUInt32BE(0);
  if (stored !== crc >>> 0) throw new AssetRejected('ASSET_MALFORMED', `PNG chunk ${type} has a bad CRC`);
}
