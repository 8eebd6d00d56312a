import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as atlassianJwt from 'atlassian-jwt';

/** A user of the fake site. */
export interface FakeConfluenceUser {
  accountId: string;
  /** Holds "Confluence Administrator" (`administer` / `application`). */
  siteAdmin?: boolean;
  /** Spaces where the user holds Admin directly. */
  spaceAdminOf?: string[];
  /** Group names the user is a member of. */
  groups?: string[];
}

/** Options of {@link FakeConfluence}. */
export interface FakeConfluenceOptions {
  /** The Connect app key expected as `iss` of incoming JWTs. */
  appKey: string;
  /** The tenant's shared secret incoming JWTs must be signed with. */
  sharedSecret: string;
  /** Bearer token accepted as Forge's system token (optional). */
  forgeToken?: string;
  users?: FakeConfluenceUser[];
  /** Spaces that exist, with the groups holding Admin in each. Spaces of `spaceAdminOf` exist too. */
  spaces?: Record<string, { adminGroups?: string[] }>;
  host?: string;
  port?: number;
}

/** How the fake misbehaves, for failure tests. */
export type FakeConfluenceMode =
  | { kind: 'ok' }
  | { kind: 'fail'; status?: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'redirect'; location: string }
  | { kind: 'huge'; bytes: number }
  | { kind: 'garbage' };

/**
 * Text present in every answer the fake gives (as a display name / error message), so tests can
 * prove no Confluence response reaches a log line, a database or Redis.
 */
export const FAKE_CONFLUENCE_MARKER = 'FAKE-CONFLUENCE-ANSWER-7f3a';

/**
 * A local stand-in for a Confluence Cloud site answering exactly the REST calls the app makes
 * (`/wiki/rest/api/user?expand=operations`, `/wiki/rest/api/space/{key}?expand=permissions`,
 * `/wiki/rest/api/user/memberof`). It verifies each request as Confluence does: Connect JWT
 * (HS256 with the shared secret, `iss` = app key, not expired, `qsh` of this very request,
 * computed without the `/wiki` context path) or the Forge bearer token; anything else is 401.
 * Imports nothing from vitest: `npm start --demo` runs it too.
 */
export class FakeConfluence {
  private server?: Server;
  private readonly users = new Map<string, FakeConfluenceUser>();
  private readonly spaces = new Map<string, { adminGroups: string[] }>();
  /** Base URL of the site, as an install payload would carry it (`…/wiki`). */
  baseUrl = '';
  mode: FakeConfluenceMode = { kind: 'ok' };
  /** Requests answered, by kind; `rejected` counts failed authentication. */
  readonly calls = { total: 0, user: 0, space: 0, memberof: 0, rejected: 0 };

  constructor(private readonly options: FakeConfluenceOptions) {
    for (const user of options.users ?? []) this.addUser(user);
    for (const [key, space] of Object.entries(options.spaces ?? {})) {
      this.spaces.set(key, { adminGroups: space.adminGroups ?? [] });
    }
  }

