import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry (one per app, so tests can build many apps). */
    metrics: Registry;
  }
}

/**
 * Prometheus metrics of the app: process metrics plus a request-duration histogram by route, in
 * `app.metrics`. They are not served on the app's own listener — a public port must never expose
 * them — but on a separate private one, see {@link startMetricsListener}.
 */
export const metricsPlugin = fp<{ service: string; collectDefault?: boolean }>(
  async (app: FastifyInstance, opts) => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: opts.service });
    if (opts.collectDefault !== false) collectDefaultMetrics({ register: registry });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    app.decorate('metrics', registry);
    // One labelled child per (method, route, status), looked up by a flat key: prom-client would
    // otherwise hash a label object on every observation. Routes are patterns, so the map stays small.
    const series = new Map<string, { observe(value: number): void }>();
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeConfig?.url ?? 'unmatched';
      const key = `${request.method} ${reply.statusCode} ${route}`;
      let child = series.get(key);
      if (!child) {
        child = duration.labels({ method: request.method, route, status: String(reply.statusCode) });
        series.set(key, child);
      }
      child.observe(reply.elapsedTime / 1000);
      done();
    });
  },
  { name: 'rt-metrics' },
);

/** A counter a plugin increments (e.g. refused requests). */
export interface AppCounter {
  inc(labels?: Record<string, string>): void;
}

/**
 * The counter `name` in the app's registry, created on first use: plugins registered more than
 * once (or in several contexts) share one series instead of failing on a duplicate name.
 * Without the metrics plugin (bare test apps) the counter counts nowhere.
 */
export function appCounter(
  app: FastifyInstance,
  name: string,
  help: string,
  labelNames: string[] = [],
): AppCounter {
  const registry = (app as Partial<FastifyInstance>).metrics;
  if (!registry) return { inc: () => undefined };
  const existing = registry.getSingleMetric(name);
  const counter =
    (existing as Counter<string> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] });
  return { inc: (labels) => (labels ? counter.inc(labels) : counter.inc()) };
}

/** Where a process serves `/metrics` (METRICS_HOST / METRICS_PORT). */
export interface MetricsListenOptions {
  /** Private address; 127.0.0.1 unless the platform scrapes over a private network. */
  host: string;
  /** 0: any free port (tests). */
  port: number;
}

/** A running metrics listener. */
export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` of `app` on its own listener, apart from the app's port: the only way to
 * read a process's metrics, so a route or a proxy mistake on the public port can never expose
 * them. Anything else is a 404; there is nothing else on this port.
 */
export async function startMetricsListener(
  app: FastifyInstance,
  options: MetricsListenOptions,
): Promise<MetricsListener> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    app.metrics.metrics().then(
      (text) => res.writeHead(200, { 'content-type': app.metrics.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
