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
  /** A tenant with a pending deletion (uninstalled), for the purge action; absent on a stack without one. */
  pendingDeletion?: { clientKey: string };
  /** Progress moves in visible steps between polls (the fake), so an ETA must show up. */
  paced: boolean;
  close(): Promise<void>;
}

/**
 * The console as the router serves it (`opsConsolePlugin` at `/ops/console`) in front of the fake
 * ops API (`/ops/v1`) — or, with `CONSOLE_TARGET_URL` set, a running stack (e.g. `npm start --
 * --demo`): the router's base URL, `OPERATOR_TOKEN_SECRET` of that stack (tokens are minted with
 * the same claims as `mintOperatorToken` of `@rt/ops`: HS256, `roles: [role]`, issuer
 * `rt-ops-local`, audience `rt-ops`), `CONSOLE_DEMO_CLIENT_KEY` (default `refined-toolkit-demo`),
 * `CONSOLE_DEMO_TARGET_REGION` (default `US`) and optionally `CONSOLE_PENDING_DELETION` (a client
 * key with a pending deletion).
 */
export async function startConsoleTarget(env: NodeJS.ProcessEnv = process.env): Promise<ConsoleTarget> {
  if (env.CONSOLE_TARGET_URL) {
    const secret = env.OPERATOR_TOKEN_SECRET;
    if (!secret) throw new Error('CONSOLE_TARGET_URL needs OPERATOR_TOKEN_SECRET of the same stack');
    return {
      consoleUrl: new URL('/ops/console/', env.CONSOLE_TARGET_URL).toString(),
      mintToken: async (role, subject = `${role}@ops.test`) => mintFakeOperatorToken(secret, subject, role),
      demo: {
        clientKey: env.CONSOLE_DEMO_CLIENT_KEY ?? 'refined-toolkit-demo',
        targetRegion: env.CONSOLE_DEMO_TARGET_REGION ?? 'US',
      },
      ...(env.CONSOLE_PENDING_DELETION
        ? { pendingDeletion: { clientKey: env.CONSOLE_PENDING_DELETION } }
        : {}),
      paced: false,
      close: async () => {},
    };
  }
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
    paced: true,
    close: () => app.close(),
  };
}
