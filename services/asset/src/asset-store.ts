import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type PgPool, type PgPoolClient, statement, TenantWriteFenced, withTenantWrite } from '@rt/db';
import { Conflict, NotFound, ServiceUnavailable, TenantMigrating } from '@rt/http';
import { assetKey, assetLockKey } from '@rt/storage';
import type { AssetSettings } from './config.js';
import { AssetRejected, inspectImage, type MediaType, READ_SLICE, type Segment } from './images/index.js';

/** An asset's metadata row as the API shows it. */
export interface AssetRecord {
  id: string;
  sha256: string;
  mediaType: string;
  size: number;
  width: number | null;
  height: number | null;
  createdAt: string;
}

/** Result of an upload: the asset, and whether it was new or already stored. */
export interface IngestResult {
  asset: AssetRecord;
  created: boolean;
}

/** A document using an asset. */
export interface AssetUsage {
  documentType: string;
  documentId: string;
}

const COLUMNS = 'id, sha256, media_type, size, width, height, created_at';
/** A named statement: planned once per connection (every download starts with this lookup). */
const FIND = statement('assets.find', `SELECT ${COLUMNS} FROM assets WHERE id = $1 AND tenant_id = $2`);
const LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

interface AssetRow {
  id: string;
  sha256: string;
  media_type: string;
  size: number;
  width: number | null;
  height: number | null;
  created_at: Date;
}

const toRecord = (r: AssetRow): AssetRecord => ({
  id: r.id,
  sha256: r.sha256,
  mediaType: r.media_type,
  size: r.size,
  width: r.width,
  height: r.height,
  createdAt: r.created_at.toISOString(),
});

/**
 * Stores images of one region: validation and stripping on a spooled copy of the upload, the
 * content-addressed object in the region's bucket, the metadata row in the regional Postgres.
 *
 * Nothing reaches S3 or Postgres before the upload has been validated completely, so a refused
 * upload leaves no trace. Memory stays bounded whatever the size: the body is spooled to a
 * temporary file, parsers read it through a window of {@link READ_SLICE} bytes, and the stripped
 * output (kept ranges of that file) is hashed (sha256, its key), then streamed to S3 in one PUT
 * of known length, its MD5 computed on the way.
 */
export class AssetStore {
  constructor(
    private readonly pool: PgPool,
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly settings: AssetSettings,
  ) {}

  /**
   * One write transaction of the tenant's assets, entered through the regional write fence
   * (`@rt/db`): refused with 503 `TENANT_MIGRATING` while a migration copies the tenant away, so
   * neither a row nor (it is put inside the transaction) an object appears after the copy began.
   */
  private async write<T>(tenantId: string, work: (client: PgPoolClient) => Promise<T>): Promise<T> {
    try {
      return await withTenantWrite(this.pool, tenantId, work);
    } catch (err) {
      if (err instanceof TenantWriteFenced) throw new TenantMigrating(err.retryAfterSeconds);
      throw err;
    }
  }

  /** Validates, strips and stores an upload; identical bytes of one tenant are stored once. */
  async ingest(tenantId: string, declared: MediaType, body: Readable): Promise<IngestResult> {
    // One file per upload, named at random and created exclusively (see spool): no directory of
    // its own, which saves two file-system calls per upload.
    const uploadPath = join(this.settings.spoolDir ?? tmpdir(), `rt-asset-${randomUUID()}`);
    try {
      const size = await spool(body, uploadPath, this.settings.maxBytes);
      const file = await open(uploadPath, 'r');
      try {
        const image = await inspectImage(file, size, declared, this.settings);
        // The stripped output is never written out: it is the upload's kept ranges, hashed in
        // one pass and streamed to S3 in a second (the key is its sha256, so it comes first).
        const content = { file, segments: image.segments, ...(await digestSegments(file, image.segments)) };
        return await this.store(tenantId, image.mediaType, image.width, image.height, content);
      } finally {
        await file.close();
      }
    } finally {
      await rm(uploadPath, { force: true });
    }
  }

