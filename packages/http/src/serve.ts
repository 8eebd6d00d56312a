import type { FastifyInstance } from 'fastify';

/** Options of {@link serve}. */
export interface ServeOptions {
  host: string;
  port: number;
  /** Closes the service's own resources (db pools, redis, queues) after the server stopped. */
  onShutdown?: () => Promise<void>;
  /** Grace period before a forced exit on shutdown (ms). */
  graceMs?: number;
}

/**
 * Listens and installs SIGTERM/SIGINT handlers that stop accepting connections, let in-flight
 * requests finish, close resources, then exit. Used by every `server.ts`.
 */
export async function serve(app: FastifyInstance, options: ServeOptions): Promise<string> {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), options.graceMs ?? 10_000);
    timer.unref();
    try {
      await app.close();
      await options.onShutdown?.();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // Started by the local stack (`npm start`): stop too when that launcher is gone, even if it
  // was killed without a chance to stop its children (SIGKILL).
  const parent = Number(process.env.RT_PARENT_PID);
  if (parent > 0) {
    const watchdog = setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        clearInterval(watchdog);
        void stop('parent-exited');
      }
    }, 1000);
    watchdog.unref();
  }
  return app.listen({ host: options.host, port: options.port });
}
