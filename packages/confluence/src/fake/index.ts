export {
  FAKE_CONFLUENCE_MARKER,
  FakeConfluence,
  type FakeConfluenceMode,
  type FakeConfluenceOptions,
  type FakeConfluenceUser,
  startFakeConfluence,
} from './fake-confluence.js';
