import { FakeConfluence, type FakeConfluenceUser } from './fake-confluence.js';

/** Users of the demo site: one of each role, so every permission path can be tried by hand. */
export const DEMO_CONFLUENCE_USERS: readonly FakeConfluenceUser[] = [
  { accountId: 'demo-admin', siteAdmin: true },
  { accountId: 'demo-space-admin', spaceAdminOf: ['DEMO'] },
  { accountId: 'demo-user' },
];

/** Options of {@link startDemoConfluence}. */
export interface DemoConfluenceOptions {
  /** The app key the routers sign with (the Connect descriptor's `key`). */
  appKey: string;
  /** The demo tenant's shared secret. */
  sharedSecret: string;
  /** Fixed port (default: any free one). */
  port?: number;
  users?: readonly FakeConfluenceUser[];
}

/**
 * The local stack's stand-in for the demo tenant's Confluence (`npm start -- --demo`): listens on
 * 127.0.0.1, answers the permission calls for {@link DEMO_CONFLUENCE_USERS} (space `DEMO` exists).
 * The routers must run with `CONFLUENCE_ALLOWED_HOSTS=127.0.0.1` to be allowed to call it.
 */
export function startDemoConfluence(options: DemoConfluenceOptions): Promise<FakeConfluence> {
  return new FakeConfluence({
    appKey: options.appKey,
    sharedSecret: options.sharedSecret,
    port: options.port,
    users: [...(options.users ?? DEMO_CONFLUENCE_USERS)],
    spaces: { DEMO: {} },
  }).start();
}