  private async store(
    tenantId: string,
    mediaType: MediaType,
    width: number | null,
    height: number | null,
    content: StrippedContent,
  ): Promise<IngestResult> {
    const key = assetKey(tenantId, content.sha256);
    let uploaded = false;
    try {
      return await this.write(tenantId, async (client) => {
        await client.query(LOCK, [assetLockKey(tenantId, content.sha256)]);
        // A repeated upload restarts the garbage-collection grace period: the uploader is about
        // to reference the asset, so it must not be collected as "old and unused" meanwhile.
        const existing = await client.query<AssetRow>(
          `UPDATE assets SET created_at = now() WHERE tenant_id = $1 AND sha256 = $2 RETURNING ${COLUMNS}`,
          [tenantId, content.sha256],
        );
        if (existing.rows[0]) return { asset: toRecord(existing.rows[0]), created: false };
        const md5 = await this.putObject(key, content, mediaType);
        uploaded = true;
        const inserted = await client.query<AssetRow>(
          `INSERT INTO assets (tenant_id, sha256, md5, media_type, size, width, height)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [tenantId, content.sha256, md5, mediaType, content.size, width, height],
        );
        return { asset: toRecord(inserted.rows[0]!), created: true };
      });
    } catch (err) {
      // Rolled back (the insert or the COMMIT failed), so still no row for these bytes: the
      // uploaded object is an orphan.
      if (uploaded)
        await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Streams the stripped output to S3 in one PutObject: a stream with a known length needs no
   * buffering, whereas a multipart upload holds each part in memory (5 MiB and more each). One
   * PUT takes up to 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html),
   * far above the upload cap (ASSET_MAX_BYTES ≤ 512 MiB). A storage failure is a 503 the client
   * may retry, not an internal error.
   *
   * Returns the MD5 of the bytes sent where the store reports it as the ETag of a copy of them
   * (`recordMd5`, so a migration can prove its copies by it), else null. It is computed as the
   * bytes go out rather than in the digest pass: it is not needed for the key, so it costs
   * nothing for a repeated upload and overlaps the store's own work on the body instead of
   * delaying the request.
   */
  private async putObject(
    key: string,
    content: StrippedContent,
    mediaType: MediaType,
  ): Promise<string | null> {
    // The SDK does not retry a request whose body is a stream (it cannot replay it), so the
    // retries of transient failures (a reset keep-alive connection, 5xx, SlowDown) are made
    // here, each attempt with a fresh stream of the spool file.
    for (let attempt = 1; ; attempt++) {
      // Only where the store's copy ETags are MD5s (see `recordMd5`): elsewhere nothing uses it.
      const md5 = this.settings.recordMd5 ? createHash('md5') : undefined;
      let sent = 0;
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: Readable.from(
              readSegments(content.file, content.segments, undefined, (slice) => {
                md5?.update(slice);
                sent += slice.length;
              }),
              { objectMode: false },
            ),
            ContentType: mediaType,
            ContentLength: content.size,
          }),
        );
      } catch (err) {
        if (attempt >= PUT_ATTEMPTS || !transient(err)) throw storageUnavailable(err);
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        continue;
      }
      // The store answers only once it has the whole body, so every byte went through the hash.
      if (sent !== content.size) throw new Error(`sent ${sent} of ${content.size} bytes to the store`);
      return md5?.digest('hex') ?? null;
    }
  }

  /** The tenant's asset, or NotFound (another tenant's asset looks exactly like a missing one). */
  async find(tenantId: string, id: string): Promise<AssetRecord> {
    const { rows } = await this.pool.query<AssetRow>({ ...FIND, values: [id, tenantId] });
    if (!rows[0]) throw new NotFound('asset', 'ASSET_NOT_FOUND');
    return toRecord(rows[0]);
  }

  /** Opens the stored bytes of an asset as a stream. */
  async open(tenantId: string, asset: AssetRecord): Promise<Readable> {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: assetKey(tenantId, asset.sha256) }),
      );
      return out.Body as Readable;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey')
        throw new NotFound('asset content', 'ASSET_CONTENT_MISSING');
      throw err;
    }
  }

  /**
   * A short-lived presigned GET URL of the asset's object. An SVG is a document that a browser
   * opened directly would run in the bucket's origin, and S3 cannot send it with a
   * Content-Security-Policy (presigned URLs override only the `response-*` headers), so SVGs are
   * served as attachments: `<img src>` still shows them, a top-level visit downloads them.
   */
  async presign(tenantId: string, asset: AssetRecord): Promise<{ url: string; expiresAt: string }> {
    const ttl = this.settings.urlTtlSeconds;
    const url = await getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: assetKey(tenantId, asset.sha256),
        ResponseContentType: asset.mediaType,
        ResponseCacheControl: `private, max-age=${ttl}`,
        ResponseContentDisposition:
          asset.mediaType === 'image/svg+xml' ? `attachment; filename="${asset.id}.svg"` : 'inline',
      }),
      { expiresIn: ttl },
    );
    return { url, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  }

  /** Lists the tenant's assets, newest first, with the documents that use each. */
  async list(
    tenantId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Array<AssetRecord & { usages: AssetUsage[] }>; nextCursor: string | null }> {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const { rows } = await this.pool.query<AssetRow>(
      `SELECT ${COLUMNS} FROM assets
        WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [tenantId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const usages = new Map<string, AssetUsage[]>(page.map((r) => [r.id, []]));
    if (page.length > 0) {
      const refs = await this.pool.query<{ asset_id: string; document_type: string; document_id: string }>(
        `SELECT asset_id, document_type, document_id FROM asset_references
          WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) ORDER BY document_type, document_id`,
        [tenantId, page.map((r) => r.id)],
      );
      for (const r of refs.rows) {
        usages.get(r.asset_id)?.push({ documentType: r.document_type, documentId: r.document_id });
      }
    }
    const last = page.at(-1);
    return {
      items: page.map((r) => ({ ...toRecord(r), usages: usages.get(r.id) ?? [] })),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /** Deletes an unused asset (row and object); 409 ASSET_IN_USE while a document references it. */
  async remove(tenantId: string, id: string): Promise<void> {
    const asset = await this.find(tenantId, id);
    await this.write(tenantId, async (client) => {
      await client.query(LOCK, [assetLockKey(tenantId, asset.sha256)]);
      const refs = await client.query<{ document_type: string; document_id: string }>(
        `SELECT document_type, document_id FROM asset_references
          WHERE tenant_id = $1 AND asset_id = $2 ORDER BY document_type, document_id LIMIT 50`,
        [tenantId, id],
      );
      if (refs.rows.length > 0) throw inUse(refs.rows);
      try {
        const deleted = await client.query('DELETE FROM assets WHERE id = $1 AND tenant_id = $2', [
          id,
          tenantId,
        ]);
        if (deleted.rowCount === 0) throw new NotFound('asset', 'ASSET_NOT_FOUND');
      } catch (err) {
        // A reference added after the check above: the foreign key (ON DELETE RESTRICT) refuses.
        if ((err as { code?: string }).code === '23503') throw inUse([]);
        throw err;
      }
      // The object goes before the row is committed: a failure here keeps both (retryable).
      await this.s3
        .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assetKey(tenantId, asset.sha256) }))
        .catch((err: unknown) => {
          throw storageUnavailable(err);
        });
    });
  }
}

/** Attempts of one PutObject (the first included). */
const PUT_ATTEMPTS = 3;

/** S3 error codes worth another attempt although their status is 4xx. */
const TRANSIENT_CODES = new Set(['RequestTimeout', 'RequestTimeTooSkewed', 'SlowDown', 'Throttling']);

/**
 * A failure another attempt may not meet: no HTTP answer at all (connection reset, timeout), a
 * 5xx, 429, or one of {@link TRANSIENT_CODES}. A 4xx such as NoSuchBucket or AccessDenied is final.
 */
function transient(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return status === undefined || status >= 500 || status === 429 || TRANSIENT_CODES.has(e.name ?? '');
}

/** S3 did not answer as it should: retryable from the client's point of view. */
function storageUnavailable(err: unknown): ServiceUnavailable {
  const e = new ServiceUnavailable(
    'ASSET_STORAGE_UNAVAILABLE',
    'the image store is unavailable; retry later',
    5,
  );
  e.cause = err;
  return e;
}

const inUse = (rows: Array<{ document_type: string; document_id: string }>) =>
  new Conflict('ASSET_IN_USE', 'the asset is used by a layout or theme; remove it there first', {
    usages: rows.map((r) => ({ documentType: r.document_type, documentId: r.document_id })),
  });

const encodeCursor = (r: AssetRow) =>
  Buffer.from(JSON.stringify([r.created_at.toISOString(), r.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof createdAt === 'string' &&
      !Number.isNaN(Date.parse(createdAt)) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id)
    ) {
      return { createdAt, id };
    }
  } catch {
    // fall through
  }
  throw new AssetRejected('ASSET_MALFORMED', 'invalid cursor');
}

/**
 * Copies the request body to `path`, refusing it as soon as it exceeds `maxBytes`. On refusal
 * the rest of the body is read and discarded rather than the socket destroyed, so the client
 * receives the 413 (the server closes the connection after the response).
 */
function spool(body: Readable, path: string, maxBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // A large buffer: the socket is not paused whenever the disk lags, and queued chunks go out
    // in one writev. Bounded: at most this much of an upload is held in memory.
    // Private to this process (0600) and never an existing file ('wx'): the spool directory may be
    // a shared /tmp, where a planted symlink must not redirect an upload.
    const out = createWriteStream(path, { highWaterMark: READ_SLICE * 4, flags: 'wx', mode: 0o600 });
    let size = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      body.unpipe(out);
      body.removeListener('data', onData);
      body.resume();
      out.destroy();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        fail(new AssetRejected('ASSET_TOO_LARGE', `uploads are limited to ${maxBytes} bytes`, { maxBytes }));
      }
    };
    const aborted = () => fail(new AssetRejected('ASSET_UPLOAD_ABORTED', 'the upload was interrupted'));
    let ended = false;
    body.on('data', onData);
    body.on('end', () => {
      ended = true;
    });
    // A client that disconnects mid-body: depending on the stream, 'error', 'aborted' or just
    // 'close' without 'end'. Without this the request would wait forever.
    body.on('error', aborted);
    body.on('aborted', aborted);
    body.on('close', () => {
      if (!ended) aborted();
    });
    out.on('error', (err) => fail(err));
    out.on('finish', () => {
      if (!failed) resolve(size);
    });
    body.pipe(out);
  });
}

