import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** App ARI the fake signs for unless told otherwise (`FORGE_APP_ID`). */
export const FAKE_FORGE_APP_ID = 'ari:cloud:ecosystem::app/6f1c2c64-8a0e-4b9f-9b43-0e3f5c7d2a10';

/** Environment the fake signs for unless told otherwise (`FORGE_ENVIRONMENT_TYPE`/`_ID`). */
export const FAKE_FORGE_ENVIRONMENT = {
  type: 'DEVELOPMENT',
  id: 'ari:cloud:ecosystem::environment/6f1c2c64-8a0e-4b9f-9b43-0e3f5c7d2a10/0b7d3c1e-2f4a-4c5b-8d6e-7f8091a2b3c4',
} as const;

/** Forge's life-cycle events (https://developer.atlassian.com/platform/forge/events-reference/life-cycle/). */
export const FORGE_LIFECYCLE_EVENTS = {
  installed: 'avi:forge:installed:app',
  upgraded: 'avi:forge:upgraded:app',
  uninstalled: 'avi:forge:uninstalled:app',
} as const;

/** One installation of the app on a site, as Forge knows it. */
export interface FakeForgeInstallation {
  /** Installation ARI; a reinstall gets a new one. */
  installationId: string;
  /** The site's cloud id; stays across reinstalls. */
  cloudId: string;
  /** `app.apiBaseUrl`; defaults to `https://api.atlassian.com/ex/confluence/<cloudId>`. */
  apiBaseUrl?: string;
  /** The app system token Forge sends as `x-forge-oauth-system` (when the manifest asks for it). */
  systemToken?: string;
}

/** Options of {@link FakeForge}. */
export interface FakeForgeOptions {
  appId?: string;
  environment?: { type: string; id: string };
}

/** A request as Forge would send it: usable with `fetch` (prefix the base URL) or `app.inject`. */
export interface ForgeRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: Record<string, unknown>;
}

/** Minted token parameters. */
export interface MintParams {
  appId?: string;
  installationId: string;
  apiBaseUrl?: string;
  cloudId?: string;
  /** The invoking user (`principal`); triggers and residency hooks carry none. */
  accountId?: string;
  environment?: { type: string; id: string };
  /** Default 25 s, as Forge's own tokens. */
  expiresInSeconds?: number;
  overrides?: Record<string, unknown>;
}

const gateway = (cloudId: string) => `https://api.atlassian.com/ex/confluence/${cloudId}`;

/**
 * Atlassian's Forge platform, as a Forge Remote sees it: a JWKS endpoint, a minter of Forge
 * Invocation Tokens (RS256, `iss` forge/invocation-token, `aud` = `app.id` = the app ARI, `exp`
 * 25 s after `iat`, `app.environment`, `context.cloudId`) and a sender of the invocations the app
 * receives without a user: life-cycle events and data-residency hooks.
 * https://developer.atlassian.com/platform/forge/remote/essentials/#the-forge-invocation-token--fit-
 * Imports nothing from vitest: `npm start` runs it as the local FIT signer.
 */
export class FakeForge {
  private pair?: Awaited<ReturnType<typeof generateKeyPair>>;
  private jwk?: JWK;
  private server?: Server;
  readonly kid = 'forge-test-key';
  readonly appId: string;
  readonly environment: { type: string; id: string };
  url = '';

  constructor(options: FakeForgeOptions = {}) {
    this.appId = options.appId ?? FAKE_FORGE_APP_ID;
    this.environment = options.environment ?? { ...FAKE_FORGE_ENVIRONMENT };
  }

