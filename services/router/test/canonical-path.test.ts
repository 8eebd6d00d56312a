import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isPlainPath,
  joinSegments,
  PathNotCanonical,
  parseTarget,
  queryWithoutJwt,
} from '../src/edge/canonical-path.js';

/** What a WHATWG URL parser (as undici and reply-from use it) makes of a path. */
const whatwgPath = (path: string) => new URL(path, 'http://upstream.test').pathname;

const accepts = (target: string) => {
  try {
    return parseTarget(target);
  } catch (err) {
    if (err instanceof PathNotCanonical) return undefined;
    throw err;
  }
};

/** Characters that make paths interesting: separators, dots, escapes, parameters, controls. */
const pathChar = fc.oneof(
  fc.constantFrom('/', '\\', '.', '%', ';', '?', '#', '%2e', '%2E', '%2f', '%2F', '%5c', '%5C', '%25', '%00'),
  fc.constantFrom(
    '%c0%ae',
    '%c0%af',
    '%e0%80%ae',
    '%c3%a9',
    '%e2%82%ac',
    '%ff',
    '%3b',
    '%61',
    '%20',
    ':',
    '@',
  ),
  fc.constantFrom('a', 'b', 'x', '1', '-', '_', '~', '!', '*', "'", '(', ')', '+', ',', '=', '$', '&'),
  fc.string({ minLength: 1, maxLength: 1 }),
);
const rawTarget = fc.array(pathChar, { maxLength: 24 }).map((parts) => `/${parts.join('')}`);
/** Decoded segments as a route parameter may hold them (any Unicode text). */
const segment = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' });

