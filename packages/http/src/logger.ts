import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import pino, { type LoggerOptions } from 'pino';

/**
 * Paths redacted from every log line: credentials and secrets. Together with the request
 * serializer below (no remote address, no query string), this keeps tokens, secrets and IP
 * addresses out of every log except the router's dedicated access log.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-forge-oauth-system"]',
  'req.headers["x-forge-oauth-user"]',
  // The system token as the router passes it to the services (@rt/confluence FORGE_TOKEN_HEADER).
  'req.headers["x-rt-forge-token"]',
  '*.sharedSecret',
  '*.secret',
  '*.token',
  '*.password',
  '*.jwt',
  'sharedSecret',
  'token',
];

/** Strips the query string, which may carry `?jwt=`. */
export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** pino options for a service: JSON, named, redacted, no IP addresses. */
export function loggerOptions(name: string, level: string): LoggerOptions {
  return {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({ id: req.id, method: req.method, url: pathOnly(req.url) }),
      res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

/** Creates a standalone logger (worker, CLI) with the same rules. */
export function createLogger(name: string, level = 'info'): FastifyBaseLogger {
  return pino(loggerOptions(name, level)) as unknown as FastifyBaseLogger;
}
