import type { AddressInfo } from 'node:net';
import { createLogger, createServiceApp } from '@rt/http';
import { fakeOpsApi, mintFakeOperatorToken, opsConsolePlugin } from '../../src/index.js';

/** Operator roles the browser test signs in with. */
export type ConsoleRole = 'viewer' | 'migrator' | 'admin';

/**
 * Something serving the console at `consoleUrl` and the ops API it calls, with a way to mint
 * operator tokens and a tenant that can be migrated. The browser test only talks to this.
 */
export interface ConsoleTarget {
  consoleUrl: string;
  mintToken(role: ConsoleRole, subject?: string): Promise<string>;
  /** An active tenant and a region it does not live in. */
  demo: { clientKey: string; targetRegion: string };
  /** A tenant with a pending deletion (uninstalled), for the purge action. */
  pendingDeletion: { clientKey: string };
  close(): Promise<void>;
}

/**
 * The console as the router serves it (`opsConsolePlugin` at `/ops/console`) in front of the fake
 * ops API (`/ops/v1`). To run the same test against the real stack, return a target built from the
 * router's `buildApp` (which registers `opsPlugin` and `opsConsolePlugin`) listening on a port, a
 * demo tenant seeded in the directory, and `mintToken` = `mintOperatorToken(OPERATOR_TOKEN_SECRET,
 * { subject, role })` from `@rt/ops`.
 */
export async function startConsoleTarget(): Promise<ConsoleTarget> {
  const secret = 'console-browser-test-secret-0123456789';
  const app = createServiceApp({
    name: 'ops-console-test',
    logger: createLogger('ops-console-test', 'silent'),
  });
  await app.register(opsConsolePlugin, { prefix: '/ops/console' });
  await app.register(fakeOpsApi, { prefix: '/ops/v1', secret });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    consoleUrl: `http://127.0.0.1:${port}/ops/console/`,
    mintToken: async (role, subject = `${role}@ops.test`) => mintFakeOperatorToken(secret, subject, role),
    demo: { clientKey: 'demo-eu', targetRegion: 'US' },
    pendingDeletion: { clientKey: 'gone-eu' },
    close: () => app.close(),
  };
}
