import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetRejected, inspectImage, type MediaType, sniffMediaType } from '../src/images/index.js';
import { exifOrientation } from '../src/images/jpeg.js';
import { findJpegSegment, type ImageCase, imageCases, PERSONAL } from './fixtures.js';

let dir: string;
let cases: ImageCase[];
const limits = { maxPixels: 40_000_000, maxSvgBytes: 2 * 1024 * 1024 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-asset-images-'));
  cases = await imageCases();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the inspector on bytes via a spooled file, as the service does; returns the output. */
async function strip(bytes: Buffer, declared: string) {
  const path = join(dir, `f-${Math.random()}`);
  await writeFile(path, bytes);
  const file = await open(path, 'r');
  try {
    const image = await inspectImage(file, bytes.length, declared as MediaType, limits);
    const parts: Buffer[] = [];
    for (const s of image.segments) {
      parts.push(Buffer.isBuffer(s) ? s : bytes.subarray(s.start, s.end));
    }
    return { ...image, output: Buffer.concat(parts) };
  } finally {
    await file.close();
  }
}

describe('metadata stripping keeps the image byte-exact', () => {
  it.each(['png', 'jpeg', 'gif', 'webp', 'svg'])(
    '%s: dirty upload → exactly the clean image',
    async (name) => {
      const c = cases.find((x) => x.name === name)!;
      expect(c.dirty.includes(PERSONAL)).toBe(true);
      const result = await strip(c.dirty, c.mediaType);
      expect(result.mediaType).toBe(c.mediaType);
      expect([result.width, result.height]).toEqual([c.width, c.height]);
      expect(result.output.includes(PERSONAL)).toBe(false);
      expect(result.output.equals(c.clean)).toBe(true);
      // A clean image passes through unchanged.
      expect((await strip(c.clean, c.mediaType)).output.equals(c.clean)).toBe(true);
      if (name !== 'svg') {
        const meta = await sharp(result.output).metadata();
        expect([meta.width, meta.height]).toEqual([c.width, c.height]);
        expect(meta.exif).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
        const [a, b] = await Promise.all([
          sharp(result.output).raw().toBuffer(),
          sharp(c.clean).raw().toBuffer(),
        ]);
        expect(a.equals(b)).toBe(true);
      }
    },
  );

  it('JPEG: keeps only the Exif orientation, so portrait photos are not shown sideways', async () => {
    const base = sharp({ create: { width: 16, height: 8, channels: 3, background: '#3a6' } }).jpeg();
    const clean = await base.clone().toBuffer();
    const dirty = await base
      .clone()
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Artist: PERSONAL },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 8/1 14/1' },
      })
      .toBuffer();
    expect(dirty.includes(PERSONAL)).toBe(true);
    const result = await strip(dirty, 'image/jpeg');
    expect(result.output.includes(PERSONAL)).toBe(false);
    const meta = await sharp(result.output).metadata();
    expect(meta.orientation).toBe(6);
    // The one Exif segment left is exactly the minimal orientation segment: 36 bytes.
    const exif = findJpegSegment(result.output, 0xe1);
    expect(exif.length).toBe(36);
    expect(exifOrientation(exif.subarray(4))).toBe(6);
    // Everything else is the upload byte for byte, minus its Exif segment (the ICC profile that
    // withMetadata adds stays: colours depend on it).
    const original = findJpegSegment(dirty, 0xe1);
    const at = dirty.indexOf(original);
    const expected = Buffer.concat([dirty.subarray(0, at), exif, dirty.subarray(at + original.length)]);
    expect(result.output.equals(expected)).toBe(true);
    const [a, b] = await Promise.all([sharp(result.output).raw().toBuffer(), sharp(clean).raw().toBuffer()]);
    expect(a.equals(b)).toBe(true);
  });

  it('sniffs by bytes, not by name', () => {
    expect(sniffMediaType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    expect(sniffMediaType(Buffer.from('<html><body>hi</body></html>'))).toBeUndefined();
    expect(sniffMediaType(Buffer.from('GIF89a......'))).toBe('image/gif');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('PK\x03\x04'))).toBeUndefined();
  });

  it('refuses a declared type that differs from the bytes', async () => {
    const png = cases.find((x) => x.name === 'png')!;
    await expect(strip(png.clean, 'image/jpeg')).rejects.toMatchObject({ code: 'ASSET_TYPE_MISMATCH' });
    await expect(strip(png.clean, 'image/jpeg')).rejects.toBeInstanceOf(AssetRejected);
  });
});
