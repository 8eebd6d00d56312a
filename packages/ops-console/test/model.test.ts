import { describe, expect, it } from 'vitest';
// The console's own browser module, imported as is (plain ES module, no DOM use).
import {
  can,
  decodeClaims,
  EtaTracker,
  formatBytes,
  formatDuration,
  formatRelative,
  fractionOf,
  roleOf,
} from '../public/model.js';
import { mintFakeOperatorToken } from '../src/index.js';

describe('console model', () => {
  it('reads role claims of an operator token, the highest known role winning', () => {
    const claims = decodeClaims(mintFakeOperatorToken('s', 'ann@ops', 'migrator'));
    expect(claims).toMatchObject({ sub: 'ann@ops', roles: ['migrator'] });
    expect(roleOf(claims)).toBe('migrator');
    expect(roleOf({ roles: ['viewer', 'admin'] })).toBe('admin');
    expect(roleOf({ role: 'admin' })).toBe('admin');
    // Anything unrecognisable shows no actions.
    expect(roleOf({ roles: ['root'] })).toBe('viewer');
    expect(roleOf(null)).toBe('viewer');
    expect(decodeClaims('not-a-jwt')).toBeNull();
    expect(can('admin', 'migrator')).toBe(true);
    expect(can('viewer', 'migrator')).toBe(false);
  });

  it('takes the fraction from bytes, then objects, then rows; done states are complete', () => {
    expect(
      fractionOf({
        state: 'copying',
        progress: { bytes: { done: 25, total: 100 }, rows: { done: 9, total: 10 } },
      }),
    ).toBe(0.25);
    expect(
      fractionOf({
        state: 'copying',
        progress: { bytes: { done: 0, total: 0 }, rows: { done: 5, total: 10 } },
      }),
    ).toBe(0.5);
    expect(fractionOf({ state: 'committed', progress: { phase: 'committed' } })).toBe(1);
    expect(fractionOf({ state: 'scheduled', progress: {} })).toBeUndefined();
    expect(fractionOf({ state: 'scheduled', progress: {}, percent: 40 })).toBe(0.4);
  });

  it('estimates the time left from the recent progress rate', () => {
    const eta = new EtaTracker(60_000);
    expect(eta.update('m', 0.1, 0)).toBeUndefined();
    // 10 % per 10 s → 70 % left takes 70 s.
    expect(eta.update('m', 0.2, 10_000)).toBeCloseTo(80_000, -2);
    expect(eta.update('m', 0.3, 20_000)).toBeCloseTo(70_000, -2);
    // A stall: no new sample, the estimate grows old with the clock.
    expect(eta.estimate('m', 30_000)).toBeCloseTo(60_000, -2);
    expect(eta.update('m', 1, 40_000)).toBe(0);
    expect(eta.update('other', 0.5, 0)).toBeUndefined();
    expect(eta.update('other', 0.5, 10_000)).toBeUndefined();
  });

  it('formats sizes, durations and due dates for people', () => {
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(52_428_800)).toBe('50 MiB');
    expect(formatDuration(95_000)).toBe('1 min 35 s');
    expect(formatDuration(undefined)).toBe('—');
    const now = Date.parse('2026-07-01T00:00:00Z');
    expect(formatRelative('2026-07-26T00:00:00Z', now)).toBe('in 25 days');
    expect(formatRelative('2026-06-30T21:00:00Z', now)).toBe('3 hours ago');
  });
});
