import { describe, expect, it } from 'vitest';
import {
  collectAssetReferences,
  decodeCursor,
  encodeCursor,
  findUnstorableText,
  inspectJson,
  MAX_DOCUMENT_DEPTH,
  parseIfMatch,
} from '../src/index.js';

const id = '3f0e8a4c-1d2b-4c5a-9e8f-0a1b2c3d4e5f';

describe('asset reference extraction', () => {
  it('finds $asset objects anywhere, with their JSON pointer', () => {
    const refs = collectAssetReferences({
      content: { header: { logo: { $asset: id } }, blocks: [{ cards: [{ 'a/b': { $asset: 'nope' } }] }] },
    });
    expect(refs).toEqual([
      { path: '/content/header/logo', assetId: id },
      { path: '/content/blocks/0/cards/0/a~1b', assetId: 'nope' },
    ]);
  });
});

describe('text Postgres cannot store', () => {
  it('points at NUL characters and unpaired surrogates, in values and keys', () => {
    expect(findUnstorableText({ a: ['ok', 'x\u0000y'] })).toBe('/a/1');
    expect(findUnstorableText({ b: { 'k\uD800': 1 } })).toBe('/b/k\uD800');
    expect(findUnstorableText({ c: '\uDC00' })).toBe('/c');
    expect(findUnstorableText({ d: '😀 emoji is fine', e: 'ünïcödé' })).toBeUndefined();
  });

  it('reports nesting deeper than the limit without recursing (no stack overflow)', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(inspectJson({ a: deep })).toEqual({
      kind: 'too-deep',
      path: `/a${'/0'.repeat(MAX_DOCUMENT_DEPTH - 1)}`,
    });
    expect(inspectJson({ a: [[['ok']]] })).toBeUndefined();
  });
});

describe('If-Match', () => {
  it('needs the header (428), parses strong tags and *, refuses garbage (400)', () => {
    expect(() => parseIfMatch(undefined)).toThrow(expect.objectContaining({ statusCode: 428 }));
    expect(() => parseIfMatch('  ')).toThrow(expect.objectContaining({ statusCode: 428 }));
    expect(parseIfMatch('"3"')).toEqual({ any: false, versions: [3] });
    expect(parseIfMatch('"3", W/"4", "5"')).toEqual({ any: false, versions: [3, 5] });
    expect(parseIfMatch('*')).toEqual({ any: true });
    expect(() => parseIfMatch('3')).toThrow(
      expect.objectContaining({ statusCode: 400, code: 'INVALID_IF_MATCH' }),
    );
  });
});

describe('cursor', () => {
  it('round-trips an id and refuses anything else with 400', () => {
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    for (const bad of ['x', Buffer.from('id:not-a-uuid').toString('base64url'), '%%%']) {
      expect(() => decodeCursor(bad)).toThrow(
        expect.objectContaining({ statusCode: 400, code: 'INVALID_CURSOR' }),
      );
    }
  });
});
