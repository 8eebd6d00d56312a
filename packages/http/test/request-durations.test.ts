import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestDurations } from '../src/index.js';

describe('RequestDurations', () => {
  it('scrapes exactly as prom-client’s own histogram with the same buckets and observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    for (const r of [ours, theirs]) r.setDefaultLabels({ service: 'svc' });
    const durations = new RequestDurations();
    ours.registerMetric(durations as never);
    const reference = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [theirs],
    });
    // Bounds themselves, values between, above the largest bound, several series.
    const observations: Array<[string, string, number, number]> = [
      ['GET', '/api/v1/layouts/*', 200, 0.001],
      ['GET', '/api/v1/layouts/*', 200, 0.0011],
      ['GET', '/api/v1/layouts/*', 200, 0.0004],
      ['GET', '/api/v1/layouts/*', 304, 0.02],
      ['PUT', '/api/v1/layouts/*', 409, 7.5],
      ['PUT', '/api/v1/layouts/*', 409, 5],
      ['GET', 'unmatched', 404, 0.3],
    ];
    for (const [method, route, status, seconds] of observations) {
      durations.observe(method, route, status, seconds);
      reference.observe({ method, route, status: String(status) }, seconds);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.001",service="svc",method="GET",route="/api/v1/layouts/*",status="200"} 2',
    );
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    durations.reset();
    expect(await ours.metrics()).not.toContain('_bucket');
  });
});
