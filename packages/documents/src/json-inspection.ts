import { UUID_RE } from './schemas/common.js';

/** Largest JSON document (all JSON parts of one layout or theme together) accepted, in bytes. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/**
 * Returns the JSON-pointer path of the first string (value or key) Postgres cannot store, or
 * undefined. `\u0000` and unpaired surrogates are valid in JavaScript strings and in JSON text,
 * but `text`/`jsonb` refuse them; finding them here keeps such input a 400 instead of a 500.
 */
export function findUnstorableText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isStorable(value) ? undefined : path || '/';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}/${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const itemPath = `${path}/${escapePointer(key)}`;
      if (!isStorable(key)) return itemPath;
      const found = findUnstorableText(item, itemPath);
      if (found) return found;
    }
  }
  return undefined;
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
