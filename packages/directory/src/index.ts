export {
  publishTenantChanged,
  type RedisPublisher,
  TENANT_CHANGED_CHANNEL,
  tenantChangedChannel,
} from './tenant-changed.js';
