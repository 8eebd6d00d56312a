export {
  type AllowedHostsOptions,
  ATLASSIAN_API_GATEWAYS,
  ATLASSIAN_HOST_SUFFIXES,
  assertAllowedBaseUrl,
  parseAllowedHosts,
} from './allowed-hosts.js';
export {
  type AuthorizeWriteOptions,
  authorizeWrite,
  type PermissionOracle,
} from './authorize-write.js';
export {
  type ConfluenceConfig,
  ConfluenceEnvSchema,
  confluenceTenantOf,
  createPermissionChecker,
  PermissionServiceEnvSchema,
  parseConfluenceConfig,
  parsePermissionServiceConfig,
  type TenantAccess,
} from './config.js';
export {
  ConfluenceClient,
  type ConfluenceClientOptions,
  type ConfluenceCredentials,
  ConfluenceStatus,
  type ConfluenceTenant,
} from './confluence-client.js';
export { BaseUrlNotAllowed, NotPermitted, PermissionCheckUnavailable } from './errors.js';
export {
  authorizeThroughRouter,
  type ConfluenceAuthorizeOptions,
  checkerOracle,
  createConfluenceAuthorize,
  FORGE_TOKEN_HEADER,
  PERMISSION_CHECK_PATH,
  type PermissionCheckRoutesOptions,
  PermissionQuestion,
  permissionCheckRoutes,
  type RouterOracleOptions,
  routerPermissionOracle,
} from './internal-permissions.js';
export {
  MAX_PERMISSION_CACHE_MS,
  PermissionChecker,
  type PermissionCheckerOptions,
} from './permission-checker.js';
