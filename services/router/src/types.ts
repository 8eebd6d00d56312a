import type { ServiceApp } from '@rt/http';

/** The router's Fastify instance (TypeBox type provider, as every service). */
export type RouterApp = ServiceApp;
