import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type JobPayload, type QueueKey, Queues } from './queues.js';

// TypeBox's Value.Check rejects every string `format` it has no checker for (Fastify's ajv has
// its own); the payload schemas use `uuid`, so register it once here.
if (!FormatRegistry.Has('uuid')) {
  FormatRegistry.Set('uuid', (v) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  );
}

/** Options shared by every producer: a Redis connection and an optional key prefix (tests). */
export interface ProducerOptions {
  connection: Redis;
  prefix?: string;
}

/** Thrown when a payload does not match its queue's schema. */
export class InvalidJobPayload extends Error {
  constructor(queue: string, detail: string) {
    super(`invalid payload for ${queue}: ${detail}`);
    this.name = 'InvalidJobPayload';
  }
}

/**
 * Typed producer of one queue: validates the payload against the shared schema before it
 * reaches Redis.
 */
export class JobProducer<K extends QueueKey> {
  readonly queue: Queue;
  constructor(
    readonly key: K,
    options: ProducerOptions,
  ) {
    this.queue = new Queue(Queues[key].name, {
      connection: options.connection,
      prefix: options.prefix ?? 'bull',
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  /** Enqueues a job; a `jobId` makes the enqueue idempotent (BullMQ ignores duplicates). */
  async add(name: string, payload: JobPayload<K>, options: JobsOptions = {}) {
    const schema = Queues[this.key].payload;
    if (!Value.Check(schema, payload)) {
      const first = [...Value.Errors(schema, payload)][0];
      throw new InvalidJobPayload(Queues[this.key].name, `${first?.path} ${first?.message}`);
    }
    return this.queue.add(name, payload, options);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Validates a job's data in the worker (data from Redis is untrusted input too). */
export function parseJobPayload<K extends QueueKey>(key: K, data: unknown): JobPayload<K> {
  const schema = Queues[key].payload;
  if (!Value.Check(schema, data)) {
    const first = [...Value.Errors(schema, data)][0];
    throw new InvalidJobPayload(Queues[key].name, `${first?.path} ${first?.message}`);
  }
  return data as JobPayload<K>;
}
