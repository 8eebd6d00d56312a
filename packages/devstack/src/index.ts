export { SERVICE_MALLOC_CONF, SERVICE_NODE_FLAGS } from './allocator.js';
export { demoContextToken, seedDemoTenant } from './demo.js';
export { checkPostgres, checkRedis, PrerequisiteMissing } from './preflight.js';
export { type RunningStack, startStack } from './stack.js';
export { loadStackConfig, SERVICES, type StackConfig, serviceEnv } from './stack-config.js';
