import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyContextConfig,
  type FastifyHttpOptions,
  type FastifyInstance,
  LogController,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Logger } from 'pino';
import { clientErrorResponse, errorHandlerPlugin, frameworkErrorResponse } from './error-handler.js';
import { type HealthOptions, healthPlugin } from './health.js';
import { lazyChildLoggerFactory, logDestination, loggerOptions, pathOnly } from './logger.js';
import { metricsPlugin } from './metrics.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Route needs no internal/Atlassian token (health, metrics, descriptor). */
    public?: boolean;
  }
  interface FastifyRequest {
    /**
     * The matched route's config with its `url` (no `url`: no route matched), read once per
     * request by the first hook: Fastify's `request.routeOptions` builds a new object on every
     * access, and several hooks of every request need the route.
     */
    routeConfig: FastifyContextConfig & { url?: string };
  }
}

/**
 * The logger of the per-request line: the app's, without its redaction. That line's fields are
 * strings and numbers (method, path without query, status, duration, request id), and pino
 * redacts by key — `req.headers.authorization`, `*.token`, … —, so no redaction path can match
 * them; but pino runs every top-level value of every line through the wildcard paths, ~3 µs of
 * the ~5 µs of each such line, on every request of every service. (The path is the client's, as
 * the router passed it on: canonical, its query dropped; the request id is one of ours, see
 * `genReqId`.) Lines with other fields keep the app's logger and its redaction. Undefined when
 * the app's logger is not pino (a test's plain object).
 */
function requestLineLogger(log: FastifyBaseLogger): Logger | undefined {
  if (!(log as Partial<Logger>).isLevelEnabled) return undefined;
  return log.child({}, { redact: { paths: [], censor: '[redacted]' } } as never) as unknown as Logger;
}

/** A request id as `randomUUID()` makes it. */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A Fastify instance typed with the TypeBox provider, as every service uses it. */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Options of {@link createServiceApp}. */
export interface ServiceAppOptions {
  /** Service name, used in logs and metrics. */
  name: string;
  logLevel?: string;
  /** Pass a logger (tests: a silent one, or one writing to a buffer). */
  logger?: FastifyBaseLogger;
  /** Readiness checks for `/readyz`. */
  checks?: HealthOptions['checks'];
  bodyLimit?: number;
  /**
   * Log a `request completed` line (method, path, status, duration, request id) per response at
   * `info` (default true). The router passes false: its access log records every request it
   * answers (time, method, route, status, duration, tenant, request id), and the services it
   * forwards to log their line under the same request id.
   */
  requestLog?: boolean;
  /** Extra Fastify options (e.g. trustProxy for the router). */
  fastify?: Partial<FastifyHttpOptions<RawServerDefault>>;
}

/**
 * Builds the common skeleton of every service: JSON logs without IPs or tokens, request ids
 * propagated via `x-request-id`, the one error handler, `/healthz`, `/readyz`, and the metrics
 * registry (served on a private listener by {@link serve}, never on this app's port).
 * No I/O happens here; the caller registers its plugins and routes, then listens.
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const app = Fastify({
    ...(options.logger
      ? { loggerInstance: options.logger }
      : { logger: { ...loggerOptions(options.name, options.logLevel ?? 'info'), stream: logDestination() } }),
    logController: new LogController({ disableRequestLogging: true }),
    // A request id comes in `x-request-id` only as this code makes them (a UUID: the router's
    // own, passed on to the services and between regions); anything else a client sends there —
    // 16 KiB of text, an address — is replaced, since the id is written into every log line.
    requestIdHeader: false,
    genReqId: (req) => {
      const id = req.headers['x-request-id'];
      return typeof id === 'string' && REQUEST_ID.test(id) ? id : randomUUID();
    },
    childLoggerFactory: lazyChildLoggerFactory,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Fastify's own refusals before routing (an undecodable path) go through the one error
    // handler too, so they carry a stable code like every other error.
    frameworkErrors: frameworkErrorResponse,
    // …and so do the HTTP parser's, before Fastify sees a request.
    clientErrorHandler: clientErrorResponse,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
    ...options.fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('routeConfig', null as unknown as FastifyContextConfig);
  app.addHook('onRequest', (request, _reply, done) => {
    request.routeConfig = request.routeOptions.config ?? {};
    done();
  });

  // Our own request log line: method, path (query stripped — it may hold ?jwt=), status, time.
  // Deliberately without the remote address: only the router's access log may hold an IP.
  if (options.requestLog !== false) {
    const requestLines = requestLineLogger(app.log);
    app.addHook('onResponse', (request, reply, done) => {
      // Below info (LOG_LEVEL=warn, or a route's own level), nothing to build: the hook returns at once.
      if ((request.log as Partial<Logger>).isLevelEnabled?.('info') === false) return done();
      if (request.routeConfig?.public && reply.statusCode < 400) return done();
      const path = pathOnly(request.url);
      const ms = Math.round(reply.elapsedTime);
      // A route logging more than the app (its own `logLevel`) writes through its own logger.
      if (requestLines?.isLevelEnabled('info')) {
        // The request id first, where the request's own logger binds it: the same line either way.
        requestLines.info(
          { reqId: request.id, method: request.method, path, status: reply.statusCode, ms },
          'request completed',
        );
      } else {
        request.log.info({ method: request.method, path, status: reply.statusCode, ms }, 'request completed');
      }
      done();
    });
  }

  app.register(errorHandlerPlugin);
  app.register(metricsPlugin, { service: options.name });
  app.register(healthPlugin, { checks: options.checks ?? {} });
  return app as unknown as ServiceApp;
}
