/** Limits of the typed client's cache of GET answers. */
export interface ResponseCacheOptions {
  /** Most answers kept (default 200). */
  maxEntries?: number;
  /** Most body bytes kept (default 4 MiB); a single answer larger than a quarter is not kept. */
  maxBytes?: number;
}

/** A 200 answer kept for revalidation. */
export interface CachedResponse {
  etag: string;
  status: number;
  statusText: string;
  headers: Headers;
  body: ArrayBuffer;
}

/**
 * The typed client's memory of GET answers that carried an ETag, by URL, least recently used
 * first out. It only ever feeds revalidation: the client sends the ETag in `If-None-Match` and
 * reuses the body when — and only when — the server answers 304. One instance belongs to one
 * client, i.e. one site and one user's token provider, so nothing crosses tenants.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;

  constructor(options: ResponseCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 200);
    this.maxBytes = Math.max(1024, options.maxBytes ?? 4 * 1024 * 1024);
  }

  /** Answers and body bytes held. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  get(url: string): CachedResponse | undefined {
    const entry = this.entries.get(url);
    if (entry) {
      this.entries.delete(url);
      this.entries.set(url, entry);
    }
    return entry;
  }

  set(url: string, entry: CachedResponse): void {
    this.delete(url);
    if (entry.body.byteLength > this.maxBytes / 4) return;
    this.entries.set(url, entry);
    this.bytes += entry.body.byteLength;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(url: string): void {
    const entry = this.entries.get(url);
    if (!entry) return;
    this.entries.delete(url);
    this.bytes -= entry.body.byteLength;
  }
}

/** The answer to hand out for a kept entry (a fresh Response each time: bodies are read once). */
export const responseOf = (entry: CachedResponse): Response =>
  new Response(entry.body.slice(0), {
    status: entry.status,
    statusText: entry.statusText,
    headers: entry.headers,
  });
