import { type FakeConfluence, startFakeConfluence } from '@rt/confluence/fake';
import { FakeInstallKeys, mintConnectToken } from '@rt/testing';

/** The app key of the descriptor the stack serves. */
export const APP_KEY = 'com.refined.toolkit';
/** The user every soak request acts as: site admin and admin of the space the soak writes to. */
export const SOAK_USER = 'soak-admin';
/** The space whose layouts and theme the soak reads and writes. */
export const SOAK_SPACE = 'DOCS';

/** A tenant as the soak sees it. */
export interface SoakTenant {
  clientKey: string;
  homeRegion: 'EU' | 'US';
  /** `Authorization` header value: a context JWT (`AP.context.getToken()`), valid for the whole soak. */
  authorization: string;
}

/**
 * Atlassian's side of the soak, faked as the tests fake it: the install-keys server that signs
 * the `installed` hook (RS256), and one Confluence every tenant's permission checks go to.
 */
export class FakeAtlassian {
  readonly keys = new FakeInstallKeys();
  private kid = '';
  confluence!: FakeConfluence;
  /** One shared secret for every tenant: the fake Confluence verifies the app's calls with it. */
  readonly sharedSecret = 'soak-shared-secret-0123456789abcdef0123456789';

  async start(): Promise<this> {
    await this.keys.start();
    this.kid = await this.keys.addKey();
    this.confluence = await startFakeConfluence({
      appKey: APP_KEY,
      sharedSecret: this.sharedSecret,
      users: [{ accountId: SOAK_USER, siteAdmin: true, spaceAdminOf: [SOAK_SPACE] }],
    });
    return this;
  }

  async close(): Promise<void> {
    await this.confluence?.close();
    await this.keys.close();
  }

  /**
   * Installs a tenant through a region's router, as Atlassian does: `POST /lifecycle/installed`
   * signed with the install key (RS256, `aud` = the URL Atlassian calls). The region whose URL
   * Atlassian calls becomes the tenant's home
   * (https://developer.atlassian.com/cloud/confluence/connect-app-descriptor/#lifecycle).
   */
  async install(clientKey: string, routerUrl: string, homeRegion: 'EU' | 'US', ttlSeconds: number) {
    const url = '/lifecycle/installed';
    const token = await this.keys.mintInstallToken({
      kid: this.kid,
      clientKey,
      audience: routerUrl,
      method: 'POST',
      url,
    });
    const res = await fetch(`${routerUrl}${url}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: APP_KEY,
        clientKey,
        sharedSecret: this.sharedSecret,
        baseUrl: this.confluence.baseUrl,
        displayUrl: this.confluence.baseUrl,
        productType: 'confluence',
        eventType: 'installed',
        description: 'Atlassian Confluence',
      }),
    });
    if (res.status !== 204) throw new Error(`install of ${clientKey}: ${res.status} ${await res.text()}`);
    const context = mintConnectToken({
      sharedSecret: this.sharedSecret,
      clientKey,
      accountId: SOAK_USER,
      context: true,
      expiresInSeconds: ttlSeconds,
    });
    return { clientKey, homeRegion, authorization: `JWT ${context}` } satisfies SoakTenant;
  }

  /**
   * One `dare-migration` hook call as Atlassian makes it: a Connect JWT whose `qsh` is computed
   * for this very request (https://developer.atlassian.com/cloud/confluence/data-residency/).
   */
  async hook(
    routerUrl: string,
    tenant: SoakTenant,
    name: string,
    body?: Record<string, unknown>,
    query = '',
  ) {
    const path = `/dare-migration/${name}${query}`;
    const method = body ? 'POST' : 'GET';
    const token = mintConnectToken({
      sharedSecret: this.sharedSecret,
      clientKey: tenant.clientKey,
      method,
      url: path,
    });
    const res = await fetch(`${routerUrl}${path}`, {
      method,
      headers: { authorization: `JWT ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
}
