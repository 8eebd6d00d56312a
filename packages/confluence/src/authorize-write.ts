import type { WriteRequest } from '@rt/auth';
import { NotPermitted } from './errors.js';

/** What Confluence is asked about the calling user (bound to one tenant and one user). */
export interface PermissionOracle {
  isConfluenceAdmin(): Promise<boolean>;
  isSpaceAdmin(spaceKey: string): Promise<boolean>;
}

/** Options of {@link authorizeWrite}. */
export interface AuthorizeWriteOptions {
  /** The tenant's `allowSpaceThemes` setting (read only when a space-local theme is written). */
  allowSpaceThemes: () => Promise<boolean>;
}

const SPACE_SCOPE = /^space:(~?[A-Za-z0-9][A-Za-z0-9_~-]{0,254})$/;

/** Actions that bring a space-local theme into being or change one. */
const SPACE_THEME_AUTHORING = new Set(['create', 'update', 'restore', 'import', 'copy']);

/**
 * The permission rules of every write (issue 10). Resolves to allow; throws
 * {@link NotPermitted} (403) to refuse, and lets `PermissionCheckUnavailable` (503) through when
 * Confluence cannot answer — never an allow by accident.
 *
 * - no user (`accountId` absent, e.g. a Forge call without a principal) → refused;
 * - site settings, the default theme and anything of scope `site` → Confluence administrator;
 * - scope `space:<KEY>` → Confluence administrator, or administrator of that space; a space
 *   administrator may author space-local *themes* (create/update/restore/import/copy) only when
 *   the tenant's `allowSpaceThemes` setting is on (deleting one stays allowed, so a space can
 *   clean up after the setting was switched off);
 * - an unknown scope → refused.
 */
export async function authorizeWrite(
  oracle: PermissionOracle,
  accountId: string | undefined,
  write: WriteRequest,
  options: AuthorizeWriteOptions,
): Promise<void> {
  if (!accountId) throw new NotPermitted('changes need a signed-in Confluence user');
  const siteWide =
    write.scope === 'site' || write.resource === 'settings' || write.action === 'set-default-theme';
  if (siteWide) {
    if (await oracle.isConfluenceAdmin()) return;
    throw new NotPermitted(
      'only Confluence administrators may change site-wide layouts, themes and settings',
    );
  }
  const space = SPACE_SCOPE.exec(write.scope)?.[1];
  if (!space) throw new NotPermitted(`unknown scope ${JSON.stringify(write.scope.slice(0, 64))}`);
  if (await oracle.isConfluenceAdmin()) return;
  if (!(await oracle.isSpaceAdmin(space))) {
    throw new NotPermitted(`only administrators of space ${space} may change its layouts and themes`);
  }
  if (
    write.resource === 'theme' &&
    SPACE_THEME_AUTHORING.has(write.action) &&
    !(await options.allowSpaceThemes())
  ) {
    throw new NotPermitted('space-local themes are switched off for this site (setting allowSpaceThemes)');
  }
}
