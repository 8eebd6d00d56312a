import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { appCounter, createServiceApp, startMetricsListener } from '../src/index.js';

describe('service skeleton', () => {
  it('serves metrics only on the private listener, never on the app port', async () => {
    const app = createServiceApp({ name: 'skeleton-test', logLevel: 'silent' });
    app.get('/ok', { config: { public: true } }, async () => ({ ok: true }));
    await app.ready();
    const counter = appCounter(app, 'skeleton_things_total', 'things');
    appCounter(app, 'skeleton_things_total', 'things').inc();
    counter.inc();
    expect((await app.inject({ url: '/ok' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(404);
    const listener = await startMetricsListener(app, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${listener.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('http_request_duration_seconds');
      expect(text).toMatch(/skeleton_things_total\{service="skeleton-test"\} 2/);
      expect((await fetch(`${listener.url}/ok`)).status).toBe(404);
    } finally {
      await listener.close();
      await app.close();
    }
  });

  it('answers a path the router cannot decode with 400 PATH_NOT_CANONICAL, like every other error', async () => {
    const app = createServiceApp({ name: 'skeleton-test', logLevel: 'silent' });
    app.get('/items/:id', { config: { public: true } }, async () => ({ ok: true }));
    const res = await app.inject({ url: '/items/%c0%ae' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PATH_NOT_CANONICAL' });
    await app.close();
  });

  it('answers what the HTTP parser refuses with the common error body and a stable code, then closes', async () => {
    const app = createServiceApp({ name: 'skeleton-test', logLevel: 'silent' });
    app.post('/items', { config: { public: true } }, async () => ({ ok: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    /** Sends raw bytes; resolves with everything the server wrote before it closed. */
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        let text = '';
        socket.on('data', (d) => {
          text += d;
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
    const parse = (text: string) => {
      const [head, body] = text.split('\r\n\r\n');
      return { status: Number(head!.split(' ')[1]), head: head!.toLowerCase(), body: JSON.parse(body!) };
    };
    try {
      const twoLengths = parse(
        await raw('POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}'),
      );
      expect(twoLengths.status).toBe(400);
      expect(twoLengths.body).toMatchObject({ code: 'MALFORMED_REQUEST', requestId: expect.any(String) });
      expect(twoLengths.head).toContain('connection: close');
      expect(twoLengths.head).toContain('content-type: application/json');

      const smuggled = parse(
        await raw(
          'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        ),
      );
      expect(smuggled.status).toBe(400);
      expect(smuggled.body.code).toBe('MALFORMED_REQUEST');

      const huge = parse(await raw(`GET /items HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      expect(huge.status).toBe(431);
      expect(huge.body.code).toBe('HEADERS_TOO_LARGE');
    } finally {
      await app.close();
    }
  });
});
