import type { FileHandle } from 'node:fs/promises';
import { ByteSource, type Segment } from './byte-source.js';
import { AssetRejected } from './errors.js';
import { stripGif } from './gif.js';
import { stripJpeg } from './jpeg.js';
import { checkPixels, type ImageLimits } from './limits.js';
import { PNG_SIGNATURE, stripPng } from './png.js';
import { sanitizeSvg } from './svg.js';
import { stripWebp } from './webp.js';

export { ByteSource, READ_SLICE, type Segment } from './byte-source.js';
export { AssetRejected, type RejectCode, RejectReason } from './errors.js';
export type { ImageLimits } from './limits.js';

/** The image types accepted, by media type. */
export const MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'] as const;
/** An accepted media type. */
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Limits of {@link inspectImage}. */
export interface InspectLimits extends ImageLimits {
  /** Largest SVG accepted (SVGs are parsed in memory, so they get their own, smaller cap). */
  maxSvgBytes: number;
}

/** A validated image: its type by its bytes, its size, and the stripped output to store. */
export interface InspectedImage {
  mediaType: MediaType;
  width: number | null;
  height: number | null;
  segments: Segment[];
}

/**
 * Decides the type from the leading bytes, never from the declared Content-Type.
 * https://mimesniff.spec.whatwg.org/#matching-an-image-type-pattern
 */
export function sniffMediaType(head: Buffer): MediaType | undefined {
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const ascii = head.toString('latin1', 0, Math.min(head.length, 12));
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'image/gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp';
  // SVG is text: optional UTF-8 BOM and whitespace, then markup. Whether it really is an SVG
  // (root element <svg> in the SVG namespace) is decided by the strict parse.
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<(\?xml[\s?]|!--|!DOCTYPE\s+svg[\s>]|svg[\s>/:])/i.test(text)) return 'image/svg+xml';
  return undefined;
}

/**
 * Validates an upload spooled to `file` and computes what to store. Throws {@link AssetRejected}
 * (a 4xx with a code) for anything that is not a well-formed, acceptable image of the declared
 * type. Raster formats are read header by header with bounded memory; metadata is dropped at
 * the container level so the pixels stay byte-exact.
 */
export async function inspectImage(
  file: FileHandle,
  size: number,
  declared: MediaType,
  limits: InspectLimits,
): Promise<InspectedImage> {
  if (size === 0) throw new AssetRejected('ASSET_EMPTY', 'the upload is empty');
  const src = new ByteSource(file, size);
  const mediaType = sniffMediaType(await src.bytes(0, Math.min(size, 512)));
  if (!mediaType)
    throw new AssetRejected('ASSET_TYPE_UNKNOWN', 'the bytes are not a PNG, JPEG, GIF, WebP or SVG image');
  if (mediaType !== declared) {
    throw new AssetRejected('ASSET_TYPE_MISMATCH', `declared ${declared} but the bytes are ${mediaType}`, {
      declared,
      detected: mediaType,
    });
  }
  switch (mediaType) {
    case 'image/png':
      return { mediaType, ...(await stripPng(src, limits)) };
    case 'image/jpeg':
      return { mediaType, ...(await stripJpeg(src, limits)) };
    case 'image/gif':
      return { mediaType, ...(await stripGif(src, limits)) };
    case 'image/webp':
      return { mediaType, ...(await stripWebp(src, limits)) };
    case 'image/svg+xml': {
      if (size > limits.maxSvgBytes) {
        throw new AssetRejected('ASSET_TOO_LARGE', `SVG images are limited to ${limits.maxSvgBytes} bytes`);
      }
      const svg = sanitizeSvg(await src.bytes(0, size));
      // An SVG is drawn at its intrinsic size where no other is given: cap it like a raster.
      if (svg.width !== null && svg.height !== null) checkPixels(svg.width, svg.height, limits);
      return { mediaType, width: svg.width, height: svg.height, segments: [svg.output] };
    }
  }
}
