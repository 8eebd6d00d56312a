import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { allowAllWritesForTests } from '@rt/auth';
import { copyEtagIsMd5 } from '@rt/config';
import { createPgPool, createRegionalClient, liftWriteFence, type PgPool, raiseWriteFence } from '@rt/db';
import { Forbidden, type ServiceApp } from '@rt/http';
import { assetKey, createS3Client } from '@rt/storage';
import {
  createTestDatabase,
  internalToken,
  type LocalS3,
  pngChunk,
  startLocalS3,
  type TestDatabase,
} from '@rt/testing';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app.js';
import { defaultAssetSettings } from '../src/config.js';
import { buildPng, type ImageCase, ihdr, imageCases, jpegSegment, riff, vp8x } from './fixtures.js';
import { harmlessSvgs, hasExternalReference, hostileSvgs } from './svg-corpus.js';

const secret = 's'.repeat(40);
const bucket = 'rt-test-assets-api';
const MAX_BYTES = 256 * 1024;
const tenantA = randomUUID();
const tenantB = randomUUID();
let database: TestDatabase;
let s3server: LocalS3;
let s3: S3Client;
let pool: PgPool;
let app: ServiceApp;
let cases: ImageCase[];
let close: () => Promise<void>;

beforeAll(async () => {
  [database, s3server, cases] = await Promise.all([
    createTestDatabase('regional', 'assetapi'),
    startLocalS3({ buckets: [bucket] }),
    imageCases(),
  ]);
  pool = createPgPool({ url: database.url, poolSize: 4 });
  s3 = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3server.endpoint });
  app = await assetApp(
    {
      // The store is s3rver, whose copy ETags are MD5s: uploads record theirs (S3_COPY_ETAG_IS_MD5).
      assets: {
        maxBytes: MAX_BYTES,
        maxPixels: 4_000_000,
        maxSvgBytes: 64 * 1024,
        urlTtlSeconds: 60,
        recordMd5: true,
      },
    },
    2,
  );
  close = async () => {
    await app.close();
    s3.destroy();
    await pool.end();
  };
});

afterAll(async () => {
  await close?.();
  await s3server?.close();
  await database?.drop();
});

const auth = (tenantId: string) => ({ authorization: `Bearer ${internalToken(secret, tenantId)}` });

const upload = (tenantId: string, body: Buffer | Readable | undefined, contentType?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/assets',
    headers: { ...auth(tenantId), ...(contentType ? { 'content-type': contentType } : {}) },
    ...(body === undefined ? {} : { payload: body }),
  });

async function bucketKeys(): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

const rowCount = async () => Number((await pool.query('SELECT count(*) AS n FROM assets')).rows[0].n);

