import { connect } from 'node:net';
import { createInternalTokenSigner } from '@rt/auth';
import { mintConnectToken } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_SECRET } from '../harness.js';
import { type RegionId, type Stack, startStack, type Tenant, USERS } from './stack.js';

/**
 * The public entry against the tricks that once moved a tenant out of the EU with a read-only
 * user's context token: path spellings that parsers read differently, forged credentials and
 * smuggled headers — through both routers of a real two-region stack (real routers, document
 * services and residency-migration services, one directory). Every answer is a 4xx, nothing
 * reaches a hook, an internal route or the metrics, and no state changes.
 *
 * Requests go over raw sockets: fetch and undici normalise paths and would never send them.
 */

interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Splits a complete response off `data`, or undefined while it is incomplete. */
function parseResponse(data: Buffer): RawResponse | undefined {
  const split = data.indexOf('\r\n\r\n');
  if (split === -1) return undefined;
  const head = data.subarray(0, split).toString('latin1');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const rest = data.subarray(split + 4);
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
  if (length !== undefined) {
    if (rest.length < Number(length)) return undefined;
    return { status, head, body: rest.subarray(0, Number(length)).toString('utf8') };
  }
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    if (!rest.includes('0\r\n\r\n')) return undefined;
    return { status, head, body: rest.toString('utf8') };
  }
  return undefined;
}

/**
 * Sends bytes as they are and reads one answer. A server may answer and close before the whole
 * request was written (a 413): the answer counts, the write error does not.
 */
function rawRequest(baseUrl: string, request: string | Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (res: RawResponse) => {
      done = true;
      socket.destroy();
      resolve(res);
    };
    socket.on('data', (c) => {
      data = Buffer.concat([data, c]);
      const res = parseResponse(data);
      if (res && !done) finish(res);
    });
    socket.on('error', (err) => {
      if (!done && !data.length) reject(err);
    });
    socket.on('close', () => {
      if (done) return;
      const text = data.toString('latin1');
      // A response without a length (e.g. Node's own 400 for a request it cannot parse).
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const split = text.indexOf('\r\n\r\n');
      done = true;
      resolve({
        status,
        head: split === -1 ? text : text.slice(0, split),
        body: split === -1 ? '' : text.slice(split + 4),
      });
    });
    socket.write(request, () => undefined);
  });
}

