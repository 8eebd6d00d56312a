import { type ByteSource, SegmentList } from './byte-source.js';
import { AssetRejected } from './errors.js';
import { checkPixels, type ImageLimits, type RasterResult } from './limits.js';

/** Application extensions that only control looping; everything else (XMP, ICC, …) is dropped. */
const KEPT_APPLICATIONS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);

/**
 * Walks a GIF block by block and drops comment extensions, plain-text extensions and
 * application extensions other than the looping ones (XMP is stored as one). Image data is kept
 * as it is. https://www.w3.org/Graphics/GIF/spec-gif89a.txt
 */
export async function stripGif(src: ByteSource, limits: ImageLimits): Promise<RasterResult> {
  const header = await src.bytes(0, 13);
  const version = header.toString('latin1', 0, 6);
  if (version !== 'GIF87a' && version !== 'GIF89a') throw new AssetRejected('ASSET_MALFORMED', 'not a GIF');
  const width = header.readUInt16LE(6);
  const height = header.readUInt16LE(8);
  checkPixels(width, height, limits);
  const packed = header[10]!;
  let pos = 13 + colorTableSize(packed);
  const out = new SegmentList();
  out.keep(0, pos);
  let frames = 0;
  for (;;) {
    const introducer = await src.byte(pos);
    if (introducer === 0x3b) {
      if (frames === 0) throw new AssetRejected('ASSET_MALFORMED', 'GIF has no image');
      out.keep(pos, pos + 1);
      pos += 1;
      break;
    }
    if (introducer === 0x21) {
      const label = await src.byte(pos + 1);
      const end = await skipSubBlocks(src, pos + 2);
      if (await keepExtension(src, label, pos)) out.keep(pos, end);
      pos = end;
      continue;
    }
    if (introducer === 0x2c) {
      const descriptor = await src.bytes(pos + 1, 9);
      checkPixels(descriptor.readUInt16LE(4), descriptor.readUInt16LE(6), limits);
      const dataAt = pos + 10 + colorTableSize(descriptor[8]!);
      const codeSize = await src.byte(dataAt);
      if (codeSize < 2 || codeSize > 11) throw new AssetRejected('ASSET_MALFORMED', 'bad GIF LZW code size');
      const end = await skipSubBlocks(src, dataAt + 1);
      out.keep(pos, end);
      pos = end;
      frames++;
      continue;
    }
    throw new AssetRejected(
      'ASSET_MALFORMED',
      `unknown GIF block 0x${introducer.toString(16)} at byte ${pos}`,
    );
  }
  if (pos !== src.size) {
    throw new AssetRejected('ASSET_TRAILING_DATA', `${src.size - pos} bytes follow the end of the GIF`);
  }
  return { width, height, segments: out.segments };
}

const colorTableSize = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);

/** Returns the position after a chain of data sub-blocks (ended by a zero-length block). */
async function skipSubBlocks(src: ByteSource, from: number): Promise<number> {
  let pos = from;
  for (;;) {
    const size = await src.byte(pos);
    pos += 1 + size;
    if (size === 0) return pos;
    if (pos > src.size) throw new AssetRejected('ASSET_TRUNCATED', 'GIF data block is cut short');
  }
}

async function keepExtension(src: ByteSource, label: number, pos: number): Promise<boolean> {
  if (label === 0xf9) return true; // graphic control: delays, transparency
  if (label !== 0xff) return false; // 0xFE comment, 0x01 plain text, unknown
  const size = await src.byte(pos + 2);
  if (size !== 11) return false;
  return KEPT_APPLICATIONS.has((await src.bytes(pos + 3, 11)).toString('latin1'));
}
