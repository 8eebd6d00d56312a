export { type OperatorApiOptions, operatorApiPlugin } from './operator-api.js';
export {
  hasRole,
  LOCAL_OPERATOR_AUDIENCE,
  LOCAL_OPERATOR_ISSUER,
  loadOperatorAuthConfig,
  mintOperatorToken,
  OPERATOR_ROLES,
  type Operator,
  type OperatorAuthConfig,
  type OperatorRole,
  OperatorVerifier,
} from './operator-auth.js';
export {
  type OpsContext,
  type OpsPluginOptions,
  operatorGuard,
  opsPlugin,
  type TenantSizer,
} from './plugin.js';
export { type OpsQueuesOptions, opsQueuesPlugin } from './queues-plugin.js';
export { AuditEntryView, type OpsAuditRoutesOptions, opsAuditRoutes } from './routes/audit.js';
export {
  MigrationDetail,
  MigrationEventView,
  MigrationView,
  Nullable,
  TenantSize,
  TenantView,
} from './schemas.js';
