import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../src/response-cache.js';

const entry = (bytes: number, etag = '"1"') => ({
  etag,
  status: 200,
  statusText: 'OK',
  headers: new Headers({ etag }),
  body: new ArrayBuffer(bytes),
});

describe('ResponseCache', () => {
  it('is bounded by entries and bytes, least recently used out first', () => {
    const cache = new ResponseCache({ maxEntries: 2, maxBytes: 64 * 1024 });
    cache.set('a', entry(10));
    cache.set('b', entry(10));
    cache.get('a');
    cache.set('c', entry(10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    const bytes = new ResponseCache({ maxEntries: 100, maxBytes: 64 * 1024 });
    for (let i = 0; i < 20; i++) bytes.set(String(i), entry(10 * 1024));
    expect(bytes.size.bytes).toBeLessThanOrEqual(64 * 1024);
    bytes.set('huge', entry(32 * 1024));
    expect(bytes.get('huge')).toBeUndefined();
  });
});
