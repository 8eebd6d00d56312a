import type { Segment } from './byte-source.js';
import { AssetRejected } from './errors.js';

/** Limits applied while reading an image's structure. */
export interface ImageLimits {
  /** Largest width × height of a raster image (or of any frame of an animation). */
  maxPixels: number;
}

/** What a raster parser found: dimensions and the stripped output. */
export interface RasterResult {
  width: number;
  height: number;
  segments: Segment[];
}

/**
 * Refuses images whose pixel count exceeds the cap. This is checked from the header, before
 * anything decodes the image, so a small file that would expand to gigabytes (a decompression
 * bomb) is rejected as cheaply as any other bad input.
 */
export function checkPixels(width: number, height: number, limits: ImageLimits): void {
  if (width <= 0 || height <= 0) {
    throw new AssetRejected('ASSET_MALFORMED', 'image has a zero width or height');
  }
  if (width * height > limits.maxPixels) {
    throw new AssetRejected(
      'ASSET_TOO_MANY_PIXELS',
      `image is ${width}×${height} pixels; at most ${limits.maxPixels} pixels are accepted`,
      { width, height, maxPixels: limits.maxPixels },
    );
  }
}
