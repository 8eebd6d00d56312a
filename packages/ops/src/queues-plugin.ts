import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { DirectoryDb } from '@rt/db';
import { AppError } from '@rt/http';
import type { Queue } from 'bullmq';
import type { FastifyPluginAsync } from 'fastify';
import type { OperatorAuthConfig, OperatorVerifier } from './operator-auth.js';
import { operatorGuard } from './plugin.js';

/** Options of {@link opsQueuesPlugin}. */
export interface OpsQueuesOptions {
  directory: DirectoryDb;
  auth: OperatorAuthConfig | OperatorVerifier;
  queues: Queue[];
  /** Where the router mounts it (bull-board needs the absolute base path). */
  basePath?: string;
}

/**
 * Bull-board's Fastify adapter answers every error of its routes with its own handler (no stable
 * `code`; the stack trace under NODE_ENV=development) — the operator guard's 401 and 403 too.
 * Our errors are thrown on instead, and a handler that throws passes the error to its parent's:
 * the app's one error handler (https://fastify.dev/docs/latest/Reference/Server/#seterrorhandler).
 */
class GuardedAdapter extends FastifyAdapter {
  override setErrorHandler(handler: Parameters<FastifyAdapter['setErrorHandler']>[0]): this {
    return super.setErrorHandler((error) => {
      if (error instanceof AppError) throw error;
      return handler(error);
    });
  }
}

/**
 * Bull-board for the queues, behind the operator auth (admin: it can retry and remove jobs)
 * and the audit trail. Register with `{ prefix: '/ops/queues' }`.
 */
export const opsQueuesPlugin: FastifyPluginAsync<OpsQueuesOptions> = async (app, opts) => {
  await operatorGuard(app, { directory: opts.directory, auth: opts.auth, defaultRole: 'admin' });
  const serverAdapter = new GuardedAdapter();
  serverAdapter.setBasePath(opts.basePath ?? '/ops/queues');
  createBullBoard({ queues: opts.queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  await app.register(serverAdapter.registerPlugin());
};