  addUser(user: FakeConfluenceUser): void {
    this.users.set(user.accountId, user);
    for (const key of user.spaceAdminOf ?? [])
      if (!this.spaces.has(key)) this.spaces.set(key, { adminGroups: [] });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${port}/wiki`;
    return this;
  }

  /** Forge's gateway URL of this site (`app.apiBaseUrl`); `/wiki` is appended by the client. */
  get forgeApiBaseUrl(): string {
    return `${this.baseUrl.replace(/\/wiki$/, '')}/ex/confluence/fake-cloud-id`;
  }

  resetCalls(): void {
    for (const key of Object.keys(this.calls) as (keyof typeof this.calls)[]) this.calls[key] = 0;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.calls.total++;
    const raw = req.url ?? '/';
    const at = raw.indexOf('/wiki/');
    if (at < 0) return this.json(res, 404, { message: 'not found' });
    // The product path as qsh sees it: relative to the base URL, so without `/wiki`.
    const relative = raw.slice(at + '/wiki'.length);
    if (!this.authenticated(req, relative)) {
      this.calls.rejected++;
      return this.json(res, 401, { message: `unauthorized ${FAKE_CONFLUENCE_MARKER}` });
    }
    const mode = this.mode;
    if (mode.kind === 'slow') await new Promise((r) => setTimeout(r, mode.delayMs));
    if (mode.kind === 'fail') return this.json(res, mode.status ?? 500, { message: FAKE_CONFLUENCE_MARKER });
    if (mode.kind === 'redirect') {
      res.writeHead(302, { location: mode.location }).end();
      return;
    }
    if (mode.kind === 'huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"pad":"${'x'.repeat(mode.bytes)}"}`);
      return;
    }
    if (mode.kind === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(`<html>${FAKE_CONFLUENCE_MARKER}`);
      return;
    }
    const url = new URL(relative, 'http://fake');
    const accountId = url.searchParams.get('accountId') ?? '';
    if (url.pathname === '/rest/api/user') {
      this.calls.user++;
      const user = this.users.get(accountId);
      if (!user) return this.json(res, 404, { message: `no user ${FAKE_CONFLUENCE_MARKER}` });
      const operations = [
        { operation: 'use', targetType: 'application' },
        ...(user.siteAdmin ? [{ operation: 'administer', targetType: 'application' }] : []),
      ];
      return this.json(res, 200, {
        type: 'known',
        accountId,
        displayName: `Fake User ${FAKE_CONFLUENCE_MARKER}`,
        email: 'someone@example.com',
        ...(url.searchParams.get('expand')?.split(',').includes('operations') ? { operations } : {}),
      });
    }
    if (url.pathname === '/rest/api/user/memberof') {
      this.calls.memberof++;
      const user = this.users.get(accountId);
      if (!user) return this.json(res, 404, { message: 'no user' });
      const start = Number(url.searchParams.get('start') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 200);
      const groups = (user.groups ?? []).slice(start, start + limit);
      return this.json(res, 200, {
        results: groups.map((name) => ({ type: 'group', name, id: `gid-${name}` })),
        start,
        limit,
        size: groups.length,
      });
    }
    const space = /^\/rest\/api\/space\/([^/]+)$/.exec(url.pathname);
    if (space?.[1]) {
      this.calls.space++;
      const key = decodeURIComponent(space[1]);
      const found = this.spaces.get(key);
      if (!found) return this.json(res, 404, { message: 'no space' });
      const admins = [...this.users.values()].filter((u) => u.spaceAdminOf?.includes(key));
      return this.json(res, 200, {
        key,
        name: `Space ${FAKE_CONFLUENCE_MARKER}`,
        permissions: [
          {
            operation: { operation: 'read', targetType: 'space' },
            subjects: { group: { results: [{ type: 'group', name: 'confluence-users' }], size: 1 } },
          },
          {
            operation: { operation: 'administer', targetType: 'space' },
            subjects: {
              user: {
                results: admins.map((u) => ({ type: 'known', accountId: u.accountId, displayName: 'x' })),
                size: admins.length,
              },
              group: {
                results: found.adminGroups.map((name) => ({ type: 'group', name, id: `gid-${name}` })),
                size: found.adminGroups.length,
              },
            },
          },
        ],
      });
    }
    return this.json(res, 404, { message: 'not found' });
  }

  private authenticated(req: IncomingMessage, relative: string): boolean {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/.exec(header)?.[1];
    if (bearer) return this.options.forgeToken !== undefined && bearer === this.options.forgeToken;
    const token = /^JWT\s+(\S+)$/.exec(header)?.[1];
    if (!token) return false;
    try {
      const claims = atlassianJwt.decodeSymmetric(
        token,
        this.options.sharedSecret,
        atlassianJwt.SymmetricAlgorithm.HS256,
      ) as { iss?: string; exp?: number; qsh?: string };
      const expected = atlassianJwt.createQueryStringHash(
        atlassianJwt.fromMethodAndUrl(req.method ?? 'GET', relative),
      );
      return (
        claims.iss === this.options.appKey &&
        typeof claims.exp === 'number' &&
        claims.exp > Date.now() / 1000 &&
        claims.qsh === expected
      );
    } catch {
      return false;
    }
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

/**
 * Starts a fake Confluence (for `npm start --demo` and tests); close it with `.close()`.
 */
export function startFakeConfluence(options: FakeConfluenceOptions): Promise<FakeConfluence> {
  return new FakeConfluence(options).start();
}
