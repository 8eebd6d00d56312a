export {
  FAKE_CONFLUENCE_MARKER,
  FakeConfluence,
  type FakeConfluenceMode,
  type FakeConfluenceOptions,
  type FakeConfluenceUser,
  startFakeConfluence,
} from '@rt/confluence/fake';
export { FakeInstallKeys, mintConnectToken, queryStringHash } from './atlassian.js';
export { launchChromium } from './chromium.js';
export { adminDatabaseUrl, createTestDatabase, type TestDatabase } from './database.js';
export {
  FAKE_FORGE_APP_ID,
  FAKE_FORGE_ENVIRONMENT,
  FakeForge,
  type FakeForgeInstallation,
  type FakeForgeOptions,
  FORGE_LIFECYCLE_EVENTS,
  type ForgeRequest,
} from './forge-fake.js';
export { noisePng, PNG_SIGNATURE, pngChunk, uniquePng } from './png.js';
export { redisTestPrefix, testRedisUrl } from './redis.js';
export { type LocalS3, startLocalS3 } from './s3.js';
export { assertServiceContract, internalToken } from './service-contract.js';
