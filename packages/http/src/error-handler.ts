import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from './error-body.js';
import { AppError } from './errors.js';

// Fastify's own error codes for bad input → our stable codes. Bad input is never a 5xx.
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_REQ_INVALID_VALIDATION_INVOCATION: { status: 400, code: 'VALIDATION_FAILED' },
  // find-my-way could not decode the path (e.g. an invalid or overlong UTF-8 percent sequence).
  FST_ERR_BAD_URL: { status: 400, code: 'PATH_NOT_CANONICAL' },
};

/**
 * Fastify's `frameworkErrors`: refusals before routing (an undecodable path) do not reach the
 * error handler, so they are answered here with the same body and mapped code.
 */
export function frameworkErrorResponse(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const mapped = FASTIFY_CODES[error.code] ?? { status: 400, code: 'BAD_REQUEST' };
  reply
    .status(mapped.status)
    .send({ code: mapped.code, message: error.message, requestId: String(request.id) } satisfies ErrorBody);
}

/** Node's HTTP parser's refusals, by their error code (anything else: 400 `MALFORMED_REQUEST`). */
const PARSER_CODES: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'the request did not arrive in time',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'the request headers are too large',
  },
};

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses before Fastify sees them
 * (broken framing, two `Content-Length` headers, a `Content-Length` beside `Transfer-Encoding`,
 * oversized headers, a request too slow to arrive) get the common error body with a stable code
 * too, then the connection closes: its framing can no longer be trusted. As Node's and Fastify's
 * own handlers: nothing is written to a socket that was reset or is no longer writable.
 * https://nodejs.org/api/http.html#event-clienterror
 */
export function clientErrorResponse(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const mapped = PARSER_CODES[error.code ?? ''] ?? {
    status: 400,
    code: 'MALFORMED_REQUEST',
    message: 'the request is not well-formed HTTP/1.1',
  };
  if (socket.writable) {
    const body = JSON.stringify({
      code: mapped.code,
      message: mapped.message,
      requestId: randomUUID(),
    } satisfies ErrorBody);
    socket.write(
      `HTTP/1.1 ${mapped.status} ${STATUS_CODES[mapped.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * One place where errors become HTTP responses: typed {@link AppError}s keep their status and
 * code; validation errors become 400 `VALIDATION_FAILED` with the failing path; anything
 * unexpected is a 500 `INTERNAL_ERROR` without internals in the body.
 */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
      const requestId = String(request.id);
      if (err instanceof AppError) {
        if (err.headers) reply.headers(err.headers);
        const body: ErrorBody = { code: err.code, message: err.message, requestId };
        if (err.details !== undefined) body.details = err.details;
        return reply.status(err.statusCode).send(body);
      }
      const fe = err as FastifyError;
      if (fe.validation) {
        const details = fe.validation.map((v) => ({
          path: `${fe.validationContext ?? 'body'}${v.instancePath || ''}`,
          message: v.message ?? 'invalid',
        }));
        return reply.status(400).send({
          code: 'VALIDATION_FAILED',
          message: `invalid request: ${details[0]?.path} ${details[0]?.message}`,
          details,
          requestId,
        } satisfies ErrorBody);
      }
      const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
      if (mapped) {
        return reply
          .status(mapped.status)
          .send({ code: mapped.code, message: fe.message, requestId } satisfies ErrorBody);
      }
      if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
        return reply
          .status(fe.statusCode)
          .send({ code: fe.code ?? 'BAD_REQUEST', message: fe.message, requestId } satisfies ErrorBody);
      }
      request.log.error({ err }, 'unhandled error');
      return reply
        .status(500)
        .send({ code: 'INTERNAL_ERROR', message: 'internal error', requestId } satisfies ErrorBody);
    });
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({
        code: 'ROUTE_NOT_FOUND',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
        requestId: String(request.id),
      } satisfies ErrorBody),
    );
  },
  { name: 'rt-error-handler' },
);
