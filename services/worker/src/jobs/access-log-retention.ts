import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkerDeps } from '../deps.js';

/** The promise: IP addresses (only in the access log) are kept 14 days. */
export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 14;

/** Daily files the router's access log writes: `access-YYYY-MM-DD.log` (plus rotations/compression). */
const ACCESS_LOG_FILE = /^access-(\d{4}-\d{2}-\d{2})\.log(\..+)?$/;

const DAY_MS = 24 * 3600 * 1000;

/** First UTC day that is kept: today and the `retentionDays − 1` days before it. */
export function oldestKeptDay(now: Date, retentionDays: number): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (retentionDays - 1) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Deletes every access-log day file older than the retention. A file is removed whole, as soon
 * as its day falls out of the window: with a 14-day retention, at any time of day D only D−13 … D
 * exist, so no entry is ever older than 14 days even though the job runs once a day. Files that
 * are not access-log days are left alone.
 */
export async function pruneAccessLogs(
  dir: string,
  options: { now: Date; retentionDays: number },
): Promise<{ removed: string[]; kept: number }> {
  const cutoff = oldestKeptDay(options.now, options.retentionDays);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { removed: [], kept: 0 };
    throw err;
  }
  const removed: string[] = [];
  let kept = 0;
  for (const name of names.sort()) {
    const day = ACCESS_LOG_FILE.exec(name)?.[1];
    if (!day) continue;
    if (day >= cutoff) {
      kept++;
      continue;
    }
    await unlink(join(dir, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    removed.push(name);
  }
  return { removed, kept };
}

/** Maintenance task `access-log-retention` (daily): prunes this region's access-log directory. */
export async function accessLogRetention(deps: WorkerDeps): Promise<{ removed: string[]; kept: number }> {
  if (!deps.accessLog) {
    deps.logger.warn('access-log retention skipped: ACCESS_LOG_DIR is not set');
    return { removed: [], kept: 0 };
  }
  const result = await pruneAccessLogs(deps.accessLog.dir, {
    now: deps.now(),
    retentionDays: deps.accessLog.retentionDays,
  });
  deps.logger.info({ removed: result.removed.length, kept: result.kept }, 'access-log retention');
  return result;
}
