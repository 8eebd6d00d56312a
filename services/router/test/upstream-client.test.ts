import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUFFERED_ANSWER_BYTES,
  isUpstreamTimeout,
  type UpstreamAnswer,
  UpstreamClient,
  type UpstreamRequest,
} from '../src/upstream/upstream-client.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const LARGE = randomBytes(BUFFERED_ANSWER_BYTES * 4 + 123);
const AT_LIMIT = randomBytes(BUFFERED_ANSWER_BYTES);

/** A real HTTP server whose paths each answer in one way the client must handle. */
function handle(req: IncomingMessage, res: ServerResponse, seen: { closedEarly: boolean }): void {
  const path = req.url ?? '';
  if (path === '/small') {
    res.writeHead(200, {
      'content-type': 'application/json',
      etag: '"v1"',
      'x-extra': 'yes',
      'content-length': 11,
    });
    res.end('{"ok":true}');
  } else if (path === '/at-limit') {
    res.writeHead(200, { 'content-length': AT_LIMIT.length });
    res.end(AT_LIMIT);
  } else if (path === '/large') {
    res.writeHead(200, { 'content-length': LARGE.length });
    res.end(LARGE);
  } else if (path === '/chunked') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('a');
    setTimeout(() => res.end('b'), 10);
  } else if (path === '/head') {
    res.writeHead(200, { 'content-length': '5000' });
    res.end(req.method === 'HEAD' ? undefined : Buffer.alloc(5000));
  } else if (path === '/not-modified') {
    res.writeHead(304, { etag: '"v1"' });
    res.end();
  } else if (path === '/cut-small') {
    res.writeHead(200, { 'content-length': '100' });
    res.write('x'.repeat(10));
    setTimeout(() => res.destroy(), 10);
  } else if (path === '/cut-large') {
    res.writeHead(200, { 'content-length': String(LARGE.length) });
    res.write(LARGE.subarray(0, 1000));
    setTimeout(() => res.destroy(), 10);
  } else if (path === '/early-hints') {
    res.writeEarlyHints({ link: '</x.css>; rel=preload; as=style' });
    res.writeHead(200, { 'content-length': 2 });
    res.end('ok');
  } else if (path === '/stall-body') {
    res.writeHead(200, { 'content-length': 100 });
    res.write('x'.repeat(10));
  } else if (path === '/slow') {
    setTimeout(() => res.end('late'), 1000);
  } else if (path === '/endless') {
    // Offers far more than anyone reads: the client must stop the socket, not buffer it all.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 7);
    let sent = 0;
    const pump = () => {
      while (sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => {
      seen.closedEarly = !res.writableFinished;
    });
    pump();
  } else if (path === '/echo') {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const answer = JSON.stringify({ bytes: body.length, sha: sha(body), headers: req.headers });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  } else {
    res.writeHead(404);
    res.end();
  }
}

describe('UpstreamClient: the router’s HTTP client for the requests it passes on', () => {
  let server: Server;
  let origin: string;
  const seen = { closedEarly: false };
  const client = new UpstreamClient({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });

  beforeAll(async () => {
    server = createServer((req, res) => handle(req, res, seen));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await client.destroy();
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });

  const send = (path: string, extra: Partial<UpstreamRequest> = {}) =>
    new Promise<UpstreamAnswer>((ok, fail) =>
      client.send({ origin, path, method: 'GET', headers: {}, ...extra }, ok, fail),
    );
  const read = async (stream: Readable) => {
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts);
  };

  it('hands a small answer over whole, with its status and headers', async () => {
    const answer = await send('/small');
    expect(answer.statusCode).toBe(200);
    expect(answer.stream).toBeUndefined();
    expect(answer.body?.toString()).toBe('{"ok":true}');
    expect(answer.headers.etag).toBe('"v1"');
    expect(answer.headers['x-extra']).toBe('yes');
  });

  it('reads whole an answer of exactly the limit, and streams a larger one byte for byte', async () => {
    const atLimit = await send('/at-limit');
    expect(atLimit.stream).toBeUndefined();
    expect(sha(atLimit.body!)).toBe(sha(AT_LIMIT));

    const large = await send('/large');
    expect(large.body).toBeUndefined();
    expect(large.headers['content-length']).toBe(String(LARGE.length));
    expect(sha(await read(large.stream!))).toBe(sha(LARGE));
  });

  it('streams an answer without a length', async () => {
    const answer = await send('/chunked');
    expect(answer.body).toBeUndefined();
    expect((await read(answer.stream!)).toString()).toBe('ab');
  });

  it('gives HEAD and 304 answers an empty body and keeps their headers', async () => {
    const head = await send('/head', { method: 'HEAD' });
    expect(head.body?.length).toBe(0);
    expect(head.headers['content-length']).toBe('5000');
    const notModified = await send('/not-modified');
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body?.length).toBe(0);
  });

  it('passes over interim 1xx answers to the final one', async () => {
    const answer = await send('/early-hints');
    expect(answer.statusCode).toBe(200);
    expect(answer.body?.toString()).toBe('ok');
  });

  it('reports a small answer whose body stalls as a timeout', async () => {
    const error = await send('/stall-body').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isUpstreamTimeout(error)).toBe(true);
  });

  it('reports a small answer cut off half-way as an error, never as a short answer', async () => {
    await expect(send('/cut-small')).rejects.toThrow();
  });

  it('fails the stream of a large answer cut off half-way', async () => {
    const answer = await send('/cut-large');
    await expect(read(answer.stream!)).rejects.toThrow();
  });

  it('tells a service that did not start its answer in time apart from other failures', async () => {
    const error = await send('/slow').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isUpstreamTimeout(error)).toBe(true);
    const refused = await new Promise<unknown>((ok) =>
      client.send(
        { origin: 'http://127.0.0.1:1', path: '/', method: 'GET', headers: {} },
        () => ok(undefined),
        ok,
      ),
    );
    expect(refused).toBeInstanceOf(Error);
    expect(isUpstreamTimeout(refused)).toBe(false);
  });

  it('holds back the socket while nobody reads a streamed answer, and aborts it when the reader goes', async () => {
    seen.closedEarly = false;
    const answer = await send('/endless');
    await new Promise((r) => setTimeout(r, 300));
    // Paused: what waits in the stream is about a socket read, not the 64 MiB offered.
    expect(answer.stream!.readableLength).toBeLessThan(2 * 1024 * 1024);
    answer.stream!.destroy();
    for (let i = 0; i < 50 && !seen.closedEarly; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen.closedEarly).toBe(true);
  });

  it('streams a request body and sends the headers it is given', async () => {
    const payload = randomBytes(300_000);
    const answer = await send('/echo', {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-request-id': 'r-1' },
      body: Readable.from([payload.subarray(0, 100_000), payload.subarray(100_000)]),
    });
    expect(answer.statusCode).toBe(201);
    const echoed = JSON.parse(answer.body!.toString()) as {
      bytes: number;
      sha: string;
      headers: Record<string, string>;
    };
    expect(echoed.bytes).toBe(payload.length);
    expect(echoed.sha).toBe(sha(payload));
    expect(echoed.headers['x-request-id']).toBe('r-1');
    expect(echoed.headers.host).toBe(new URL(origin).host);
  });
});
