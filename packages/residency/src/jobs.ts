import { type JobPayload, JobProducer, type ProducerOptions } from '@rt/queue';

/** A step of the migration pipeline, as carried by a `migration` queue job. */
export type MigrationStep = JobPayload<'migration'>['step'];

/**
 * Which region's worker runs a step. The target region pulls (pre-copy, copy, verify) and
 * deletes its own copy on rollback; the source region deletes its own copy after the commit. So
 * every worker writes only its own region's database and bucket, and none holds another
 * region's database credentials.
 */
export function stepRegion(m: { sourceRegion: string; targetRegion: string }, step: MigrationStep): string {
  return step === 'cleanup-source' || step === 'commit' ? m.sourceRegion : m.targetRegion;
}

/**
 * Enqueues migration steps on the queue of the region that runs them (each region's worker
 * consumes its own Redis). The job id is derived from migration + step, so enqueuing the same
 * step twice (a retried hook, the sweeper after a Redis loss) is a no-op while the job exists.
 * BullMQ custom ids may not contain ':'.
 */
export class MigrationJobs {
  private readonly producer: JobProducer<'migration'>;
  private readonly remote = new Map<string, JobProducer<'migration'>>();

  /**
   * @param options this region's queue
   * @param regions the queue of each other region
   * @param ownRegion this region's id; when given, a step for a region that is neither this one
   *   nor in `regions` is not queued here (this region's worker could not run it) but left to
   *   that region's sweeper, which queues it from the directory. Without it every step is queued
   *   on `options` (a single-queue setup).
   */
  constructor(
    options: ProducerOptions,
    private readonly regions: Record<string, ProducerOptions> = {},
    private readonly ownRegion?: string,
  ) {
    this.producer = new JobProducer('migration', options);
  }

  /** The BullMQ job id of a step. */
  static jobId(migrationId: string, step: MigrationStep): string {
    return `${migrationId}-${step}`;
  }

  /** Enqueues `step` on `region`'s queue (this region's when omitted or not configured). */
  async enqueue(migrationId: string, step: MigrationStep, region?: string): Promise<void> {
    if (region && this.ownRegion && region !== this.ownRegion && !this.regions[region]) return;
    await this.producerFor(region).add(
      step,
      { migrationId, step },
      { jobId: MigrationJobs.jobId(migrationId, step) },
    );
  }

  /** The producer of a region's queue. */
  producerFor(region?: string): JobProducer<'migration'> {
    const options = region ? this.regions[region] : undefined;
    if (!region || !options) return this.producer;
    let p = this.remote.get(region);
    if (!p) {
      p = new JobProducer('migration', options);
      this.remote.set(region, p);
    }
    return p;
  }

  /** This region's BullMQ queue (bull-board, tests). */
  get queue() {
    return this.producer.queue;
  }

  async close(): Promise<void> {
    await this.producer.close();
    for (const p of this.remote.values()) await p.close();
  }
}