  /**
   * Starts the JWKS server (a free loopback port unless `port`/`host` say otherwise). With
   * `mintEndpoint` (the local stack's FIT signer) it also answers `POST /fit` with
   * `{"token": …}` for a JSON body of {@link MintParams} — loopback development only.
   */
  async start(options: { host?: string; port?: number; mintEndpoint?: boolean } = {}): Promise<this> {
    this.pair = await generateKeyPair('RS256', { extractable: true });
    this.jwk = { ...(await exportJWK(this.pair.publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' };
    this.server = createServer((req, res) => {
      if (options.mintEndpoint && req.method === 'POST' && req.url === '/fit') {
        void this.mintFromRequest(req).then(
          (token) =>
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token })),
          (err: Error) =>
            res
              .writeHead(400, { 'content-type': 'application/json' })
              .end(JSON.stringify({ error: err.message })),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [this.jwk] }));
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(options.port ?? 0, host, () => resolve());
    });
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** JWKS URL to configure as FORGE_JWKS_URL. */
  get jwksUrl(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  private async mintFromRequest(req: NodeJS.ReadableStream): Promise<string> {
    let text = '';
    for await (const chunk of req) {
      text += chunk.toString();
      if (text.length > 16_384) throw new Error('body too large');
    }
    const body = JSON.parse(text || '{}') as Partial<MintParams>;
    if (typeof body.installationId !== 'string' || !body.installationId)
      throw new Error('installationId is required');
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    return this.mintInvocationToken({
      installationId: body.installationId,
      cloudId: str(body.cloudId),
      apiBaseUrl: str(body.apiBaseUrl),
      accountId: str(body.accountId),
    });
  }

  /** Mints a Forge Invocation Token. */
  async mintInvocationToken(params: MintParams): Promise<string> {
    if (!this.pair) throw new Error('FakeForge not started');
    const appId = params.appId ?? this.appId;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      app: {
        id: appId,
        version: '1.0.0',
        installationId: params.installationId,
        apiBaseUrl: params.apiBaseUrl ?? gateway(params.cloudId ?? '00000000-0000-0000-0000-000000000000'),
        environment: params.environment ?? this.environment,
        module: { type: 'xen:macro', key: 'refined-toolkit' },
      },
      context: params.cloudId ? { cloudId: params.cloudId } : {},
      ...(params.accountId ? { principal: params.accountId } : {}),
      ...params.overrides,
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer('forge/invocation-token')
      .setAudience(appId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + (params.expiresInSeconds ?? 25))
      .setJti(`jti-${now}-${Math.random()}`)
      .sign(this.pair.privateKey);
  }

  /** Headers of an invocation: the FIT, and the system token when the installation has one. */
  async headers(
    installation: FakeForgeInstallation,
    extra: Partial<MintParams> = {},
  ): Promise<Record<string, string>> {
    const fit = await this.mintInvocationToken({
      installationId: installation.installationId,
      cloudId: installation.cloudId,
      apiBaseUrl: installation.apiBaseUrl ?? gateway(installation.cloudId),
      ...extra,
    });
    return {
      authorization: `Bearer ${fit}`,
      ...(installation.systemToken ? { 'x-forge-oauth-system': installation.systemToken } : {}),
    };
  }

  /**
   * A life-cycle event as the `trigger` module's remote `endpoint` receives it: POST with a FIT
   * without `principal`, the event's payload (`id` = the installation, `app`) plus `eventType`
   * and `context.cloudId`. Forge documents no uninstall payload; the fake sends the installed
   * event's shape for it.
   */
  async lifecycleEvent(
    path: string,
    event: keyof typeof FORGE_LIFECYCLE_EVENTS,
    installation: FakeForgeInstallation,
  ): Promise<ForgeRequest> {
    return {
      method: 'POST',
      url: path,
      headers: { ...(await this.headers(installation)), 'content-type': 'application/json' },
      payload: {
        eventType: FORGE_LIFECYCLE_EVENTS[event],
        id: installation.installationId,
        installerAccountId: '5b10ac8d82e05b22cc7d4ef5',
        app: { id: this.appId.replace(/^.*\//, ''), version: '1.0.0' },
        context: { cloudId: installation.cloudId },
      },
    };
  }

  /**
   * A data-residency hook (`migration:dataResidency`): `{path}/{schedule,start,commit,rollback}`
   * (POST) or `{path}/status?migrationId=…` (GET), FIT without `principal`.
   * https://developer.atlassian.com/platform/forge/remote/remote-realm-migration/
   */
  async residencyHook(
    path: string,
    hook: 'schedule' | 'start' | 'status' | 'commit' | 'rollback',
    installation: FakeForgeInstallation,
    body: { migrationId: string; location?: string; startTime?: string; endTime?: string },
  ): Promise<ForgeRequest> {
    const headers = await this.headers(installation);
    if (hook === 'status') {
      return {
        method: 'GET',
        url: `${path}/status?migrationId=${encodeURIComponent(body.migrationId)}`,
        headers,
      };
    }
    return {
      method: 'POST',
      url: `${path}/${hook}`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    };
  }

  /** Sends a {@link ForgeRequest} to a remote base URL; answers status and JSON body. */
  async send(baseUrl: string, request: ForgeRequest): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: request.payload ? JSON.stringify(request.payload) : undefined,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