async function objectBytes(key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

const sha256 = async (b: Buffer) =>
  (await import('node:crypto')).createHash('sha256').update(b).digest('hex');

/**
 * An asset service on the suite's database, pool and store (the suite's own, or another with
 * other settings): its own database client, closed with the app.
 */
async function assetApp(
  overrides: Partial<Parameters<typeof buildApp>[0]>,
  dbPoolSize = 1,
): Promise<ServiceApp> {
  const db = createRegionalClient({ url: database.url, poolSize: dbPoolSize });
  const service = await buildApp({
    internalTokenSecret: secret,
    db,
    pool,
    authorize: allowAllWritesForTests,
    s3,
    bucket,
    logLevel: 'silent',
    ...overrides,
  });
  service.addHook('onClose', () => db.$disconnect());
  return service;
}

describe('upload and download round trip', () => {
  it('stores every type stripped, byte-exact, under tenants/{tenant}/assets/{sha256}', async () => {
    for (const c of cases) {
      const res = await upload(tenantA, c.dirty, c.mediaType);
      expect(res.statusCode, `${c.name}: ${res.body}`).toBe(201);
      const body = res.json();
      const expectedSha = await sha256(c.clean);
      expect(body).toMatchObject({
        mediaType: c.mediaType,
        size: c.clean.length,
        width: c.width,
        height: c.height,
        sha256: expectedSha,
        deduplicated: false,
      });
      // The object in S3 is exactly the clean image.
      expect((await objectBytes(assetKey(tenantA, expectedSha))).equals(c.clean), c.name).toBe(true);
      // Its MD5 is recorded from the same bytes (a migration proves its copies by it).
      const { rows } = await pool.query<{ md5: string }>('SELECT md5 FROM assets WHERE id = $1', [body.id]);
      expect(rows[0]?.md5).toBe(createHash('md5').update(c.clean).digest('hex'));

      const get = await app.inject({
        method: 'GET',
        url: `/api/v1/assets/${body.id}`,
        headers: auth(tenantA),
      });
      expect(get.statusCode).toBe(200);
      expect(get.rawPayload.equals(c.clean), c.name).toBe(true);
      expect(get.headers['content-type']).toBe(c.mediaType);
      expect(get.headers.etag).toBe(`"${expectedSha}"`);
      expect(get.headers['cache-control']).toMatch(/^private,.*immutable/);
      expect(get.headers['content-security-policy']).toContain("default-src 'none'");
      expect(get.headers['x-content-type-options']).toBe('nosniff');
      expect(get.headers['referrer-policy']).toBe('no-referrer');
      expect(get.headers['cross-origin-resource-policy']).toBe('cross-origin');

      const cached = await app.inject({
        method: 'GET',
        url: `/api/v1/assets/${body.id}`,
        headers: { ...auth(tenantA), 'if-none-match': `"${expectedSha}"` },
      });
      expect(cached.statusCode).toBe(304);
      expect(cached.rawPayload.length).toBe(0);
    }
  });

  it('accepts a multipart/form-data upload (first file part) the same way', async () => {
    const jpeg = cases.find((c) => c.name === 'jpeg')!;
    const res = await upload(tenantA, form('image/jpeg', jpeg.dirty), FORM);
    expect(res.statusCode, res.body).toBe(200); // same bytes as the raw upload above
    expect(res.json()).toMatchObject({ sha256: await sha256(jpeg.clean), deduplicated: true, width: 48 });
  });

  it('stores identical bytes once per tenant (also when only the metadata differed)', async () => {
    const png = cases.find((c) => c.name === 'png')!;
    const keysBefore = (await bucketKeys()).length;
    const rowsBefore = await rowCount();
    const first = await upload(tenantA, png.dirty, png.mediaType);
    const again = await upload(tenantA, png.clean, png.mediaType);
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ deduplicated: true });
    expect(again.json().id).toBe(first.json().id);
    expect((await bucketKeys()).length).toBe(keysBefore);
    expect(await rowCount()).toBe(rowsBefore);

    // Another tenant's copy of the same bytes is its own asset under its own prefix.
    const other = await upload(tenantB, png.dirty, png.mediaType);
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(first.json().id);
    expect(await bucketKeys()).toContain(assetKey(tenantB, first.json().sha256));
  });

  it('hides other tenants’ assets (404, as if missing)', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/v1/assets?limit=200', headers: auth(tenantA) });
    const id = list.json().items[0].id;
    for (const [method, url] of [
      ['GET', `/api/v1/assets/${id}`],
      ['GET', `/api/v1/assets/${id}/url`],
      ['DELETE', `/api/v1/assets/${id}`],
    ] as const) {
      const res = await app.inject({ method, url, headers: auth(tenantB) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe('ASSET_NOT_FOUND');
    }
    const listB = await app.inject({ method: 'GET', url: '/api/v1/assets', headers: auth(tenantB) });
    expect(listB.json().items.map((a: { id: string }) => a.id)).not.toContain(id);
    const missing = await app.inject({
      method: 'GET',
      url: `/api/v1/assets/${randomUUID()}`,
      headers: auth(tenantA),
    });
    expect(missing.statusCode).toBe(404);
    const badId = await app.inject({
      method: 'GET',
      url: '/api/v1/assets/not-a-uuid',
      headers: auth(tenantA),
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().code).toBe('VALIDATION_FAILED');
  });

  it('returns a short-lived presigned URL that serves the stored bytes', async () => {
    const gif = cases.find((c) => c.name === 'gif')!;
    const id = (await upload(tenantA, gif.clean, gif.mediaType)).json().id;
    const res = await app.inject({ method: 'GET', url: `/api/v1/assets/${id}/url`, headers: auth(tenantA) });
    expect(res.statusCode).toBe(200);
    const { url, expiresAt } = res.json();
    expect(url).toContain('X-Amz-Expires=60');
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-disposition')).toBe('inline');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(gif.clean)).toBe(true);
  });

  it('presigns SVGs as attachments, so a browser never renders one in the bucket origin', async () => {
    const svg = cases.find((c) => c.name === 'svg')!;
    const id = (await upload(tenantA, svg.clean, svg.mediaType)).json().id;
    const res = await app.inject({ method: 'GET', url: `/api/v1/assets/${id}/url`, headers: auth(tenantA) });
    expect(res.statusCode).toBe(200);
    const fetched = await fetch(res.json().url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-disposition')).toBe(`attachment; filename="${id}.svg"`);
    expect(fetched.headers.get('content-type')).toBe('image/svg+xml');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(svg.clean)).toBe(true);
  });

  it('stores tricky but harmless SVGs as the one document the checks saw', async () => {
    for (const [name, input, stored] of harmlessSvgs) {
      const res = await upload(tenantA, Buffer.from(input), 'image/svg+xml');
      expect(res.statusCode, `${name}: ${res.body}`).toBe(201);
      const bytes = await objectBytes(assetKey(tenantA, res.json().sha256));
      expect(bytes.toString('utf8'), name).toBe(stored);
      expect(hasExternalReference(bytes.toString('utf8')), name).toBe(false);
    }
  });
});

describe('listing, usages and deletion', () => {
  const tenant = randomUUID();

  it('lists assets with the documents using them, pages, and refuses to delete a used asset', async () => {
    const ids: string[] = [];
    for (const size of [5, 6, 7]) {
      const res = await upload(tenant, buildPng(size, size), 'image/png');
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    const layoutId = randomUUID();
    await pool.query(
      `INSERT INTO layouts (id, tenant_id, name, scope, content) VALUES ($1, $2, 'Home', 'site', '{}')`,
      [layoutId, tenant],
    );
    await pool.query(
      `INSERT INTO asset_references (tenant_id, asset_id, document_type, document_id) VALUES ($1, $2, 'layout', $3)`,
      [tenant, ids[0], layoutId],
    );

    const page1 = await app.inject({ method: 'GET', url: '/api/v1/assets?limit=2', headers: auth(tenant) });
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items).toHaveLength(2);
    const cursor = page1.json().nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const page2 = await app.inject({
      method: 'GET',
      url: `/api/v1/assets?limit=2&cursor=${cursor}`,
      headers: auth(tenant),
    });
    expect(page2.json().nextCursor).toBeNull();
    const all = [...page1.json().items, ...page2.json().items];
    expect(all.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(all.find((a) => a.id === ids[0]).usages).toEqual([
      { documentType: 'layout', documentId: layoutId },
    ]);
    expect(all.find((a) => a.id === ids[1]).usages).toEqual([]);

    const refused = await app.inject({
      method: 'DELETE',
      url: `/api/v1/assets/${ids[0]}`,
      headers: auth(tenant),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'ASSET_IN_USE',
      details: { usages: [{ documentType: 'layout', documentId: layoutId }] },
    });

    const sha = all.find((a) => a.id === ids[1]).sha256;
    expect(await bucketKeys()).toContain(assetKey(tenant, sha));
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/assets/${ids[1]}`,
      headers: auth(tenant),
    });
    expect(deleted.statusCode).toBe(204);
    expect(await bucketKeys()).not.toContain(assetKey(tenant, sha));
    const gone = await app.inject({ method: 'GET', url: `/api/v1/assets/${ids[1]}`, headers: auth(tenant) });
    expect(gone.statusCode).toBe(404);

    const badCursor = await app.inject({
      method: 'GET',
      url: '/api/v1/assets?cursor=abc',
      headers: auth(tenant),
    });
    expect(badCursor.statusCode).toBe(400);
  });
});

const BOUNDARY = 'rt-test-boundary-7d1f';
const FORM = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart/form-data body with one part (a file part unless `asFile` is false). */
function form(type: string, bytes: Buffer, asFile = true): Buffer {
  const disposition = asFile ? 'form-data; name="file"; filename="upload.bin"' : 'form-data; name="note"';
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${type}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** Each entry: name, body, declared type, expected status and code. */
function hostileCorpus(): Array<[string, Buffer | Readable | undefined, string | undefined, number, string]> {
  const png = cases.find((c) => c.name === 'png')!.clean;
  const jpeg = cases.find((c) => c.name === 'jpeg')!.clean;
  const gif = cases.find((c) => c.name === 'gif')!.clean;
  const webp = cases.find((c) => c.name === 'webp')!.clean;
  const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40, 1)]);
  const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
  const svg = (inner: string, extra = '') =>
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"${extra}>${inner}</svg>`,
    );
  // Pixel bombs: tiny files whose headers announce gigapixels.
  const pngBomb = Buffer.concat([
    png.subarray(0, 8),
    ihdr(100_000, 100_000),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  const gifBomb = Buffer.from(gif);
  gifBomb.writeUInt16LE(65_535, 6);
  gifBomb.writeUInt16LE(65_535, 8);
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  const jpegBomb = Buffer.from(jpeg);
  jpegBomb.writeUInt16BE(60_000, sof + 5);
  jpegBomb.writeUInt16BE(60_000, sof + 7);
  const webpBomb = riff([vp8x(0, 16_383, 16_383), webp.subarray(12)]);
  const badCrc = Buffer.from(png);
  badCrc[40] = badCrc[40]! ^ 0xff;
  const bigStream = () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < 40; i++) yield i === 0 ? png.subarray(0, 8) : Buffer.alloc(8192, 7);
      })(),
    );
  return [
    ['zero bytes', Buffer.alloc(0), 'image/png', 400, 'ASSET_EMPTY'],
    ['no body', undefined, 'image/png', 400, 'ASSET_EMPTY'],
    [
      'oversize (Content-Length)',
      Buffer.concat([png, Buffer.alloc(MAX_BYTES)]),
      'image/png',
      413,
      'ASSET_TOO_LARGE',
    ],
    ['oversize (streamed, no length)', bigStream(), 'image/png', 413, 'ASSET_TOO_LARGE'],
    ['truncated PNG', png.subarray(0, png.length - 30), 'image/png', 400, 'ASSET_TRUNCATED'],
    ['truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.length * 0.7)), 'image/jpeg', 400, 'ASSET_TRUNCATED'],
    ['truncated GIF', gif.subarray(0, gif.length - 5), 'image/gif', 400, 'ASSET_TRUNCATED'],
    ['truncated WebP', webp.subarray(0, webp.length - 4), 'image/webp', 400, 'ASSET_TRUNCATED'],
    ['PNG with a bad CRC', badCrc, 'image/png', 400, 'ASSET_MALFORMED'],
    ['wrong magic', Buffer.from('this is not an image at all'), 'image/png', 415, 'ASSET_TYPE_UNKNOWN'],
    ['zip declared as png', zip, 'image/png', 415, 'ASSET_TYPE_UNKNOWN'],
    ['html declared as svg', html, 'image/svg+xml', 415, 'ASSET_TYPE_UNKNOWN'],
    ['png declared as jpeg', png, 'image/jpeg', 415, 'ASSET_TYPE_MISMATCH'],
    [
      'svg declared as png',
      cases.find((c) => c.name === 'svg')!.clean,
      'image/png',
      415,
      'ASSET_TYPE_MISMATCH',
    ],
    ['polyglot PNG + ZIP', Buffer.concat([png, zip]), 'image/png', 400, 'ASSET_TRAILING_DATA'],
    ['polyglot JPEG + HTML', Buffer.concat([jpeg, html]), 'image/jpeg', 400, 'ASSET_TRAILING_DATA'],
    ['polyglot GIF + JAR', Buffer.concat([gif, zip]), 'image/gif', 400, 'ASSET_TRAILING_DATA'],
    ['polyglot WebP + HTML', Buffer.concat([webp, html]), 'image/webp', 400, 'ASSET_TRAILING_DATA'],
    ['SVG with script', svg('<script>alert(1)</script>'), 'image/svg+xml', 422, 'ASSET_SVG_UNSAFE'],
    [
      'SVG with onload',
      svg('<rect width="1" height="1"/>', ' onload="alert(1)"'),
      'image/svg+xml',
      422,
      'ASSET_SVG_UNSAFE',
    ],
    [
      'SVG with xlink:href to http',
      svg('<image xlink:href="http://evil.example/x.png"/>'),
      'image/svg+xml',
      422,
      'ASSET_SVG_UNSAFE',
    ],
    [
      'SVG with use of remote file',
      svg('<use href="https://evil.example/s.svg#a"/>'),
      'image/svg+xml',
      422,
      'ASSET_SVG_UNSAFE',
    ],
    [
      'SVG with javascript: link',
      svg('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>'),
      'image/svg+xml',
      422,
      'ASSET_SVG_UNSAFE',
    ],
    [
      'SVG with foreignObject',
      svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
      'image/svg+xml',
      422,
      'ASSET_SVG_UNSAFE',
    ],
    [
      'SVG with CSS @import',
      svg('<style>@import url(https://evil.example/x.css);</style>'),
      'image/svg+xml',
      422,
      'ASSET_SVG_UNSAFE',
    ],
    [
      'SVG with external fill url()',
      svg('<rect width="1" height="1" fill="url(https://evil.example/#p)"/>'),
      'image/svg+xml',
      422,
      'ASSET_SVG_UNSAFE',
    ],
    [
      'SVG with set-animated href',
      svg('<a><set attributeName="href" to="javascript:alert(1)"/></a>'),
      'image/svg+xml',
      422,
      'ASSET_SVG_UNSAFE',
    ],
    [
      'SVG billion laughs',
      Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
      ),
      'image/svg+xml',
      400,
      'ASSET_MALFORMED',
    ],
    [
      'SVG not well-formed',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>'),
      'image/svg+xml',
      400,
      'ASSET_MALFORMED',
    ],
    [
      'SVG with a gigapixel intrinsic size',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>'),
      'image/svg+xml',
      422,
      'ASSET_TOO_MANY_PIXELS',
    ],
    ['PNG pixel bomb', pngBomb, 'image/png', 422, 'ASSET_TOO_MANY_PIXELS'],
    ['GIF pixel bomb', gifBomb, 'image/gif', 422, 'ASSET_TOO_MANY_PIXELS'],
    ['JPEG pixel bomb', jpegBomb, 'image/jpeg', 422, 'ASSET_TOO_MANY_PIXELS'],
    ['WebP pixel bomb', webpBomb, 'image/webp', 422, 'ASSET_TOO_MANY_PIXELS'],
    [
      'JPEG without scan',
      Buffer.concat([jpeg.subarray(0, 2), jpegSegment(0xfe, Buffer.from('x')), Buffer.from([0xff, 0xd9])]),
      'image/jpeg',
      400,
      'ASSET_MALFORMED',
    ],
    ['text/html content type', html, 'text/html', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'application/json content type',
      Buffer.from('{"a":1}'),
      'application/json',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['text/plain content type', png, 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no content type', png, undefined, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['malformed multipart', png, 'multipart/form-data; boundary=x', 400, 'ASSET_MALFORMED'],
    ['multipart without a file', form('text/plain', Buffer.from('hi'), false), FORM, 400, 'ASSET_EMPTY'],
    ['multipart html file', form('text/html', html), FORM, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['multipart png declared jpeg', form('image/jpeg', png), FORM, 415, 'ASSET_TYPE_MISMATCH'],
    ['multipart polyglot', form('image/png', Buffer.concat([png, zip])), FORM, 400, 'ASSET_TRAILING_DATA'],
    [
      'multipart oversize',
      form('image/png', Buffer.concat([png, Buffer.alloc(MAX_BYTES)])),
      FORM,
      413,
      'ASSET_TOO_LARGE',
    ],
    ...hostileSvgs.map(
      ([name, doc]) =>
        [`SVG: ${name}`, Buffer.from(doc), 'image/svg+xml', 422, 'ASSET_SVG_UNSAFE'] as [
          string,
          Buffer,
          string,
          number,
          string,
        ],
    ),
  ];
}

describe('hostile uploads', () => {
  it('answers each with a 4xx and a code, never a 5xx, and writes nothing to S3 or Postgres', async () => {
    const tenant = randomUUID();
    const keysBefore = await bucketKeys();
    const rowsBefore = await rowCount();
    const corpus = hostileCorpus();
    const outcomes: string[] = [];
    for (const [name, body, type, status, code] of corpus) {
      const res = await upload(tenant, body, type);
      outcomes.push(`${name}: ${res.statusCode} ${res.json().code}`);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().code, name).toBe(code);
    }
    expect(outcomes.filter((o) => / 5\d\d /.test(o))).toEqual([]);
    expect(await bucketKeys()).toEqual(keysBefore);
    expect(await rowCount()).toBe(rowsBefore);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/assets', headers: auth(tenant) });
    expect(listed.json().items).toEqual([]);
  });
});

describe('storage failure', () => {
  it('answers 503 ASSET_STORAGE_UNAVAILABLE and leaves no row when S3 refuses the object', async () => {
    const broken = await assetApp({
      bucket: 'rt-no-such-bucket',
    });
    try {
      const rowsBefore = await rowCount();
      const res = await broken.inject({
        method: 'POST',
        url: '/api/v1/assets',
        headers: { ...auth(randomUUID()), 'content-type': 'image/png' },
        payload: buildPng(9, 9),
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('ASSET_STORAGE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('5');
      expect(await rowCount()).toBe(rowsBefore);
    } finally {
      await broken.close();
    }
  });

  it('deletes the uploaded object again when its row is not committed', async () => {
    const tenant = randomUUID();
    // The database refuses this tenant's row after the object has been uploaded.
    await pool.query(`CREATE FUNCTION refuse_asset() RETURNS trigger LANGUAGE plpgsql AS
      $$BEGIN RAISE EXCEPTION 'refused by test'; END$$`);
    await pool.query(`CREATE TRIGGER refuse_asset BEFORE INSERT ON assets FOR EACH ROW
      WHEN (NEW.tenant_id = '${tenant}'::uuid) EXECUTE FUNCTION refuse_asset()`);
    try {
      const rowsBefore = await rowCount();
      const res = await upload(tenant, buildPng(7, 5), 'image/png');
      expect(res.statusCode).toBe(500);
      expect(await rowCount()).toBe(rowsBefore);
      expect((await bucketKeys()).filter((k) => k.includes(tenant))).toEqual([]);
    } finally {
      await pool.query('DROP TRIGGER refuse_asset ON assets');
      await pool.query('DROP FUNCTION refuse_asset()');
    }
  });
});

describe('transient storage failure', () => {
  it('puts the object again when a connection to S3 breaks mid-upload', async () => {
    // A TCP hop in front of s3rver that cuts the first connection after its first bytes.
    const target = new URL(s3server.endpoint);
    let cut = 0;
    const hop = createNetServer((socket) => {
      socket.on('error', () => undefined);
      if (cut === 0) {
        cut++;
        socket.once('data', () => socket.destroy());
        return;
      }
      const upstream = connect(Number(target.port), target.hostname);
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(hop.address() as AddressInfo).port}`;
    const flaky = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: endpoint });
    const app2 = await assetApp({
      s3: flaky,
      assets: { recordMd5: true },
    });
    try {
      const tenant = randomUUID();
      const res = await app2.inject({
        method: 'POST',
        url: '/api/v1/assets',
        headers: { ...auth(tenant), 'content-type': 'image/png' },
        payload: buildPng(11, 13),
      });
      expect(cut).toBe(1);
      expect(res.statusCode, res.body).toBe(201);
      const stored = await objectBytes(assetKey(tenant, res.json().sha256));
      expect(stored.length).toBe(res.json().size);
      // The MD5 is of the attempt that went through, not of the bytes both attempts read.
      const { rows } = await pool.query<{ md5: string }>('SELECT md5 FROM assets WHERE id = $1', [
        res.json().id,
      ]);
      expect(rows[0]?.md5).toBe(createHash('md5').update(stored).digest('hex'));
    } finally {
      await app2.close();
      flaky.destroy();
      hop.close();
    }
  });
});

describe('MD5 of uploads', () => {
  it('is recorded only where the store proves copies by it (S3_COPY_ETAG_IS_MD5)', async () => {
    // The default, as on AWS (copies are proven by the store's SHA-256): not computed, null.
    const plain = await assetApp({});
    try {
      const c = cases[0]!;
      const tenant = randomUUID();
      const res = await plain.inject({
        method: 'POST',
        url: '/api/v1/assets',
        headers: { ...auth(tenant), 'content-type': c.mediaType },
        payload: c.dirty,
      });
      expect(res.statusCode, res.body).toBe(201);
      const { rows } = await pool.query<{ md5: string | null }>('SELECT md5 FROM assets WHERE id = $1', [
        res.json().id,
      ]);
      expect(rows).toEqual([{ md5: null }]);
      expect((await objectBytes(assetKey(tenant, res.json().sha256))).equals(c.clean)).toBe(true);
    } finally {
      await plain.close();
    }
    expect(defaultAssetSettings().recordMd5).toBe(false);
    expect(copyEtagIsMd5({ S3_COPY_ETAG_IS_MD5: 'true' })).toBe(true);
  });
});

describe('uploads larger than one read slice', () => {
  it('stores them stripped and byte-exact, streamed from the spool file', async () => {
    const large = await assetApp({
      assets: { maxBytes: 4 * 1024 * 1024, recordMd5: true },
    });
    try {
      // Noise does not compress: the IDAT chunk spans several 256 KiB slices.
      const width = 400;
      const height = 900;
      const raw = randomBytes((width * 3 + 1) * height);
      for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0;
      const head = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const idat = pngChunk('IDAT', deflateSync(raw, { level: 0 }));
      const end = pngChunk('IEND', Buffer.alloc(0));
      const comment = pngChunk('tEXt', Buffer.from('Author\0someone'));
      const clean = Buffer.concat([head, ihdr(width, height), idat, end]);
      const dirty = Buffer.concat([head, ihdr(width, height), comment, idat, comment, end]);
      expect(idat.length).toBeGreaterThan(1024 * 1024);

      const res = await large.inject({
        method: 'POST',
        url: '/api/v1/assets',
        headers: { ...auth(tenantA), 'content-type': 'image/png' },
        payload: dirty,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ size: clean.length, sha256: await sha256(clean), width, height });
      expect((await objectBytes(assetKey(tenantA, await sha256(clean)))).equals(clean)).toBe(true);
      const { rows } = await pool.query<{ md5: string }>('SELECT md5 FROM assets WHERE id = $1', [
        res.json().id,
      ]);
      expect(rows[0]?.md5).toBe(createHash('md5').update(clean).digest('hex'));
    } finally {
      await large.close();
    }
  });
});

describe('over real HTTP', () => {
  it('cleans up after a client that disconnects mid-upload: no error, nothing stored, no spool left', async () => {
    const lines: Array<{ msg?: string; level?: number }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const spoolDir = await mkdtemp(join(tmpdir(), 'rt-asset-spool-test-'));
    const logged = await assetApp({
      assets: { maxBytes: MAX_BYTES, spoolDir },
      logger: logger as unknown as FastifyBaseLogger,
    });
    try {
      const address = new URL(await logged.listen({ host: '127.0.0.1', port: 0 }));
      const keysBefore = await bucketKeys();
      const rowsBefore = await rowCount();
      const png = cases.find((c) => c.name === 'png')!.clean;
      const socket = connect(Number(address.port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /api/v1/assets HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth(randomUUID()).authorization}\r\n` +
          `Content-Type: image/png\r\nContent-Length: ${png.length + 50_000}\r\n\r\n`,
      );
      socket.write(png);
      // The upload is being spooled …
      await vi.waitFor(async () => expect((await readdir(spoolDir)).length).toBe(1), { timeout: 5000 });
      socket.destroy();
      // … and once the client is gone the request ends and its spool is removed.
      await vi.waitFor(async () => expect(await readdir(spoolDir)).toEqual([]), { timeout: 5000 });
      expect(lines.filter((l) => (l.level ?? 0) >= 50)).toEqual([]);
      expect(await bucketKeys()).toEqual(keysBefore);
      expect(await rowCount()).toBe(rowsBefore);
    } finally {
      await logged.close();
      await rm(spoolDir, { recursive: true, force: true });
    }
  });

  it('answers an oversized upload with 413 before reading it all, also when streamed without a length', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const png = cases.find((c) => c.name === 'png')!.clean;
    const big = Buffer.concat([png, Buffer.alloc(MAX_BYTES)]);
    const headers = { ...auth(randomUUID()), 'content-type': 'image/png' };
    const sized = await fetch(`${address}/api/v1/assets`, { method: 'POST', headers, body: big });
    expect(sized.status).toBe(413);
    expect(((await sized.json()) as { code: string }).code).toBe('ASSET_TOO_LARGE');
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++)
          controller.enqueue(new Uint8Array(i === 0 ? png : Buffer.alloc(16 * 1024)));
        controller.close();
      },
    });
    const streamed = await fetch(`${address}/api/v1/assets`, {
      method: 'POST',
      headers,
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { code: string }).code).toBe('ASSET_TOO_LARGE');
  });
});

describe('an upload refused before its body is read', () => {
  it('answers the refusal to a client still streaming the body, over a real connection', async () => {
    // The router streams uploads through; the service refuses some (no permission) before it
    // reads the body. The refusal must reach the router as an answer, not as a reset connection
    // (which the router can only report as 502 UPSTREAM_UNAVAILABLE).
    const refusing = await assetApp({
      authorize: async () => {
        throw new Forbidden('NOT_PERMITTED', 'only Confluence administrators may upload site images');
      },
    });
    const base = await refusing.listen({ host: '127.0.0.1', port: 0 });
    try {
      const chunk = Buffer.alloc(64 * 1024);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent >= 3 * 1024 * 1024) return controller.close();
          sent += chunk.length;
          await new Promise((r) => setImmediate(r));
          controller.enqueue(chunk);
        },
      });
      const res = await fetch(`${base}/api/v1/assets`, {
        method: 'POST',
        headers: { ...auth(randomUUID()), 'content-type': 'image/png' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('NOT_PERMITTED');
    } finally {
      await refusing.close();
    }
  });
});

