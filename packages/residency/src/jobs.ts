import { type JobPayload, JobProducer, type ProducerOptions } from '@rt/queue';

/** A step of the migration pipeline, as carried by a `migration` queue job. */
export type MigrationStep = JobPayload<'migration'>['step'];

/**
 * Enqueues migration steps. The job id is derived from migration + step, so enqueuing the same
 * step twice (a retried hook, the sweeper after a Redis loss) is a no-op while the job exists.
 * BullMQ custom ids may not contain ':'.
 */
export class MigrationJobs {
  private readonly producer: JobProducer<'migration'>;
  constructor(options: ProducerOptions) {
    this.producer = new JobProducer('migration', options);
  }

  /** The BullMQ job id of a step. */
  static jobId(migrationId: string, step: MigrationStep): string {
    return `${migrationId}-${step}`;
  }

  async enqueue(migrationId: string, step: MigrationStep): Promise<void> {
    await this.producer.add(step, { migrationId, step }, { jobId: MigrationJobs.jobId(migrationId, step) });
  }

  /** The underlying BullMQ queue (bull-board, tests). */
  get queue() {
    return this.producer.queue;
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
