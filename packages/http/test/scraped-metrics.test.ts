import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { scrapedCounter, scrapedGauge } from '../src/index.js';

describe('metrics read at scrape time', () => {
  it('show the observed values on every scrape, counted once however often they are scraped', async () => {
    const registry = new Registry();
    let size = 3;
    const stats = { hit: 5, miss: 0 };
    scrapedGauge(registry, 'rt_test_size', 'size', () => size);
    scrapedCounter(registry, 'rt_test_operations_total', 'operations', 'outcome', () => stats);
    const scrape = async () =>
      Object.fromEntries(
        (await registry.getMetricsAsJSON()).flatMap((m) =>
          m.values.map((v) => [`${m.name}${JSON.stringify(v.labels)}`, v.value]),
        ),
      );
    const first = await scrape();
    expect(first).toEqual({
      'rt_test_size{}': 3,
      'rt_test_operations_total{"outcome":"hit"}': 5,
      'rt_test_operations_total{"outcome":"miss"}': 0,
    });
    // Nothing happened: the same values, not twice the counts.
    expect(await scrape()).toEqual(first);
    size = 1;
    stats.hit += 2;
    expect(await scrape()).toEqual({
      'rt_test_size{}': 1,
      'rt_test_operations_total{"outcome":"hit"}': 7,
      'rt_test_operations_total{"outcome":"miss"}': 0,
    });
  });
});
