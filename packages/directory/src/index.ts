export {
  DOCUMENT_CHANGED_CHANNEL,
  type DocumentChangedNotice,
  documentChangedChannel,
  parseDocumentChanged,
  publishDocumentChanged,
  type RedisSubscriber,
  subscribeTenantBus,
  type TenantBusHandlers,
  type TenantBusSubscription,
} from './tenant-bus.js';
export {
  publishTenantChanged,
  publishTenantChangedToRegions,
  type RedisPublisher,
  TENANT_CHANGED_CHANNEL,
  tenantChangedChannel,
} from './tenant-changed.js';
