import { describe, expect, it } from 'vitest';
import {
  ACTIVE_STATES,
  canTransition,
  MigrationCoordinator,
  progressPercent,
  TERMINAL_STATES,
  TRANSITIONS,
} from '../src/index.js';

describe('migration state machine', () => {
  it('terminal states go nowhere; commit only from ready_to_commit', () => {
    for (const s of TERMINAL_STATES) expect(TRANSITIONS[s]).toEqual([]);
    for (const [from, tos] of Object.entries(TRANSITIONS)) {
      expect(tos.includes('committed')).toBe(from === 'ready_to_commit');
    }
    expect(canTransition('copying', 'frozen')).toBe(false);
    expect(canTransition('failed', 'rolled_back')).toBe(true);
  });

  it('every active state can still be rolled back', () => {
    for (const s of ACTIVE_STATES) expect(canTransition(s, 'rolled_back')).toBe(true);
  });

  it('progress percent: 0 without counters, 100 only when ready', () => {
    expect(progressPercent('frozen', {})).toBe(0);
    expect(
      progressPercent('copying', { rows: { done: 50, total: 100 }, bytes: { done: 100, total: 100 } }),
    ).toBe(74);
    expect(
      progressPercent('verifying', { rows: { done: 100, total: 100 }, bytes: { done: 100, total: 100 } }),
    ).toBe(99);
    expect(progressPercent('ready_to_commit', {})).toBe(100);
  });

  it('pending steps follow the state (what the sweeper re-enqueues)', () => {
    const m = { sourceRegion: 'EU', targetRegion: 'US', cleanupDoneAt: null } as Parameters<
      typeof MigrationCoordinator.pendingSteps
    >[0];
    expect(MigrationCoordinator.pendingSteps({ ...m, state: 'pre_copying' })).toEqual(['pre-copy']);
    expect(MigrationCoordinator.pendingSteps({ ...m, state: 'copying' })).toEqual(['copy']);
    expect(MigrationCoordinator.pendingSteps({ ...m, state: 'ready_to_commit' })).toEqual([]);
    expect(MigrationCoordinator.pendingSteps({ ...m, state: 'committed' })).toEqual([
      'commit',
      'cleanup-source',
    ]);
    expect(MigrationCoordinator.pendingSteps({ ...m, state: 'failed' })).toEqual(['rollback']);
    expect(MigrationCoordinator.pendingSteps({ ...m, state: 'failed', cleanupDoneAt: new Date() })).toEqual(
      [],
    );
    expect(MigrationCoordinator.pendingSteps({ ...m, targetRegion: 'EU', state: 'scheduled' })).toEqual([]);
  });

  it('a scheduled migration pre-copies only from a day before its window', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
    const m = {
      sourceRegion: 'EU',
      targetRegion: 'US',
      cleanupDoneAt: null,
      state: 'scheduled',
    } as Parameters<typeof MigrationCoordinator.pendingSteps>[0];
    expect(MigrationCoordinator.pendingSteps({ ...m, windowStart: at(72) }, now)).toEqual([]);
    expect(MigrationCoordinator.pendingSteps({ ...m, windowStart: at(25) }, now)).toEqual([]);
    expect(MigrationCoordinator.pendingSteps({ ...m, windowStart: at(23) }, now)).toEqual(['pre-copy']);
    expect(MigrationCoordinator.pendingSteps({ ...m, windowStart: at(-5) }, now)).toEqual(['pre-copy']);
    expect(MigrationCoordinator.pendingSteps({ ...m, windowStart: null }, now)).toEqual(['pre-copy']);
  });
});
