import { type ByteSource, READ_SLICE, SegmentList } from './byte-source.js';
import { AssetRejected } from './errors.js';
import { checkPixels, type ImageLimits, type RasterResult } from './limits.js';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;

/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): frame headers carrying the dimensions. */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Markers without a length field. */
const isStandalone = (m: number) => (m >= 0xd0 && m <= 0xd7) || m === 0x01;

/**
 * Walks a JPEG marker by marker and drops metadata segments: APP1 (Exif with GPS, XMP), APP13
 * (Photoshop/IPTC), COM (comments) and every other APPn except the ones decoders need for
 * correct colours — APP0 JFIF without a thumbnail, APP2 ICC profile, APP14 Adobe colour
 * transform. Entropy-coded data after each SOS is kept as it is, so the pixels are untouched.
 * https://www.w3.org/Graphics/JPEG/itu-t81.pdf (B.1.1.2, B.2.4)
 */
export async function stripJpeg(src: ByteSource, limits: ImageLimits): Promise<RasterResult> {
  const start = await src.bytes(0, 2);
  if (start[0] !== 0xff || start[1] !== SOI)
    throw new AssetRejected('ASSET_MALFORMED', 'JPEG must start with SOI');
  const out = new SegmentList();
  out.keep(0, 2);
  let pos = 2;
  let width = 0;
  let height = 0;
  let sawScan = false;
  let orientationKept = false;
  for (;;) {
    if ((await src.byte(pos)) !== 0xff)
      throw new AssetRejected('ASSET_MALFORMED', `no JPEG marker at byte ${pos}`);
    let markerAt = pos;
    // Fill bytes (0xFF runs) may precede a marker; they carry nothing and are dropped.
    while ((await src.byte(pos + 1)) === 0xff) {
      pos++;
      markerAt = pos;
    }
    const marker = await src.byte(pos + 1);
    pos += 2;
    if (marker === EOI) {
      if (!sawScan || width === 0) throw new AssetRejected('ASSET_MALFORMED', 'JPEG has no frame or no scan');
      out.keep(markerAt, pos);
      break;
    }
    if (marker === SOI || marker === 0x00)
      throw new AssetRejected('ASSET_MALFORMED', 'unexpected JPEG marker');
    if (isStandalone(marker)) {
      out.keep(markerAt, pos);
      continue;
    }
    const length = (await src.bytes(pos, 2)).readUInt16BE(0);
    if (length < 2) throw new AssetRejected('ASSET_MALFORMED', 'JPEG segment length below 2');
    const end = pos + length;
    if (end > src.size) throw new AssetRejected('ASSET_TRUNCATED', 'JPEG segment is cut short');
    if (isStartOfFrame(marker)) {
      if (width !== 0) throw new AssetRejected('ASSET_MALFORMED', 'JPEG has more than one frame header');
      if (length < 8) throw new AssetRejected('ASSET_MALFORMED', 'JPEG frame header too short');
      const sof = await src.bytes(pos + 2, 5);
      height = sof.readUInt16BE(1);
      width = sof.readUInt16BE(3);
      // Height 0 defers the height to a DNL marker after the first scan; browsers handle it
      // poorly and it would escape the pixel cap, so it is refused.
      checkPixels(width, height, limits);
    }
    if (await keepSegment(src, marker, pos, length)) {
      out.keep(markerAt, end);
    } else if (marker === 0xe1 && !orientationKept) {
      // Exif goes, but its Orientation tag decides how browsers rotate the picture (phones store
      // portrait photos sideways): it is carried over alone in a minimal Exif segment.
      const orientation = exifOrientation(await src.bytes(pos + 2, length - 2));
      if (orientation !== undefined) {
        out.insert(orientationSegment(orientation));
        orientationKept = true;
      }
    }
    pos = end;
    if (marker === SOS) {
      if (width === 0) throw new AssetRejected('ASSET_MALFORMED', 'JPEG scan before frame header');
      sawScan = true;
      const next = await findNextMarker(src, pos);
      out.keep(pos, next);
      pos = next;
    }
  }
  if (pos !== src.size) {
    throw new AssetRejected('ASSET_TRAILING_DATA', `${src.size - pos} bytes follow the end of the JPEG`);
  }
  return { width, height, segments: out.segments };
}

async function keepSegment(src: ByteSource, marker: number, pos: number, length: number): Promise<boolean> {
  if (marker === COM) return false;
  if (marker < 0xe0 || marker > 0xef) return true;
  const id = (await src.bytes(pos + 2, Math.min(length - 2, 14))).toString('latin1');
  switch (marker) {
    case 0xe0:
      // JFIF without a thumbnail is 16 bytes long; a thumbnail is a picture of its own.
      return id.startsWith('JFIF\0') && length === 16;
    case 0xe2:
      return id.startsWith('ICC_PROFILE\0');
    case 0xee:
      return id.startsWith('Adobe');
    default:
      return false;
  }
}

/**
 * Scans entropy-coded data for the next marker: 0xFF followed by anything but 0x00 (a stuffed
 * byte) or RST0–7 (restart markers, part of the scan).
 */
async function findNextMarker(src: ByteSource, from: number): Promise<number> {
  let pos = from;
  while (pos < src.size) {
    const n = Math.min(READ_SLICE, src.size - pos);
    const block = await src.bytes(pos, n);
    let i = block.indexOf(0xff);
    while (i !== -1) {
      const at = pos + i;
      if (at + 1 >= src.size) throw new AssetRejected('ASSET_TRUNCATED', 'JPEG scan is cut short');
      const next = i + 1 < block.length ? block[i + 1]! : await src.byte(at + 1);
      if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) return at;
      if (next === 0xff) return at; // fill bytes before a marker
      i = block.indexOf(0xff, i + 1);
    }
    pos += n;
  }
  throw new AssetRejected('ASSET_TRUNCATED', 'JPEG scan has no end');
}

/**
 * The Orientation (0x0112) of an APP1 Exif payload, when it is a rotation/flip (2–8); 1 (normal)
 * needs no tag. https://www.cipa.jp/std/documents/e/DC-008-Translation-2019-E.pdf (4.6.4, 4.6.5)
 */
export function exifOrientation(payload: Buffer): number | undefined {
  if (payload.length < 14 || payload.toString('latin1', 0, 6) !== 'Exif\0\0') return undefined;
  const tiff = payload.subarray(6);
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 2 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/** A minimal APP1 Exif segment holding only IFD0 with the Orientation tag (big-endian TIFF). */
export function orientationSegment(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // count
  tiff.writeUInt16BE(orientation, 18); // value, left-justified in the 4-byte field
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}
