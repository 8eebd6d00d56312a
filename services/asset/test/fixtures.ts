import { deflateSync } from 'node:zlib';
import { pngChunk } from '@rt/testing';
import sharp from 'sharp';

/**
 * Test images built in the test itself: a clean image (what must be stored) and the same image
 * with metadata inserted the way cameras and editors write it (what is uploaded). The stripped
 * upload must equal the clean image byte for byte.
 */
export interface ImageCase {
  name: string;
  mediaType: string;
  dirty: Buffer;
  clean: Buffer;
  width: number;
  height: number;
}

const PERSONAL = 'Jane Doe, 48.1372 N 11.5756 E';

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function ihdr(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = 8; // bit depth
  data[9] = 2; // RGB
  return pngChunk('IHDR', data);
}

/** A real RGB PNG with a gradient, optionally with chunks inserted before/after IDAT. */
export function buildPng(width: number, height: number, extra: { before?: Buffer[]; after?: Buffer[] } = {}) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 7) & 0xff;
      raw[o + 1] = (y * 13) & 0xff;
      raw[o + 2] = (x * y) & 0xff;
    }
  }
  return Buffer.concat([
    PNG_SIG,
    ihdr(width, height),
    pngChunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])),
    ...(extra.before ?? []),
    pngChunk('IDAT', deflateSync(raw)),
    ...(extra.after ?? []),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngCase(): ImageCase {
  const exif = Buffer.from(`MM\0*\0\0\0\x08${PERSONAL}`, 'latin1');
  const time = Buffer.from([0x07, 0xea, 11, 25, 12, 0, 0]);
  return {
    name: 'png',
    mediaType: 'image/png',
    width: 40,
    height: 30,
    clean: buildPng(40, 30),
    dirty: buildPng(40, 30, {
      before: [
        pngChunk('tEXt', Buffer.from(`Author\0${PERSONAL}`, 'latin1')),
        pngChunk('eXIf', exif),
        pngChunk(
          'iTXt',
          Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>${PERSONAL}</x:xmpmeta>`, 'latin1'),
        ),
      ],
      after: [
        pngChunk('tIME', time),
        pngChunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0'), deflateSync(PERSONAL)])),
      ],
    }),
  };
}

/** A JPEG segment: marker + length + payload. */
export function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

const rgb = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } }).composite([
    {
      input: Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#0a5"/></svg>`,
      ),
    },
  ]);

async function jpegCase(): Promise<ImageCase> {
  const clean = await rgb(48, 32).jpeg({ quality: 80 }).toBuffer();
  // Insert metadata right after SOI (and after APP0 JFIF if present), like a camera does.
  let at = 2;
  if (clean[2] === 0xff && clean[3] === 0xe0) at = 4 + clean.readUInt16BE(4);
  const withExif = await rgb(48, 32)
    .jpeg({ quality: 80 })
    .withExif({ IFD0: { Artist: PERSONAL, Copyright: PERSONAL } })
    .toBuffer();
  const exifSegment = findJpegSegment(withExif, 0xe1);
  const meta = [
    exifSegment,
    jpegSegment(
      0xe1,
      Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${PERSONAL}</x:xmpmeta>`, 'latin1'),
    ),
    jpegSegment(0xed, Buffer.from(`Photoshop 3.0\x008BIM${PERSONAL}`, 'latin1')),
    jpegSegment(0xfe, Buffer.from(`comment: ${PERSONAL}`, 'latin1')),
  ];
  const dirty = Buffer.concat([clean.subarray(0, at), ...meta, clean.subarray(at)]);
  return { name: 'jpeg', mediaType: 'image/jpeg', width: 48, height: 32, clean, dirty };
}

/** The first segment with `marker` in a JPEG (test helper; walks headers until SOS). */
export function findJpegSegment(jpeg: Buffer, marker: number): Buffer {
  let pos = 2;
  while (pos < jpeg.length) {
    const m = jpeg[pos + 1]!;
    const len = jpeg.readUInt16BE(pos + 2);
    if (m === marker) return jpeg.subarray(pos, pos + 2 + len);
    if (m === 0xda) break;
    pos += 2 + len;
  }
  throw new Error(`no segment 0x${marker.toString(16)}`);
}

async function gifCase(): Promise<ImageCase> {
  const clean = await rgb(20, 16).gif().toBuffer();
  const packed = clean[10]!;
  const gct = packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0;
  const at = 13 + gct;
  const comment = Buffer.concat([
    Buffer.from([0x21, 0xfe, PERSONAL.length]),
    Buffer.from(PERSONAL),
    Buffer.from([0]),
  ]);
  const xmpData = Buffer.from(`<x:xmpmeta>${PERSONAL}</x:xmpmeta>`);
  const xmp = Buffer.concat([
    Buffer.from([0x21, 0xff, 11]),
    Buffer.from('XMP DataXMP'),
    Buffer.from([xmpData.length]),
    xmpData,
    Buffer.from([0]),
  ]);
  const dirty = Buffer.concat([clean.subarray(0, at), comment, xmp, clean.subarray(at)]);
  return { name: 'gif', mediaType: 'image/gif', width: 20, height: 16, clean, dirty };
}

/** A RIFF/WebP chunk with padding. */
export function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

export function riff(chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
}

export function vp8x(flags: number, width: number, height: number): Buffer {
  const data = Buffer.alloc(10);
  data[0] = flags;
  data.writeUIntLE(width - 1, 4, 3);
  data.writeUIntLE(height - 1, 7, 3);
  return riffChunk('VP8X', data);
}

async function webpCase(): Promise<ImageCase> {
  const simple = await rgb(24, 18).webp({ lossless: true }).toBuffer();
  const bitstream = simple.subarray(12); // the VP8L chunk
  const exif = riffChunk('EXIF', Buffer.from(`MM\0*\0\0\0\x08${PERSONAL}`, 'latin1'));
  const xmp = riffChunk('XMP ', Buffer.from(`<x:xmpmeta>${PERSONAL}</x:xmpmeta>`));
  return {
    name: 'webp',
    mediaType: 'image/webp',
    width: 24,
    height: 18,
    dirty: riff([vp8x(0x08 | 0x04, 24, 18), bitstream, exif, xmp]),
    clean: riff([vp8x(0, 24, 18), bitstream]),
  };
}

/** A clean SVG in the sanitiser's canonical form, and the same with inert editor extras. */
function svgCase(): ImageCase {
  const body =
    '<title>Logo</title><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0052cc"/><stop offset="1" stop-color="#00b8d9"/></linearGradient></defs>' +
    '<g transform="translate(2 2)"><rect width="60" height="28" rx="4" fill="url(#g)"/><use href="#dot" x="10"/><circle id="dot" cx="8" cy="14" r="4" style="fill: #fff"/><text x="20" y="19" font-size="10">R &amp; T</text></g>';
  const clean = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32" viewBox="0 0 64 32">${body}</svg>`;
  const dirty =
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- Created with Inkscape by Jane Doe -->\n' +
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" width="64" height="32" viewBox="0 0 64 32" inkscape:version="1.3">' +
    `<metadata><rdf:RDF><rdf:Description>${PERSONAL}</rdf:Description></rdf:RDF></metadata><inkscape:grid/>` +
    body.replace('<use href="#dot"', '<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="#dot"') +
    '</svg>';
  return {
    name: 'svg',
    mediaType: 'image/svg+xml',
    width: 64,
    height: 32,
    clean: Buffer.from(clean),
    dirty: Buffer.from(dirty),
  };
}

/** One case per accepted type. */
export async function imageCases(): Promise<ImageCase[]> {
  return [pngCase(), await jpegCase(), await gifCase(), await webpCase(), svgCase()];
}

export { PERSONAL };
