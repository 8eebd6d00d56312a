import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** A readiness check: resolves when the dependency answers, rejects otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

/** Options of {@link healthPlugin}. */
export interface HealthOptions {
  checks: Record<string, ReadinessCheck>;
  /** Per-check timeout (ms). */
  timeoutMs?: number;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });

/**
 * `/healthz` (process is alive) and `/readyz` (every dependency — Postgres, Redis, S3 — answers).
 * Both are public: they carry no tenant data.
 */
export const healthPlugin = fp<HealthOptions>(
  async (app: FastifyInstance, opts) => {
    const timeoutMs = opts.timeoutMs ?? 2000;
    app.get('/healthz', { config: { public: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));
    app.get('/readyz', { config: { public: true }, logLevel: 'warn' }, async (_req, reply) => {
      const results = await Promise.all(
        Object.entries(opts.checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), timeoutMs);
            return [name, { status: 'ok' }] as const;
          } catch (err) {
            return [name, { status: 'fail', error: (err as Error).message }] as const;
          }
        }),
      );
      const checks = Object.fromEntries(results);
      const ready = results.every(([, r]) => r.status === 'ok');
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
    });
  },
  { name: 'rt-health' },
);