describe('the regional write fence of a migration', () => {
  it('refuses uploads and deletions of a fenced tenant with 503 TENANT_MIGRATING (no row, no object); lifting re-enables them', async () => {
    const tenant = randomUUID();
    const kept = await upload(tenant, buildPng(3, 2), 'image/png');
    expect(kept.statusCode).toBe(201);
    const ownKeys = async () => (await bucketKeys()).filter((k) => k.startsWith(`tenants/${tenant}/`)).sort();
    const ownRows = async () =>
      (await pool.query('SELECT id, created_at FROM assets WHERE tenant_id = $1 ORDER BY id', [tenant])).rows;
    const [keysBefore, rowsBefore] = [await ownKeys(), await ownRows()];

    const migration = randomUUID();
    await raiseWriteFence(pool, tenant, migration);
    const refused = [
      await upload(tenant, buildPng(5, 4), 'image/png'),
      // The same bytes again (which would only touch created_at) are a write too.
      await upload(tenant, buildPng(3, 2), 'image/png'),
      await app.inject({ method: 'DELETE', url: `/api/v1/assets/${kept.json().id}`, headers: auth(tenant) }),
    ];
    for (const res of refused) {
      expect([res.statusCode, res.json().code]).toEqual([503, 'TENANT_MIGRATING']);
      expect(res.headers['retry-after']).toBe('60');
    }
    expect(await ownKeys()).toEqual(keysBefore);
    expect(await ownRows()).toEqual(rowsBefore);
    // Reads go on.
    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/assets/${kept.json().id}`,
      headers: auth(tenant),
    });
    expect(read.statusCode).toBe(200);

    await liftWriteFence(pool, tenant, migration);
    expect((await upload(tenant, buildPng(5, 4), 'image/png')).statusCode).toBe(201);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/assets/${kept.json().id}`,
      headers: auth(tenant),
    });
    expect(deleted.statusCode).toBe(204);
  });
});
