import type { FastifyRequest } from 'fastify';

/** A change that needs permission (reads never ask). */
export type DocumentAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'restore'
  | 'set-default-theme'
  | 'assign-space-theme'
  | 'unassign-space-theme';

/** What a write is about to do, for the permission check. */
export interface AuthorizationRequest {
  action: DocumentAction;
  resource: 'layout' | 'theme' | 'space-theme';
  /** `site` or `space:<KEY>`: site-wide changes need a Confluence admin, space ones a space admin. */
  scope: string;
}

/**
 * The permission check run before every write. It resolves to allow and throws an `AppError`
 * (403 `NOT_PERMITTED`, 503 when Confluence cannot answer) to refuse. The services take it as a
 * dependency of `buildApp`; the Confluence-backed implementation (issue 10) plugs in here.
 */
export type Authorize = (request: FastifyRequest, what: AuthorizationRequest) => Promise<void>;

/** Allows everything: the default until permissions are checked against Confluence. */
export const allowAll: Authorize = async () => undefined;
