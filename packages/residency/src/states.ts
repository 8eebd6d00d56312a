import type { directory } from '@rt/db';

/** A migration's state as stored in the directory (`MigrationState` enum). */
export type MigrationState = directory.MigrationState;

/**
 * The state machine of a data-residency migration. A transition not listed here is a bug (or a
 * race lost to another caller) and is refused by {@link canTransition}.
 *
 * scheduled → pre_copying → frozen → copying → verifying → ready_to_commit → committed, with
 * failed / rolled_back / cancelled reachable from every state before commit. `scheduled` and
 * `pre_copying` may go straight to `ready_to_commit` when source and target are the same stack
 * (Atlassian's DE realm served by the EU stack): there is nothing to copy.
 */
export const TRANSITIONS: Record<MigrationState, readonly MigrationState[]> = {
  scheduled: ['pre_copying', 'frozen', 'ready_to_commit', 'failed', 'rolled_back', 'cancelled'],
  pre_copying: ['frozen', 'ready_to_commit', 'failed', 'rolled_back', 'cancelled'],
  frozen: ['copying', 'failed', 'rolled_back', 'cancelled'],
  copying: ['verifying', 'failed', 'rolled_back', 'cancelled'],
  verifying: ['ready_to_commit', 'failed', 'rolled_back', 'cancelled'],
  ready_to_commit: ['committed', 'rolled_back', 'cancelled'],
  failed: ['rolled_back'],
  committed: [],
  rolled_back: [],
  cancelled: [],
};

/** States in which a migration counts against the concurrency cap. */
export const ACTIVE_STATES: readonly MigrationState[] = [
  'scheduled',
  'pre_copying',
  'frozen',
  'copying',
  'verifying',
  'ready_to_commit',
];

/** States in which the tenant's writes are frozen (between start and ready/commit). */
export const FROZEN_STATES: readonly MigrationState[] = ['frozen', 'copying', 'verifying', 'ready_to_commit'];

/** States after which nothing more happens except cleanup of the copy that is not needed. */
export const TERMINAL_STATES: readonly MigrationState[] = ['committed', 'rolled_back', 'cancelled'];

/** States whose target copy must be deleted (the migration did not and will not commit). */
export const ABANDONED_STATES: readonly MigrationState[] = ['failed', 'rolled_back', 'cancelled'];

/** True when `from → to` is a legal transition. */
export function canTransition(from: MigrationState, to: MigrationState): boolean {
  return TRANSITIONS[from].includes(to);
}
