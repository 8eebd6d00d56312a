import type { directory } from '@rt/db';
import { progressPercent } from '@rt/residency';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A tenant as operators see it (no secret, nothing personal). */
export const tenantView = (t: directory.Tenant) => ({
  id: t.id,
  clientKey: t.clientKey,
  platform: t.platform,
  homeRegion: t.homeRegion,
  state: t.state,
  frozenByMigration: t.frozenByMigration,
  revision: t.revision,
  installedAt: t.installedAt.toISOString(),
});

/** A migration as operators see it. */
export const migrationView = (m: directory.Migration) => ({
  id: m.id,
  tenantId: m.tenantId,
  externalId: m.externalId,
  origin: m.origin,
  sourceRegion: m.sourceRegion,
  targetRegion: m.targetRegion,
  location: m.location,
  state: m.state,
  autoCommit: m.autoCommit,
  percent: progressPercent(m.state, m.progress),
  progress: m.progress,
  errorCode: m.errorCode,
  errorMessage: m.errorMessage,
  requestedBy: m.requestedBy,
  deadlineAt: iso(m.deadlineAt),
  cleanupDoneAt: iso(m.cleanupDoneAt),
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

/** A migration with its report and timestamped events. */
export const migrationDetail = (m: directory.Migration, events: directory.MigrationEvent[]) => ({
  ...migrationView(m),
  report: m.report,
  events: events.map((e) => ({
    fromState: e.fromState,
    toState: e.toState,
    at: e.at.toISOString(),
    detail: e.detail,
  })),
});