describe('path canonicaliser', () => {
  it('refuses the known tricks', () => {
    for (const target of [
      '/api/v1/layouts/x\\..\\..\\dare-migration/schedule',
      '/api/v1/layouts/..%2fdare-migration',
      '/api/v1/layouts/%2e%2e/x',
      '/api/v1/layouts/.%2E/x',
      '/api/v1/layouts/%252e%252e/x',
      '/api/v1/layouts/%c0%ae%c0%ae/x',
      '/api/v1/layouts/%e0%80%ae/x',
      '/api/v1/layouts/x%5cy',
      '/api/v1/layouts;jsessionid=1',
      '/api/v1/layouts/x%3b',
      '/api/v1//layouts',
      '/api/v1/./layouts',
      '/api/v1/layouts/..',
      '/%61pi/v1/layouts',
      '/api/v1/layouts/x%00',
      '/api/v1/layouts/x%zz',
      '/api/v1/layouts/x%',
      'http://evil.example/api/v1/layouts',
      '*',
      '',
    ]) {
      expect(() => parseTarget(target), target).toThrow(PathNotCanonical);
    }
  });

  it('takes a plain path as it arrived only where the full checks give the same answer', () => {
    // Segments of unreserved characters (dots included, so `.` and `..` come up) and a few others.
    const plainSegment = fc
      .array(fc.constantFrom('a', 'Z', '9', '-', '_', '~', '.', '%41', ':', ''), {
        minLength: 0,
        maxLength: 4,
      })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(plainSegment, { minLength: 1, maxLength: 5 }), fc.boolean(), (segments, slash) => {
        const path = `/${segments.join('/')}${slash ? '/' : ''}`;
        const plain = isPlainPath(path);
        const parsed = accepts(path);
        if (plain) {
          // Never a dot or empty segment, never an escape: accepted, and unchanged by re-encoding.
          expect(parsed?.path).toBe(path);
          expect(joinSegments(parsed!.segments, parsed!.trailingSlash)).toBe(path);
        }
        // A last empty segment is a trailing slash; any other is `//`.
        const empty = segments.slice(0, -1).includes('') || (slash && segments.at(-1) === '');
        if (empty || segments.some((s) => s === '.' || s === '..')) expect(plain).toBe(false);
        if (segments.some((s) => /[%:]/.test(s))) expect(plain).toBe(false);
      }),
      { numRuns: 2000 },
    );
    expect(isPlainPath('/api/v1/layouts/7f1e4c2a-0000-4000-8000-000000000001')).toBe(true);
    for (const path of ['/api/v1/..', '/api/./v1', '/api//v1', '/', '', 'api/v1', '/api/v1/%2e%2e', '/a\\b'])
      expect(isPlainPath(path), path).toBe(false);
  });

  it('accepts ordinary paths and keeps the query apart', () => {
    expect(parseTarget('/api/v1/layouts/abc?limit=5&jwt=x')).toEqual({
      segments: ['api', 'v1', 'layouts', 'abc'],
      trailingSlash: false,
      path: '/api/v1/layouts/abc',
      query: 'limit=5&jwt=x',
    });
    expect(parseTarget('/ops/console/').path).toBe('/ops/console/');
    expect(parseTarget('/api/v1/spaces/~user%C3%A9').segments.at(-1)).toBe('~useré');
    expect(queryWithoutJwt('limit=5&jwt=x&cursor=a%20b')).toBe('limit=5&cursor=a+b');
    expect(queryWithoutJwt('scope=site&limit=25')).toBe('scope=site&limit=25');
    for (const query of ['jwt=x', '%6Awt=x', 'a=1&j%77t=x', 'jw%74=x&b=2', 'JWT=x&jwt=y']) {
      expect(new URLSearchParams(queryWithoutJwt(query)).has('jwt'), query).toBe(false);
    }
  });

  it('leaves no jwt parameter in any query, and every other parameter as it was', () => {
    const queryChar = fc.constantFrom(...'ajwtJWT=&%+2046A7F;:@/?!$()*,-._~'.split(''), '%6A', '%77', '%74');
    fc.assert(
      fc.property(fc.array(queryChar, { maxLength: 30 }), (chars) => {
        const query = chars.join('');
        let expected: [string, string][];
        try {
          const params = new URLSearchParams(query);
          params.delete('jwt');
          expected = [...params];
        } catch {
          return;
        }
        const kept = new URLSearchParams(queryWithoutJwt(query));
        expect(kept.has('jwt'), query).toBe(false);
        expect([...kept], query).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent, and what it accepts every URL parser reads the same way', () => {
    fc.assert(
      fc.property(rawTarget, (target) => {
        const parsed = accepts(target);
        if (!parsed) return;
        const again = parseTarget(parsed.path);
        expect(again.path).toBe(parsed.path);
        expect(again.segments).toEqual(parsed.segments);
        for (const path of [target.split('?')[0]!, parsed.path]) {
          expect(path).not.toContain('\\');
          expect(path.toLowerCase()).not.toMatch(/%2f|%5c|%2e|%25|;/);
          expect(path.split('/').slice(1, parsed.trailingSlash ? -1 : undefined)).not.toContain('..');
        }
        // WHATWG URL would neither resolve a dot segment nor turn a backslash into a separator.
        expect(whatwgPath(parsed.path)).toBe(parsed.path);
        for (const s of parsed.segments) expect(['', '.', '..']).not.toContain(s);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips any route parameter: encoded segments parse back to themselves', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const refused = (c: string) =>
          c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '\\/%;'.includes(c);
        const bad = segments.some((s) => s === '.' || s === '..' || [...s].some(refused));
        const path = (() => {
          try {
            return joinSegments(segments);
          } catch {
            return undefined;
          }
        })();
        if (path === undefined) {
          expect(segments.some((s) => s === '.' || s === '..')).toBe(true);
          return;
        }
        const parsed = accepts(path);
        if (bad) {
          // Encoded separators, escapes and controls are never accepted back.
          expect(parsed).toBeUndefined();
          return;
        }
        expect(parsed?.segments).toEqual(segments);
        expect(parsed?.path).toBe(path);
      }),
      { numRuns: 3000 },
    );
  });
});
