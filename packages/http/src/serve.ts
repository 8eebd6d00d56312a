import type { FastifyInstance } from 'fastify';
import { type MetricsListener, type MetricsListenOptions, startMetricsListener } from './metrics.js';

/** Options of {@link serve}. */
export interface ServeOptions {
  host: string;
  port: number;
  /** Closes the service's own resources (db pools, redis, queues) after the server stopped. */
  onShutdown?: () => Promise<void>;
  /** Grace period before a forced exit on shutdown (ms). */
  graceMs?: number;
  /** Private listener of `/metrics` (METRICS_HOST/METRICS_PORT); absent: metrics are not served. */
  metrics?: MetricsListenOptions;
}

/**
 * Listens and installs SIGTERM/SIGINT handlers that stop accepting connections, let in-flight
 * requests finish, close resources, then exit. Used by every `server.ts`.
 */
export async function serve(app: FastifyInstance, options: ServeOptions): Promise<string> {
  let stopping = false;
  let metrics: MetricsListener | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), options.graceMs ?? 10_000);
    timer.unref();
    try {
      await metrics?.close();
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
  const address = await app.listen({ host: options.host, port: options.port });
  if (options.metrics) {
    metrics = await startMetricsListener(app, options.metrics);
    app.log.info({ metrics: metrics.url }, 'metrics listener started');
  }
  return address;
}
