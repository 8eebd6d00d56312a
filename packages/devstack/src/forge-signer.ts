import { FAKE_FORGE_APP_ID, FAKE_FORGE_ENVIRONMENT, FakeForge } from '@rt/testing';
import type { StackConfig } from './stack-config.js';

/**
 * The local stack's stand-in for Forge's token service, used when `FORGE_JWKS_URL` is not set —
 * as the local install-keys server stands in for Connect's: a JWKS the routers trust
 * (`FORGE_JWKS_URL`) and `POST /fit` minting Forge Invocation Tokens for the configured app and
 * environment (`FORGE_APP_ID`, `FORGE_ENVIRONMENT_TYPE`, `FORGE_ENVIRONMENT_ID`; the fake's own
 * when unset). Listens on loopback only (`FORGE_SIGNER_PORT`, default 8071).
 */
export async function startLocalForgeSigner(config: StackConfig): Promise<FakeForge> {
  const appId = config.forge.appId ?? FAKE_FORGE_APP_ID;
  const environment = {
    type: config.forge.environmentType ?? FAKE_FORGE_ENVIRONMENT.type,
    id: config.forge.environmentId ?? FAKE_FORGE_ENVIRONMENT.id,
  };
  const signer = await new FakeForge({ appId, environment }).start({
    host: '127.0.0.1',
    port: Number(process.env.FORGE_SIGNER_PORT ?? 8071),
    mintEndpoint: true,
  });
  config.forge = {
    jwksUrl: signer.jwksUrl,
    appId,
    environmentType: environment.type,
    environmentId: environment.id,
  };
  return signer;
}
