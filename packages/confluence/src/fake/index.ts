export { DEMO_CONFLUENCE_USERS, type DemoConfluenceOptions, startDemoConfluence } from './demo.js';
export {
  FAKE_CONFLUENCE_MARKER,
  FakeConfluence,
  type FakeConfluenceMode,
  type FakeConfluenceOptions,
  type FakeConfluenceUser,
  startFakeConfluence,
} from './fake-confluence.js';
