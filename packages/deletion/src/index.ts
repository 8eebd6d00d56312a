export { type DeletionCliClient, type DeletionCliOutput, deletionCommands } from './cli.js';
export {
  type DeletionContext,
  type DeletionOutcome,
  type DeletionReceipt,
  type DeletionRegion,
  deleteTenantObjects,
  type RegionReceipt,
  receiptOf,
  runDeletion,
  TENANT_CHANGED_CHANNEL,
} from './execute.js';
export {
  DELETION_STATES,
  type DeletionStateName,
  type DeletionView,
  getDeletion,
  type ListDeletionsQuery,
  listDeletions,
  purgeTenant,
  toDeletionView,
} from './ops.js';
export {
  type DeletionAuditEntry,
  type DeletionRoutesDeps,
  DeletionSchema,
  registerDeletionRoutes,
} from './routes.js';
export {
  type Clock,
  cancelDeletion,
  DELETION_GRACE_DAYS,
  type DeletionProducer,
  type DeletionReason,
  type DeletionRecord,
  deletionDueAt,
  type EnqueueResult,
  enqueueDeletion,
  purgeNow,
  type ScheduleDeletionInput,
  scheduleDeletion,
  sweepDueDeletions,
  TenantNotFound,
} from './schedule.js';
