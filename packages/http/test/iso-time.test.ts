import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimeOf } from '../src/index.js';

// The time of every log line: of the router's access log and of every service's request line.
describe('log line times', () => {
  it('are what toISOString() gives, formatted once a second', () => {
    const isoTime = isoTimeOf();
    const min = Date.UTC(1970, 0, 1);
    const max = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    fc.assert(
      fc.property(fc.array(fc.integer({ min, max }), { minLength: 1, maxLength: 20 }), (times) => {
        // Runs of nearby times too: the same second and millisecond come back.
        for (const t of times.flatMap((t) => [t, t, t + 1, t + 999, t + 1000].filter((x) => x <= max)))
          expect(isoTime(t)).toBe(new Date(t).toISOString());
      }),
      { numRuns: 300 },
    );
  });
});
