import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';

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
    const duration = new RequestDurations();
    registry.registerMetric(duration as unknown as Metric);
    app.decorate('metrics', registry);
    app.addHook('onResponse', (request, reply, done) => {
      duration.observe(
        request.method,
        request.routeConfig?.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
  },
  { name: 'rt-metrics' },
);

/** The registry of an app's metrics (`app.metrics`), for code that registers into it. */
export type MetricsRegistry = Registry;

/**
 * A gauge whose value is read only when the registry is scraped (e.g. the size of a cache): it
 * costs the code it observes nothing between scrapes.
 */
export function scrapedGauge(registry: Registry, name: string, help: string, value: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(value());
    },
  });
}

/**
 * A counter kept by the code it observes (a plain number it increments) and read only when the
 * registry is scraped, one series per key of `values()` under the label `label`.
 */
export function scrapedCounter(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  values: () => Readonly<Record<string, number>>,
): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, n] of Object.entries(values())) this.inc({ [label]: key }, n);
    },
  });
}

/** Upper bounds (seconds) of the request-duration buckets. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

interface DurationSeries {
  labels: { method: string; route: string; status: string };
  /** Observations per bucket (not cumulative); the last slot is above the largest bound. */
  counts: number[];
  sum: number;
  count: number;
}

interface ScrapedValue {
  metricName: string;
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  exemplar?: null;
}

interface ScrapedHistogram {
  name: string;
  help: string;
  type: 'histogram';
  values: ScrapedValue[];
  aggregator: 'sum';
}

/**
 * `http_request_duration_seconds`, a Prometheus histogram by method, route and status, counted in
 * plain arrays and handed to the registry as prom-client's own histograms are when it is scraped
 * (`_bucket` with cumulative `le` counts, `_sum`, `_count`). Every answer of every service is
 * observed here: prom-client's labelled histogram checks and hashes the label set on each
 * observation, which cost more than the rest of the request's bookkeeping together.
 */
export class RequestDurations {
  readonly name = 'http_request_duration_seconds';
  readonly help = 'HTTP request duration by route and status';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** By `method status route`; routes are patterns, so the map stays small. */
  private readonly series = new Map<string, DurationSeries>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      series = {
        labels: { method, route, status: String(status) },
        counts: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.series.set(key, series);
    }
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[bucket]!) bucket++;
    series.counts[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  /**
   * The histogram as prom-client's own `get()` gives it (`getMetricsAsJSON`): each value with all
   * its labels.
   */
  async get(): Promise<ScrapedHistogram> {
    return this.scrape((labels, le) => ({ labels: le === undefined ? labels : { ...labels, le } }));
  }

  /** The histogram as prom-client's own formats it as text: the series' labels after `le`. */
  async getForPromString(): Promise<ScrapedHistogram> {
    return this.scrape((labels, le) => ({
      labels: le === undefined ? ({} as ScrapedValue['labels']) : { le },
      sharedLabels: labels,
    }));
  }

  private scrape(
    labelled: (
      labels: DurationSeries['labels'],
      le: number | '+Inf' | undefined,
    ) => Pick<ScrapedValue, 'labels' | 'sharedLabels'>,
  ): ScrapedHistogram {
    const values: ScrapedValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, i) => {
        cumulative += counts[i]!;
        values.push({ ...labelled(labels, le), metricName: bucketName, value: cumulative, exemplar: null });
      });
      values.push({ ...labelled(labels, '+Inf'), metricName: bucketName, value: count, exemplar: null });
      values.push({ ...labelled(labels, undefined), metricName: `${this.name}_sum`, value: sum });
      values.push({ ...labelled(labels, undefined), metricName: `${this.name}_count`, value: count });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }

  reset(): void {
    this.series.clear();
  }
}

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
