import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretBox } from '@rt/auth';
import { createDirectoryClient } from '@rt/db';
import * as atlassianJwt from 'atlassian-jwt';
import { directoryUrl, type StackConfig } from './stack-config.js';

/** The demo tenant of the local stack. */
export interface DemoTenant {
  clientKey: string;
  sharedSecret: string;
  baseUrl: string;
  homeRegion: string;
}

const DEMO_CLIENT_KEY = 'refined-toolkit-demo';

/**
 * Installs (or refreshes) the demo tenant directly in the directory, homed in the first region,
 * with its shared secret sealed exactly as the `installed` lifecycle hook stores it.
 */
export async function seedDemoTenant(config: StackConfig, baseUrl: string): Promise<DemoTenant> {
  const file = join(config.stateDir, 'demo-tenant.json');
  let sharedSecret: string;
  try {
    sharedSecret = JSON.parse(readFileSync(file, 'utf8')).sharedSecret;
  } catch {
    sharedSecret = randomBytes(32).toString('base64url');
    mkdirSync(config.stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ clientKey: DEMO_CLIENT_KEY, sharedSecret }, null, 2), {
      mode: 0o600,
    });
  }
  const homeRegion = config.regions[0]!.id;
  const sealed = new SecretBox(config.secrets.encryptionKey).seal(sharedSecret, DEMO_CLIENT_KEY);
  const directory = createDirectoryClient({ url: directoryUrl(config), poolSize: 1 });
  try {
    await directory.tenant.upsert({
      where: { clientKey: DEMO_CLIENT_KEY },
      create: {
        clientKey: DEMO_CLIENT_KEY,
        baseUrl,
        displayUrl: baseUrl,
        sharedSecretEnc: sealed,
        homeRegion,
        productType: 'confluence',
      },
      update: {
        baseUrl,
        displayUrl: baseUrl,
        sharedSecretEnc: sealed,
        state: 'active',
        uninstalledAt: null,
        revision: { increment: 1 },
      },
    });
  } finally {
    await directory.$disconnect();
  }
  return { clientKey: DEMO_CLIENT_KEY, sharedSecret, baseUrl, homeRegion };
}

/** The demo tenant's shared secret, created once and kept in the state directory. */
export function demoSharedSecret(config: StackConfig): string {
  const file = join(config.stateDir, 'demo-tenant.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')).sharedSecret;
  } catch {
    const sharedSecret = randomBytes(32).toString('base64url');
    mkdirSync(config.stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ clientKey: DEMO_CLIENT_KEY, sharedSecret }, null, 2), {
      mode: 0o600,
    });
    return sharedSecret;
  }
}

/** A Connect context token (`qsh: context-qsh`) for the demo tenant, as `AP.context.getToken()` gives. */
export function demoContextToken(tenant: DemoTenant, accountId: string, ttlSeconds = 8 * 3600): string {
  const now = Math.floor(Date.now() / 1000);
  return atlassianJwt.encodeSymmetric(
    { iss: tenant.clientKey, sub: accountId, iat: now, exp: now + ttlSeconds, qsh: 'context-qsh' },
    tenant.sharedSecret,
  );
}
