import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createServiceApp, loggerOptions } from '../src/index.js';

function appLoggingAt(level: string, requestLog?: boolean) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const root = pino(loggerOptions('logger-test', level), sink) as unknown as FastifyBaseLogger;
  let children = 0;
  const child = root.child.bind(root);
  root.child = ((...args: Parameters<FastifyBaseLogger['child']>) => {
    children++;
    return child(...args);
  }) as FastifyBaseLogger['child'];
  const app = createServiceApp({ name: 'logger-test', logger: root, requestLog });
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/loud', async (request) => {
    request.log.warn({ token: 'secret-token-value', step: 'checked' }, 'something to look at');
    request.log.debug('below the level');
    return { ok: true };
  });
  return {
    app,
    lines,
    children: () => children,
    /** Fastify builds its own children while it starts; only requests' count here. */
    ready: async () => {
      await app.ready();
      children = 0;
    },
  };
}

const REQ_42 = '00000000-0000-4000-8000-000000000042';
const REQ_7 = '00000000-0000-4000-8000-000000000007';

describe('request loggers', () => {
  it('build no child logger for a request that logs nothing at the enabled level', async () => {
    const { app, lines, children, ready } = appLoggingAt('warn');
    await ready();
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/quiet' })).statusCode).toBe(200);
    expect(children()).toBe(0);
    expect(lines).toHaveLength(0);
    await app.close();
  });

  it('log with the request id bound and secrets redacted once a request logs', async () => {
    const { app, lines, children, ready } = appLoggingAt('warn');
    await ready();
    const res = await app.inject({ url: '/loud', headers: { 'x-request-id': REQ_42 } });
    expect(res.statusCode).toBe(200);
    expect(children()).toBe(1);
    const line = lines.find((l) => l.msg === 'something to look at');
    expect(line).toMatchObject({ reqId: REQ_42, step: 'checked', token: '[redacted]', level: 40 });
    expect(lines.some((l) => l.msg === 'below the level')).toBe(false);
    await app.close();
  });

  it('keep the info request line with its request id', async () => {
    const { app, lines } = appLoggingAt('info');
    await app.inject({ url: '/quiet', headers: { 'x-request-id': REQ_7 } });
    const line = lines.find((l) => l.msg === 'request completed')!;
    expect(line).toMatchObject({ reqId: REQ_7, method: 'GET', path: '/quiet', status: 200 });
    // pino's own line layout: base fields, the request id where a request's logger binds it.
    expect(Object.keys(line)).toEqual([
      'level',
      'time',
      'service',
      'name',
      'reqId',
      'method',
      'path',
      'status',
      'ms',
      'msg',
    ]);
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
    await app.close();
  });

  it("replace a request id that is not one of ours: a client's text reaches no log line", async () => {
    const { app, lines } = appLoggingAt('info');
    for (const id of [
      '198.51.100.23',
      'x'.repeat(10_000),
      `${REQ_7}\n{"level":60}`,
      'ABCDEF01-0000-4000-8000-00000000000A',
    ]) {
      await app.inject({ url: '/quiet', headers: { 'x-request-id': id } });
      const reqId = lines.at(-1)?.reqId as string;
      expect(reqId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(reqId).not.toBe(id.toLowerCase());
    }
    await app.close();
  });

  it('write no request line for an app whose access log records every request (the router)', async () => {
    const { app, lines } = appLoggingAt('info', false);
    expect((await app.inject({ url: '/loud' })).statusCode).toBe(200);
    expect(lines.map((l) => l.msg)).toEqual(['something to look at']);
    await app.close();
  });
});
