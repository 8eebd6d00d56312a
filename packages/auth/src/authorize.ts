import type { FastifyRequest } from 'fastify';

/** What a write is about to do, for the permission check (reads never ask). */
export interface WriteRequest {
  /** `create`, `update`, `delete`, `restore`, `set-default-theme`, `import`, `copy`, `upload`… */
  action: string;
  /** `layout`, `theme`, `space-theme`, `settings`, `asset`. */
  resource: string;
  /** `site` or `space:<KEY>`: site-wide changes need a Confluence admin, space ones a space admin. */
  scope: string;
}

/**
 * The permission check every write of the layout, theme and asset services runs first. It
 * resolves to allow and throws an `AppError` to refuse (403 `NOT_PERMITTED`, 503 when Confluence
 * cannot answer). It is a required dependency of each service's `buildApp`: there is no default,
 * so a service wired without one does not compile, and a deployment cannot silently allow every
 * write. The production implementation is `@rt/confluence`'s `authorizeThroughRouter`.
 */
export type Authorize = (request: FastifyRequest, what: WriteRequest) => Promise<void>;

/**
 * Allows every write. For tests of concerns other than permissions only: production wiring
 * passes the Confluence-backed check.
 */
export const allowAllWritesForTests: Authorize = async () => undefined;

/**
 * Start-up check of a service's `authorize` dependency, for callers the type checker does not
 * see (plain JavaScript, a `deps` object built from `any`): without a permission check a
 * service would refuse nothing, so it must not start.
 */
export function requireAuthorize(authorize: unknown, service: string): Authorize {
  if (typeof authorize !== 'function') {
    throw new TypeError(`${service}: buildApp needs an \`authorize\` permission check (none given)`);
  }
  return authorize as Authorize;
}
