import { BadRequest } from '@rt/http';

/**
 * The one canonical form of a request target, decided before anything routes or authenticates.
 *
 * Why so strict: the same bytes are read by several parsers on the way to a service (Node's
 * HTTP parser, find-my-way, @fastify/reply-from, WHATWG `URL`, undici, the service's own
 * router), and they disagree about `\`, dot segments, `%2f`, `;` and empty segments — WHATWG
 * `URL` turns `\` into `/` and removes `..`, find-my-way cuts a path at `;`. A target that any
 * two of them could read differently is refused, so every later decision (route, kind, freeze,
 * body limit, upstream path) is taken on one path that all of them read the same way.
 * RFC 3986 §3.3 (segments), §2.3/§6.2.2 (percent-encoding normalisation), §5.2.4 (dot segments).
 */

/** 400 for a request target that is not in canonical form. */
export class PathNotCanonical extends BadRequest {
  constructor(reason: string) {
    super('PATH_NOT_CANONICAL', `request path is not in canonical form: ${reason}`);
  }
}

/** The parts of an accepted request target. */
export interface CanonicalTarget {
  /** The decoded path segments (no empty, `.` or `..` segment; the root path has none). */
  segments: string[];
  /** True when the path ends with `/` (e.g. `/ops/console/`). */
  trailingSlash: boolean;
  /** The path re-encoded from `segments` (what {@link canonicalPath} returns). */
  path: string;
  /** The raw query string without `?` ('' when none). */
  query: string;
}

/** Raw characters a path may hold: RFC 3986 `pchar` and `/`, minus `;` (path parameters). */
const RAW_PATH = /^[A-Za-z0-9\-._~!$&'()*+,=:@/%]*$/;
/** Characters of `RAW_PATH` that must never arrive percent-encoded (separators and RFC 3986 unreserved). */
const MUST_NOT_ENCODE = /[A-Za-z0-9\-._~/\\;%]/;
const PERCENT = /%([0-9A-Fa-f]{2})?/g;
/** `/segment` steps of RFC 3986 unreserved characters only (an optional trailing `/`). */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9\-._~]+)+\/?$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/**
 * A path that is its own canonical form: unreserved characters only, no empty or dot segment.
 * Decoding leaves it as it is and re-encoding gives it back, so it is taken as it arrived (the
 * paths the front end sends: `/api/v1/layouts/<uuid>`); anything else goes through the checks.
 */
export const isPlainPath = (path: string): boolean => PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path);
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const decodeSegment = (raw: string): string => {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  let last = 0;
  for (const m of raw.matchAll(PERCENT)) {
    if (!m[1]) throw new PathNotCanonical('a "%" not followed by two hex digits');
    for (const ch of Buffer.from(raw.slice(last, m.index), 'latin1')) bytes.push(ch);
    const byte = Number.parseInt(m[1], 16);
    if (byte < 0x80) {
      const ch = String.fromCharCode(byte);
      if (byte < 0x20 || byte === 0x7f) throw new PathNotCanonical('an encoded control character');
      if (MUST_NOT_ENCODE.test(ch)) throw new PathNotCanonical(`an encoded "${ch}"`);
    }
    bytes.push(byte);
    last = (m.index ?? 0) + m[0].length;
  }
  for (const ch of Buffer.from(raw.slice(last), 'latin1')) bytes.push(ch);
  try {
    // `fatal` refuses overlong forms (`%c0%af`), surrogates and truncated sequences.
    return UTF8.decode(Uint8Array.from(bytes));
  } catch {
    throw new PathNotCanonical('percent-encoding that is not valid UTF-8');
  }
};

/**
 * Splits and checks a raw request target (`request.raw.url`); throws {@link PathNotCanonical}
 * for anything ambiguous: not origin-form (absolute-form `http://host/p`, `*`), `\` raw or
 * encoded, `.`/`..` segments, empty segments (`//`), `;`, encoded separators, encoded `%`
 * (double encoding), encoded unreserved characters (`%61`), encoded control characters, invalid
 * or overlong UTF-8, or any raw character outside RFC 3986 `pchar`.
 */
export function parseTarget(target: string): CanonicalTarget {
  if (!target.startsWith('/')) throw new PathNotCanonical('not an origin-form target');
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q + 1);
  if (!RAW_PATH.test(rawPath)) {
    if (rawPath.includes('\\')) throw new PathNotCanonical('a backslash');
    if (rawPath.includes(';')) throw new PathNotCanonical('a ";" path parameter');
    throw new PathNotCanonical('a character that must be percent-encoded');
  }
  // The query is handed on as-is (minus `jwt`); it must not carry what the path may not.
  if (/[^\x21-\x7e]/.test(query))
    throw new PathNotCanonical('a raw control or non-ASCII character in the query');
  if (rawPath === '/') return { segments: [], trailingSlash: false, path: '/', query };
  const parts = rawPath.slice(1).split('/');
  const trailingSlash = parts[parts.length - 1] === '';
  if (trailingSlash) parts.pop();
  if (isPlainPath(rawPath)) return { segments: parts, trailingSlash, path: rawPath, query };
  const segments = parts.map((raw) => {
    if (raw === '') throw new PathNotCanonical('an empty segment ("//")');
    const segment = decodeSegment(raw);
    if (segment === '.' || segment === '..') throw new PathNotCanonical('a dot segment');
    return segment;
  });
  return { segments, trailingSlash, path: joinSegments(segments, trailingSlash), query };
}

/** Re-encodes decoded segments into a path (each segment with `encodeURIComponent`). */
export function joinSegments(segments: readonly string[], trailingSlash = false): string {
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') throw new PathNotCanonical('an empty or dot segment');
  }
  const path = `/${segments.map(encodeURIComponent).join('/')}`;
  return trailingSlash && segments.length ? `${path}/` : path;
}

/** The canonical path of a target (throws {@link PathNotCanonical} when it is ambiguous). */
export const canonicalPath = (target: string): string => parseTarget(target).path;

/** RFC 3986 query characters other than `%`: nothing in such a query is encoded. */
const PLAIN_QUERY = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*$/;

/**
 * The query string without `jwt` (the Atlassian token never travels past the router), without `?`.
 * A query with nothing encoded and no `jwt` in it has no parameter named `jwt` however it is
 * parsed, and is passed on as it came (the front end's `scope=site&limit=25`); any other is
 * parsed, the parameter removed, and the rest serialized again.
 */
export function queryWithoutJwt(query: string): string {
  if (!query) return '';
  if (!query.includes('jwt') && PLAIN_QUERY.test(query)) return query;
  const params = new URLSearchParams(query);
  params.delete('jwt');
  return params.toString();
}
