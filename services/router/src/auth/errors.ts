import { Forbidden, ServiceUnavailable, Unauthorized } from '@rt/http';

/**
 * Stable codes of the router's authentication failures. 401: the credentials do not prove who the
 * caller is; 403: they do, but the tenant may not use the app (disabled or uninstalled).
 */
export const AuthErrors = {
  missing: () =>
    new Unauthorized('TOKEN_MISSING', 'Authorization: JWT <token> (or Bearer for Forge) is required'),
  invalid: (why: string) => new Unauthorized('TOKEN_INVALID', `token is invalid: ${why}`),
  expired: () => new Unauthorized('TOKEN_EXPIRED', 'token has expired'),
  notYetValid: () =>
    new Unauthorized('TOKEN_NOT_YET_VALID', 'token is not valid yet (nbf/iat in the future)'),
  qsh: () => new Unauthorized('QSH_MISMATCH', 'qsh claim does not match this request'),
  audience: () => new Unauthorized('AUDIENCE_MISMATCH', 'aud claim does not name this app'),
  issuer: () => new Unauthorized('ISSUER_MISMATCH', 'iss claim does not match the clientKey'),
  unknownKey: () => new Unauthorized('INSTALL_KEY_UNKNOWN', 'kid does not name an Atlassian install key'),
  environment: () =>
    new Unauthorized('FORGE_ENVIRONMENT_MISMATCH', 'the token is for another Forge app environment'),
  unknownTenant: () => new Unauthorized('TENANT_UNKNOWN', 'no installation for this token'),
  disabled: () => new Forbidden('TENANT_DISABLED', 'the app is disabled on this site'),
  uninstalled: () => new Forbidden('TENANT_UNINSTALLED', 'the app is not installed on this site'),
  keysUnavailable: () =>
    new ServiceUnavailable('INSTALL_KEYS_UNAVAILABLE', 'Atlassian install keys could not be fetched', 5),
} as const;
