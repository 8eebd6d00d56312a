export { createRedis, type Redis } from './connection.js';
export { InvalidJobPayload, JobProducer, type ProducerOptions, parseJobPayload } from './producer.js';
export { type JobPayload, type QueueKey, Queues } from './queues.js';
