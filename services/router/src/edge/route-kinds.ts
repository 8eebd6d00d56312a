import type { RouteKind } from '@rt/auth';
import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Kinds of the routes that plugins from other packages register (they do not know about kinds):
 * bound once, by where the route is mounted, when the route is defined — never from a request.
 */
const MOUNTED_KINDS: ReadonlyArray<[prefix: string, kind: RouteKind]> = [
  ['/ops/', 'ops'],
  ['/internal/', 'internal'],
];

const kindOf = (route: RouteOptions): RouteKind | undefined => {
  if (route.config?.kind) return route.config.kind;
  const url = route.url;
  return MOUNTED_KINDS.find(([prefix]) => url.startsWith(prefix) || url === prefix.slice(0, -1))?.[1];
};

/**
 * Fails closed at start-up: every route the router serves either is `config.public` (health,
 * descriptor, API reference) or has a kind; a route with neither cannot be registered.
 */
export const routeKindsPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      const kind = kindOf(route);
      if (kind) {
        route.config = { ...route.config, kind };
        return;
      }
      // @fastify/cors answers preflights on `OPTIONS *`, @fastify/swagger-ui serves the committed
      // API reference under `/docs`: neither takes credentials nor reaches a service.
      const preflight = route.url === '*' && route.method === 'OPTIONS';
      const reference = route.url === '/docs' || route.url.startsWith('/docs/');
      if (preflight || reference) {
        route.config = { ...route.config, public: true };
        return;
      }
      if (!route.config?.public) {
        throw new Error(`route ${String(route.method)} ${route.url} has no kind and is not public`);
      }
    });
  },
  { name: 'rt-route-kinds' },
);