/** The stripped output of an upload: its kept ranges and replacement bytes, its sha256 and size. */
interface StrippedContent {
  file: FileHandle;
  segments: Segment[];
  sha256: string;
  size: number;
}

/**
 * The stripped output (kept ranges of `file` + replacement bytes), in slices of at most
 * {@link READ_SLICE} bytes. Each slice is a new buffer unless `reuse` is given (for a consumer
 * that is done with a slice before asking for the next, like a hash); `tap` sees every slice
 * before it is handed on.
 */
async function* readSegments(
  file: FileHandle,
  segments: Segment[],
  reuse?: Buffer,
  tap?: (slice: Buffer) => void,
): AsyncGenerator<Buffer> {
  for (const segment of segments) {
    if (Buffer.isBuffer(segment)) {
      if (segment.length > 0) {
        tap?.(segment);
        yield segment;
      }
      continue;
    }
    for (let at = segment.start; at < segment.end; ) {
      const want = Math.min(READ_SLICE, segment.end - at);
      const buffer = reuse ?? Buffer.allocUnsafe(want);
      const { bytesRead } = await file.read(buffer, 0, want, at);
      if (bytesRead === 0) throw new Error('the spooled upload is shorter than its inspection');
      const slice = buffer.subarray(0, bytesRead);
      tap?.(slice);
      yield slice;
      at += bytesRead;
    }
  }
}

/** sha256 (the content address) and size of the stripped output, read through one reused buffer. */
async function digestSegments(
  file: FileHandle,
  segments: Segment[],
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const slice of readSegments(file, segments, Buffer.allocUnsafe(READ_SLICE))) {
    hash.update(slice);
    size += slice.length;
  }
  return { sha256: hash.digest('hex'), size };
}
