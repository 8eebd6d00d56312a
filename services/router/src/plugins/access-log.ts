import { isoTimeOf } from '@rt/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessLogWriter } from '../access-log/access-log.js';

/**
 * Writes one access log line per response to its own sink (time, method, route, status,
 * duration, client IP, tenant id). The application log never gets the IP (see @rt/http).
 */
export const accessLogPlugin = fp<{ writer: AccessLogWriter }>(
  async (app: FastifyInstance, { writer }) => {
    const isoTime = isoTimeOf();
    app.addHook('onResponse', (request, reply, done) => {
      writer.write({
        time: isoTime(Date.now()),
        method: request.method,
        route: request.routeConfig?.url ?? 'unmatched',
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        ip: request.auth?.clientIp ?? request.ip,
        tenantId: request.auth?.tenant.id ?? null,
        requestId: String(request.id),
      });
      done();
    });
    app.addHook('onClose', async () => writer.close());
  },
  { name: 'rt-access-log' },
);
