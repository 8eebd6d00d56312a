import { createLogger, createServiceApp, type ServiceApp } from '@rt/http';
import type { FastifyInstance } from 'fastify';
import { openApiCollector } from './document.js';

/**
 * A service-shaped app (the shared skeleton: error handler, TypeBox provider) with the OpenAPI
 * collector registered first, then `register` adds the routes to document. For sources that
 * compose a service's route plugin rather than calling its `buildApp`.
 */
export async function collectingApp(register: (app: ServiceApp) => unknown): Promise<FastifyInstance> {
  const app = createServiceApp({ name: 'openapi', logger: createLogger('openapi', 'silent') });
  await app.register(openApiCollector);
  await register(app);
  return app as unknown as FastifyInstance;
}
