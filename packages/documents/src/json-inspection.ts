import { UUID_RE } from './schemas/common.js';

/** Largest JSON document (all JSON parts of one layout or theme together) accepted, in bytes. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/** Deepest nesting accepted in a document body (real layouts stay under 12 levels). */
export const MAX_DOCUMENT_DEPTH = 32;

/** What {@link inspectJson} found wrong, with the JSON-pointer path of the first occurrence. */
export type JsonProblem = { kind: 'too-deep' | 'unstorable-text'; path: string };

/**
 * Walks a parsed body iteratively (no recursion: a body of 100 000 nested arrays must be a
 * 400, not a stack overflow) and reports the first problem the schema cannot express:
 * - nesting deeper than `maxDepth` (`JSON.stringify` and the validators recurse);
 * - a string (value or key) Postgres cannot store: `\u0000` and unpaired surrogates are valid
 *   in JavaScript and JSON text, but `text`/`jsonb` refuse them.
 */
export function inspectJson(root: unknown, maxDepth = MAX_DOCUMENT_DEPTH): JsonProblem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      if (!isStorable(value)) return { kind: 'unstorable-text', path: path || '/' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return { kind: 'too-deep', path: path || '/' };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: `${path}/${i}`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i] as [string, unknown];
      const itemPath = `${path}/${escapePointer(key)}`;
      if (!isStorable(key)) return { kind: 'unstorable-text', path: itemPath };
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The path of the first string Postgres cannot store, or undefined (see {@link inspectJson}). */
export function findUnstorableText(value: unknown): string | undefined {
  const problem = inspectJson(value, Number.POSITIVE_INFINITY);
  return problem?.kind === 'unstorable-text' ? problem.path : undefined;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const isStorable = (s: string): boolean => !s.includes('\u0000') && !UNPAIRED_SURROGATE.test(s);

const escapePointer = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** One `{"$asset": "<id>"}` found in a document. */
export interface AssetReferenceOccurrence {
  /** JSON pointer of the reference object, e.g. `/content/header/logo`. */
  path: string;
  assetId: string;
}

/**
 * Collects every `{"$asset": …}` object in a document, wherever it sits, so that a new schema
 * version that places images elsewhere needs no change here. A `$asset` that is not a UUID is
 * returned with the raw value; the caller rejects it.
 */
export function collectAssetReferences(value: unknown, path = ''): AssetReferenceOccurrence[] {
  const found: AssetReferenceOccurrence[] = [];
  const walk = (v: unknown, p: string) => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${p}/${i}`);
    } else if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      if ('$asset' in record) found.push({ path: p, assetId: String(record.$asset) });
      for (const [key, item] of Object.entries(record)) {
        if (key !== '$asset') walk(item, `${p}/${escapePointer(key)}`);
      }
    }
  };
  walk(value, path);
  return found;
}

/** True for ids Postgres accepts as a uuid. */
export const isUuid = (s: string): boolean => UUID_RE.test(s);
