import { Writable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { BadRequest, createServiceApp, loggerOptions } from '../src/index.js';

// Only the router's access log may hold an IP address; no log may hold an Atlassian account id
// or a token. This drives a service app the way the router's traffic does and reads its log.
const ACCOUNT_ID = '557058:f3c1a2b4-9d8e-4f70-a1b2-c3d4e5f60718';
const CLIENT_IP = '198.51.100.23';
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/;
// Four or more colon-separated hex groups, or the loopback / v4-mapped forms (not times like 21:58:05).
const IPV6 = /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b|::1\b|::ffff:/i;

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const TOKEN = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'client-key', sub: ACCOUNT_ID, qsh: 'context-qsh' })}.c2lnbmF0dXJl`;

function appWithBufferedLog(trustProxy: boolean) {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino(loggerOptions('privacy-test', 'trace'), sink) as unknown as FastifyBaseLogger;
  const app = createServiceApp({ name: 'privacy-test', logger, fastify: { trustProxy } });
  app.get('/api/v1/ok', async (request) => {
    request.log.info({ req: request }, 'handling');
    return { ok: true };
  });
  app.get('/api/v1/bad', async () => {
    throw new BadRequest('NOPE', 'bad input');
  });
  app.get('/api/v1/boom', async () => {
    throw new Error('unexpected failure');
  });
  app.post(
    '/api/v1/things',
    { schema: { body: Type.Object({ name: Type.String({ minLength: 3 }) }) } },
    async () => ({ ok: true }),
  );
  return { app, log: () => chunks.join('') };
}

describe('service logs hold no IP address, account id or token', () => {
  for (const trustProxy of [false, true]) {
    it(`trustProxy=${trustProxy}`, async () => {
      const { app, log } = appWithBufferedLog(trustProxy);
      const headers = {
        'x-forwarded-for': `${CLIENT_IP}, 10.0.0.7`,
        'x-real-ip': CLIENT_IP,
        authorization: `JWT ${TOKEN}`,
        cookie: `session=${TOKEN}`,
      };
      const requests = [
        {
          method: 'GET' as const,
          url: `/api/v1/ok?jwt=${TOKEN}&accountId=${encodeURIComponent(ACCOUNT_ID)}`,
        },
        { method: 'GET' as const, url: `/api/v1/bad?jwt=${TOKEN}` },
        { method: 'GET' as const, url: `/api/v1/boom?jwt=${TOKEN}` },
        { method: 'GET' as const, url: `/api/v1/missing?jwt=${TOKEN}` },
        { method: 'POST' as const, url: `/api/v1/things?jwt=${TOKEN}`, payload: { name: 'x' } },
        { method: 'POST' as const, url: '/api/v1/things', payload: '{not json' },
      ];
      const statuses = [];
      for (const r of requests) {
        const res = await app.inject({
          ...r,
          headers: { ...headers, 'content-type': 'application/json' },
          remoteAddress: CLIENT_IP,
        });
        statuses.push(res.statusCode);
      }
      await app.close();
      expect(statuses).toEqual([200, 400, 500, 404, 400, 400]);

      const text = log();
      // The log is not empty: each request left a line (so the assertions below can fail).
      expect(text.match(/request completed/g)?.length).toBe(requests.length);
      expect(text).toContain('/api/v1/ok');
      expect(text).not.toMatch(IPV4);
      expect(text).not.toMatch(IPV6);
      expect(text).not.toContain(CLIENT_IP);
      expect(text).not.toContain(ACCOUNT_ID);
      expect(text).not.toContain(encodeURIComponent(ACCOUNT_ID));
      expect(text).not.toContain(TOKEN.split('.')[1]);
      expect(text).not.toContain('jwt=');
    });
  }
});
