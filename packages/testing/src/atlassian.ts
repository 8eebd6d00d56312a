import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as atlassianJwt from 'atlassian-jwt';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';

/** qsh of a request as Atlassian computes it (method + canonical path + canonical query). */
export function queryStringHash(method: string, url: string): string {
  return atlassianJwt.createQueryStringHash(atlassianJwt.fromMethodAndUrl(method, url));
}

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

type RsaKeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/**
 * A stand-in for Atlassian's Connect install-keys service
 * (https://connect-install-keys.atlassian.com/{kid} answers the PEM public key) plus a minter of
 * RS256 signed-install tokens as Atlassian sends them to lifecycle hooks.
 */
export class FakeInstallKeys {
  private readonly keys = new Map<string, RsaKeyPair>();
  private server?: Server;
  url = '';
  /** Number of key fetches served (to test caching). */
  fetches = 0;

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      this.fetches++;
      const kid = decodeURIComponent((req.url ?? '/').slice(1));
      const pair = this.keys.get(kid);
      if (!pair) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(await exportSPKI(pair.publicKey));
    });
    this.url = await listen(this.server);
    return this;
  }

  async addKey(kid = `kid-${this.keys.size + 1}`): Promise<string> {
    this.keys.set(kid, await generateKeyPair('RS256', { extractable: true }));
    return kid;
  }

  /** PEM (SPKI) of a key's public half, as the install-keys service serves it. */
  async publicKeyPem(kid: string): Promise<string> {
    const pair = this.keys.get(kid);
    if (!pair) throw new Error(`unknown kid ${kid}`);
    return exportSPKI(pair.publicKey);
  }

  /** Stops serving a key (rotation: tokens naming it must be refused). */
  removeKey(kid: string): void {
    this.keys.delete(kid);
  }

  /**
   * Mints a signed-install JWT: RS256, `kid` header, `iss` = clientKey, `aud` = app base URL,
   * `qsh` of the lifecycle request. `overrides` lets tests build malformed tokens.
   */
  async mintInstallToken(params: {
    kid: string;
    clientKey: string;
    audience: string;
    method: string;
    url: string;
    expiresInSeconds?: number;
    overrides?: Record<string, unknown>;
  }): Promise<string> {
    const pair = this.keys.get(params.kid);
    if (!pair) throw new Error(`unknown kid ${params.kid}`);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      qsh: queryStringHash(params.method, params.url),
      ...params.overrides,
    })
      .setProtectedHeader({ alg: 'RS256', kid: params.kid, typ: 'JWT' })
      .setIssuer(params.clientKey)
      .setAudience(params.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (params.expiresInSeconds ?? 180))
      .sign(pair.privateKey);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Mints a Connect HS256 token as the product (or the front end's `AP.context.getToken()`) would:
 * `iss` = clientKey, `qsh` = the request's hash or the literal "context-qsh".
 */
export function mintConnectToken(params: {
  sharedSecret: string;
  clientKey: string;
  accountId?: string;
  method?: string;
  url?: string;
  context?: boolean;
  expiresInSeconds?: number;
  overrides?: Record<string, unknown>;
}): string {
  const now = Math.floor(Date.now() / 1000);
  const qsh =
    params.context || !params.url ? 'context-qsh' : queryStringHash(params.method ?? 'GET', params.url);
  const payload: Record<string, unknown> = {
    iss: params.clientKey,
    iat: now,
    exp: now + (params.expiresInSeconds ?? 180),
    qsh,
    ...(params.accountId ? { sub: params.accountId } : {}),
    ...params.overrides,
  };
  return atlassianJwt.encodeSymmetric(payload, params.sharedSecret, atlassianJwt.SymmetricAlgorithm.HS256);
}
