import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@rt/http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { WorkerDeps } from '../src/deps.js';
import { oldestKeptDay } from '../src/jobs/access-log-retention.js';
import { maintenanceJob } from '../src/jobs/maintenance.js';
import { TestClock } from './support/world.js';

const DAY = 24 * 3600 * 1000;
const dayName = (d: Date) => `access-${d.toISOString().slice(0, 10)}.log`;
let dir: string | undefined;

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Only the retention task's deps matter here; it touches no database. */
const depsFor = (clock: TestClock, accessLog?: WorkerDeps['accessLog']) =>
  ({
    region: 'EU',
    logger: createLogger('retention-test', 'silent'),
    now: clock.now,
    accessLog,
  }) as WorkerDeps;

describe('access-log retention (the only IP sink keeps 14 days)', () => {
  it('after the daily job, day −15 is gone and day −13 remains (injected clock)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rt-access-'));
    const clock = new TestClock(new Date('2026-03-31T00:05:00Z'));
    const today = clock.now();
    for (let back = 0; back <= 20; back++) {
      const name = dayName(new Date(today.getTime() - back * DAY));
      await writeFile(join(dir, name), `{"ip":"203.0.113.${back}","route":"/api/v1/layouts"}\n`);
    }
    await writeFile(join(dir, `${dayName(new Date(today.getTime() - 16 * DAY))}.gz`), 'rotated');
    await writeFile(join(dir, 'README'), 'not an access log');

    const result = (await maintenanceJob(
      depsFor(clock, { dir, retentionDays: 14 }),
      { task: 'access-log-retention' },
      {} as never,
    )) as { removed: string[]; kept: number };

    const left = new Set(await readdir(dir));
    const at = (back: number) => dayName(new Date(today.getTime() - back * DAY));
    expect(left.has(at(15))).toBe(false);
    expect(left.has(at(14))).toBe(false);
    expect(left.has(at(13))).toBe(true);
    expect(left.has(at(0))).toBe(true);
    expect(left.has(`${at(16)}.gz`)).toBe(false);
    expect(left.has('README')).toBe(true);
    expect(result).toMatchObject({ kept: 14 });
    expect(result.removed).toHaveLength(8);
  });

  it('the window is calendar days in UTC: 14 days including today', () => {
    expect(oldestKeptDay(new Date('2026-03-31T23:59:59Z'), 14)).toBe('2026-03-18');
    expect(oldestKeptDay(new Date('2026-03-01T00:00:00Z'), 1)).toBe('2026-03-01');
  });

  it('a missing directory is not an error; no directory configured skips', async () => {
    const clock = new TestClock(new Date());
    await expect(
      maintenanceJob(
        depsFor(clock, { dir: '/nonexistent/rt', retentionDays: 14 }),
        { task: 'access-log-retention' },
        {} as never,
      ),
    ).resolves.toEqual({ removed: [], kept: 0 });
    await expect(
      maintenanceJob(depsFor(clock), { task: 'access-log-retention' }, {} as never),
    ).resolves.toEqual({
      removed: [],
      kept: 0,
    });
  });

  it('retention is configurable but can only shorten the promised 14 days', () => {
    const base = {
      REGION: 'EU',
      REGIONS: 'EU',
      REGION_EU_DATABASE_URL: 'postgresql://localhost/rt_eu',
      REGION_EU_REDIS_URL: 'redis://localhost:6379/1',
      REGION_EU_S3_BUCKET: 'rt-assets-eu',
      REGION_EU_AWS_REGION: 'eu-central-1',
      REGION_EU_BASE_URL: 'https://eu.example.test',
      INTERNAL_TOKEN_SECRET: 'x'.repeat(32),
      DIRECTORY_DATABASE_URL: 'postgresql://localhost/rt_directory',
    };
    expect(loadConfig(base).accessLogRetentionDays).toBe(14);
    expect(
      loadConfig({ ...base, ACCESS_LOG_RETENTION_DAYS: '7', ACCESS_LOG_DIR: '/var/log/rt' }),
    ).toMatchObject({
      accessLogRetentionDays: 7,
      accessLogDir: '/var/log/rt',
    });
    expect(() => loadConfig({ ...base, ACCESS_LOG_RETENTION_DAYS: '30' })).toThrow(
      /ACCESS_LOG_RETENTION_DAYS/,
    );
  });
});
