import * as atlassianJwt from 'atlassian-jwt';

/** The literal qsh of context tokens (Connect API migration `context-qsh`). */
export const CONTEXT_QSH = 'context-qsh';

/**
 * Query string hash of a request as Atlassian computes it: SHA-256 of
 * `METHOD&canonical-path&canonical-query` (the `jwt` parameter excluded). `url` is the path and
 * query as received (relative to the app's base URL, which has no path here).
 * https://developer.atlassian.com/cloud/confluence/understanding-jwt/#qsh
 */
export function computeQsh(method: string, url: string): string {
  return atlassianJwt.createQueryStringHash(atlassianJwt.fromMethodAndUrl(method, url));
}
