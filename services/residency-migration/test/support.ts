import type { RegionSettings } from '@rt/config';
import type { DirectoryDb } from '@rt/db';
import { publishTenantChangedToRegions } from '@rt/directory';
import type { Redis } from '@rt/queue';
import { MigrationCoordinator, MigrationJobs, type MigrationLimits } from '@rt/residency';

const region = (id: string): RegionSettings => ({
  id,
  awsRegion: id === 'EU' ? 'eu-central-1' : 'us-east-1',
  databaseUrl: 'postgresql://unused/unused',
  redisUrl: 'redis://unused',
  bucket: `rt-${id.toLowerCase()}`,
  baseUrl: `https://${id.toLowerCase()}.example.test`,
});
const regions = [region('EU'), region('US')];
const aliases: Record<string, string> = { EU: 'EU', DE: 'EU', US: 'US' };

/** A coordinator wired as server.ts wires it, on test connections. */
export function testCoordinator(
  directory: DirectoryDb,
  redis: Redis,
  prefix: string,
  limits: MigrationLimits = { enabled: true, maxConcurrent: 3, maxDurationHours: 2 },
  now?: () => Date,
): { coordinator: MigrationCoordinator; jobs: MigrationJobs } {
  const jobs = new MigrationJobs({ connection: redis, prefix });
  const coordinator = new MigrationCoordinator({
    directory,
    resolveLocation: (l) => regions.find((r) => r.id === aliases[l.toUpperCase()]),
    jobs,
    publishTenantChanged: (tenantId) => publishTenantChangedToRegions([redis], tenantId),
    limits,
    now,
  });
  return { coordinator, jobs };
}
