import type { DirectoryDb } from '@rt/db';
import { createServiceApp, type ServiceApp } from '@rt/http';
import type { Redis } from '@rt/queue';
import type { FastifyBaseLogger } from 'fastify';
import type { RouterConfig } from './config.js';

/** Everything the router needs, created by server.ts (or a test). */
export interface AppDeps {
  config: RouterConfig;
  directory: DirectoryDb;
  redis: Redis;
  logger?: FastifyBaseLogger;
}

const upstreamReady = async (baseUrl: string): Promise<void> => {
  const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${baseUrl}/readyz answered ${res.status}`);
};

/** Builds the tenant router, the only public entry (no I/O here: connections are passed in). */
export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const { config } = deps;
  const app = createServiceApp({
    name: 'router',
    logLevel: config.logLevel,
    logger: deps.logger,
    checks: {
      directory: () => deps.directory.$queryRaw`SELECT 1`,
      redis: () => deps.redis.ping(),
      layout: () => upstreamReady(config.services.layout),
      theme: () => upstreamReady(config.services.theme),
      asset: () => upstreamReady(config.services.asset),
      'residency-migration': () => upstreamReady(config.services.migration),
    },
  });
  return app;
}