/** One HTTP/1.1 request with `Connection: close`; `headers` may repeat names. */
function http1(
  method: string,
  target: string,
  host: string,
  headers: Array<[string, string]>,
  body = '',
): string {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  if (body && !headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n))) {
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const HOOK_BODY = JSON.stringify({
  migrationId: 'evil-1',
  location: 'US',
  startTime: new Date().toISOString(),
  endTime: new Date(Date.now() + 3600_000).toISOString(),
});

/** Where an attacker wants to land. */
const TARGETS = [
  '/dare-migration/schedule',
  '/metrics',
  '/readyz',
  '/internal/v1/permissions/check',
  '/ops/v1/tenants',
  '/lifecycle/uninstalled',
];

/** One public route of each kind to start from. */
const BASES = {
  api: '/api/v1/layouts',
  'atlassian-callback': '/dare-migration/status',
  lifecycle: '/lifecycle/installed',
  ops: '/ops/v1/tenants',
  internal: '/internal/v1/permissions/check',
} as const;

/** Path spellings that walk from `base` to `target` for one parser or another. */
function tricks(base: string, target: string, port: string): string[] {
  const depth = base.split('/').length; // segments to climb, plus one for the `x` below
  const t = target.slice(1);
  const up = (step: string) => step.repeat(depth);
  return [
    `${base}/x${up('\\..')}\\${t.replaceAll('/', '\\')}`,
    `${base}/x${up('\\..')}/${t}`,
    `${base}/x${up('/..%5c')}${t}`,
    `${base}/x${up('/..%5C')}${t}`,
    `${base}/x${up('/..')}/${t}`,
    `${base}/x${up('/.')}${up('/..')}/${t}`,
    `${base}/x${up('/%2e%2e')}/${t}`,
    `${base}/x${up('/%2E%2e')}/${t}`,
    `${base}/x${up('/.%2e')}/${t}`,
    `${base}/x${up('%2f..')}%2f${t.replaceAll('/', '%2F')}`,
    `${base}/x${up('/..%2f')}${t}`,
    `${base}/x${up('/%252e%252e')}/${t}`,
    `${base}/x${up('%252f..')}%252f${t}`,
    `${base}/x${up('/%c0%ae%c0%ae')}/${t}`,
    `${base}/x${up('%c0%af..')}%c0%af${t}`,
    `${base}/x${up('/%e0%80%ae%e0%80%ae')}/${t}`,
    `${base};/x${up('/..')}/${t}`,
    `${base}/x${up('/..;')}/${t}`,
    `${base}/x%3b${up('/..')}/${t}`,
    `${base}//x${up('//..')}//${t}`,
    `${base}/x%00${up('/..')}/${t}`,
    `${base}/x/.%2e/%2e.${up('\\..')}/${t}`,
    `${base}/x%2f%2e%2e%5c%2e%2e${up('/..')}/${t}`,
    `/${t.replace(/^(.)/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`,
    `/${t}/`.replace(/\/$/, '/.'),
    `http://127.0.0.1:${port}/${t}`,
    `http://evil.example${base}`,
  ];
}

let stack: Stack;
let tenant: Tenant;
const routers = () => ['EU', 'US'].map((id) => stack.regions[id as RegionId].routerUrl);

beforeAll(async () => {
  stack = await startStack('edgecorpus', { realMigration: true, operations: true });
  tenant = await stack.tenant('edge-corpus-eu', 'EU');
});
afterAll(async () => {
  await stack?.close();
});

/** Everything an attack could have changed: none of it may move. */
async function assertNothingChanged() {
  expect(await stack.directory.migration.count()).toBe(0);
  expect(await stack.directory.operatorAudit.count()).toBe(0);
  const row = await stack.directory.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
  expect(row.homeRegion).toBe('EU');
  expect(row.frozenByMigration).toBeNull();
  for (const id of ['EU', 'US'] as const) {
    expect(await stack.regions[id].db.layout.count()).toBe(0);
    expect(await stack.regions[id].db.asset.count()).toBe(0);
  }
}

describe('the public entry admits nothing it should not', () => {
  it('serves the honest requests (so every refusal below is meaningful)', async () => {
    for (const url of routers()) {
      const host = new URL(url).host;
      const res = await rawRequest(
        url,
        http1('GET', '/api/v1/layouts', host, [['Authorization', `JWT ${tenant.token(USERS.plain)}`]]),
      );
      expect(res.status, res.head + res.body.slice(0, 300)).toBe(200);
    }
  });

  it('refuses every ambiguous path spelling with a 4xx, for every route kind, through both routers', async () => {
    const answers = new Map<string, number>();
    for (const url of routers()) {
      const { host, port } = new URL(url);
      for (const base of Object.values(BASES)) {
        for (const target of TARGETS) {
          for (const path of tricks(base, target, port)) {
            const res = await rawRequest(
              url,
              http1(
                'POST',
                path,
                host,
                [
                  ['Authorization', `JWT ${tenant.token(USERS.plain)}`],
                  ['Content-Type', 'application/json'],
                ],
                HOOK_BODY,
              ),
            );
            // Refused for its spelling at the edge (or by Node's parser), never by luck further in.
            if (res.status !== 400)
              throw new Error(`${url} ${path} → ${res.status} ${res.body.slice(0, 200)}`);
            const code = /"code":"([A-Z_]+)"/.exec(res.body)?.[1] ?? 'node-parser';
            answers.set(code, (answers.get(code) ?? 0) + 1);
            expect(res.body).not.toContain('http_request_duration_seconds');
          }
        }
      }
    }
    expect([...answers.keys()].filter((code) => code !== 'node-parser')).toEqual(['PATH_NOT_CANONICAL']);
    await assertNothingChanged();
  });

  it('answers PATH_NOT_CANONICAL for the spellings of the original attack', async () => {
    const attack = '/api/v1/layouts/x\\..\\..\\..\\..\\dare-migration/schedule';
    for (const url of routers()) {
      const host = new URL(url).host;
      for (const path of [attack, '/%61pi/v1/layouts', '/api/v1/layouts/%2e%2e/x', '/api/v1//layouts']) {
        const res = await rawRequest(
          url,
          http1(
            'POST',
            path,
            host,
            [
              ['Authorization', `JWT ${tenant.token(USERS.plain)}`],
              ['Content-Type', 'application/json'],
            ],
            HOOK_BODY,
          ),
        );
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body)).toMatchObject({ code: 'PATH_NOT_CANONICAL' });
      }
    }
    await assertNothingChanged();
  });

  it('refuses credentials minted for another purpose or kind, and smuggled headers', async () => {
    const claims = { tid: tenant.id, reg: 'EU', rid: 'stolen', kind: 'api' } as const;
    // What an insider might have captured: a router → service token, or a hop of a front-end request.
    const serviceToken = createInternalTokenSigner(INTERNAL_SECRET, 'service')(claims);
    const apiHop = createInternalTokenSigner(INTERNAL_SECRET, 'forwarding')(claims);
    const callbackService = createInternalTokenSigner(
      INTERNAL_SECRET,
      'service',
    )({
      ...claims,
      kind: 'atlassian-callback',
    });
    const contextToken = tenant.token(USERS.plain);
    for (const url of routers()) {
      const host = new URL(url).host;
      const cases: Array<[string, string, Array<[string, string]>, string?]> = [
        // A context token is no Atlassian callback (the computed qsh is required).
        ['POST', '/dare-migration/schedule', [['Authorization', `JWT ${contextToken}`]]],
        // Tokens of the wrong purpose or kind as forwarding credentials.
        ['POST', '/dare-migration/schedule', [['X-RT-Forwarded', serviceToken]]],
        ['POST', '/dare-migration/schedule', [['X-RT-Forwarded', apiHop]]],
        ['POST', '/dare-migration/schedule', [['X-RT-Forwarded', callbackService]]],
        ['GET', '/ops/v1/tenants', [['X-RT-Forwarded', apiHop]]],
        ['POST', '/internal/v1/permissions/check', [['X-RT-Forwarded', apiHop]]],
        // Service tokens are not credentials of the public entry.
        ['POST', '/dare-migration/schedule', [['Authorization', `Bearer ${callbackService}`]]],
        ['GET', '/ops/v1/tenants', [['Authorization', `Bearer ${serviceToken}`]]],
        ['GET', '/ops/v1/audit', []],
        // Two Authorization headers: Node keeps the first, a proxy might keep the last.
        [
          'POST',
          '/dare-migration/schedule',
          [
            ['Authorization', 'JWT garbage'],
            ['Authorization', `JWT ${contextToken}`],
          ],
        ],
        [
          'GET',
          '/api/v1/layouts',
          [
            ['Authorization', `JWT ${contextToken}`],
            ['authorization', `JWT ${contextToken}`],
          ],
        ],
        // Request smuggling: both framings, or two lengths.
        [
          'POST',
          '/dare-migration/schedule',
          [
            ['Authorization', `JWT ${contextToken}`],
            ['Content-Length', String(HOOK_BODY.length)],
            ['Transfer-Encoding', 'chunked'],
          ],
        ],
        [
          'POST',
          '/api/v1/layouts',
          [
            ['Authorization', `JWT ${contextToken}`],
            ['Content-Length', String(HOOK_BODY.length)],
            ['Content-Length', '0'],
          ],
        ],
        // The router's own headers from a client.
        [
          'POST',
          '/dare-migration/schedule',
          [
            ['Authorization', `JWT ${contextToken}`],
            ['X-RT-Client-IP', '10.0.0.1'],
            ['X-RT-Forge-Token', 'stolen'],
            ['X-Forge-OAuth-System', 'stolen'],
          ],
        ],
      ];
      for (const [method, path, headers] of cases) {
        const res = await rawRequest(
          url,
          http1(method, path, host, [['Content-Type', 'application/json'], ...headers], HOOK_BODY),
        );
        if (res.status < 400 || res.status >= 500) {
          throw new Error(
            `${url} ${method} ${path} ${JSON.stringify(headers).slice(0, 120)} → ${res.status}`,
          );
        }
      }
      // The duplicate Authorization is ambiguous before it is wrong.
      const twice = await rawRequest(
        url,
        http1('GET', '/api/v1/layouts', host, [
          ['Authorization', `JWT ${contextToken}`],
          ['Authorization', `JWT ${contextToken}`],
        ]),
      );
      expect(twice.status).toBe(400);
      expect(JSON.parse(twice.body)).toMatchObject({ code: 'HEADER_AMBIGUOUS' });
    }
    await assertNothingChanged();
  });

  it('never serves /metrics on a router port', async () => {
    for (const url of routers()) {
      const res = await rawRequest(url, http1('GET', '/metrics', new URL(url).host, []));
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('http_request_duration_seconds');
    }
  });

  it('refuses oversize uploads with 413 at the router, with Content-Length and chunked', async () => {
    const size = 11 * 1024 * 1024;
    for (const url of routers()) {
      const host = new URL(url).host;
      const auth: [string, string] = ['Authorization', `JWT ${tenant.token(USERS.siteAdmin)}`];
      const declared = await rawRequest(
        url,
        Buffer.concat([
          Buffer.from(
            http1('POST', '/api/v1/assets', host, [
              auth,
              ['Content-Type', 'image/png'],
              ['Content-Length', String(size)],
            ]),
          ),
          Buffer.alloc(size, 1),
        ]),
      );
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

      const chunk = Buffer.alloc(1024 * 1024, 2);
      const framed = Buffer.concat([
        Buffer.from(
          http1('POST', '/api/v1/assets', host, [
            auth,
            ['Content-Type', 'image/png'],
            ['Transfer-Encoding', 'chunked'],
          ]),
        ),
        ...Array.from({ length: 11 }, () =>
          Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
        ),
        Buffer.from('0\r\n\r\n'),
      ]);
      const chunked = await rawRequest(url, framed);
      expect(chunked.status).toBe(413);
      expect(chunked.body).toContain('PAYLOAD_TOO_LARGE');
    }
    await assertNothingChanged();
  });

  it('still lets Atlassian call the hook it signed (the refusals above were not a broken stack)', async () => {
    const url = '/dare-migration/schedule';
    const token = mintConnectToken({
      sharedSecret: tenant.sharedSecret,
      clientKey: tenant.clientKey,
      method: 'POST',
      url,
    });
    const res = await fetch(`${stack.regions.US.routerUrl}${url}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: HOOK_BODY.replace('evil-1', 'honest-1'),
    });
    expect(res.status).toBeLessThan(300);
    // The state the corpus checked is the state a reached hook changes.
    expect(await stack.directory.migration.count()).toBe(1);
  });
});
