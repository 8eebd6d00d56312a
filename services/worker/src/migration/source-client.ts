import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { RegionExportClaims } from '@rt/auth';
import { REGION_EXPORT_PREFIX } from './export.js';
import type { ListedObject } from './objects.js';
import type { DigestAlgorithm, RowDigests } from './rows.js';

/** The source region answered the export with an error (retried by the job; see its code). */
export class RegionExportFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`source region export answered ${status} ${code}`);
    this.name = 'RegionExportFailed';
  }
}

/**
 * The target region's client of a source region's export endpoint (see `regionExportRoutes`):
 * every request carries a fresh region-export token bound to the migration and the direction.
 */
export class SourceRegionClient {
  constructor(
    private readonly baseUrl: string,
    private readonly sign: (claims: RegionExportClaims) => string,
    private readonly self: string,
    private readonly source: string,
  ) {}

  private async request(
    migrationId: string,
    what: 'objects' | 'asset-objects' | 'rows',
    timeoutMs: number,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    const res = await fetch(`${this.baseUrl}${REGION_EXPORT_PREFIX}/migrations/${migrationId}/${what}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${this.sign({ iss: this.self, src: this.source, mid: migrationId })}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { code?: string };
      throw new RegionExportFailed(res.status, body.code ?? 'UNKNOWN');
    }
    return res;
  }

  /** The tenant's objects in the source bucket: key → size, ETag, upload MD5 and media type. */
  async listObjects(
    migrationId: string,
    of: 'objects' | 'asset-objects' = 'objects',
  ): Promise<Map<string, ListedObject>> {
    const res = await this.request(migrationId, of, 120_000);
    const body = (await res.json()) as { objects: ({ key: string } & ListedObject)[] };
    return new Map(body.objects.map(({ key, ...o }) => [key, o]));
  }

  /** The objects the tenant's asset rows in the source need (its database, no listing). */
  assetObjects(migrationId: string): Promise<Map<string, ListedObject>> {
    return this.listObjects(migrationId, 'asset-objects');
  }

  /**
   * The tenant's rows of the buckets that differ from what the target holds (`held`: bucket
   * digests per table), as the source's NDJSON delta stream, line by line.
   */
  async *rows(
    migrationId: string,
    held: RowDigests,
    algorithm: DigestAlgorithm,
    signal?: AbortSignal,
  ): AsyncGenerator<string> {
    const res = await this.request(migrationId, 'rows', 30 * 60_000, { algorithm, tables: held }, signal);
    if (!res.body) throw new RegionExportFailed(res.status, 'EMPTY_BODY');
    const lines = createInterface({
      input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    yield* lines;
  }
}
