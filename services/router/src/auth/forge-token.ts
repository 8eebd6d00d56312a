import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import { AuthErrors } from './errors.js';

/** The `app` claim of a Forge Invocation Token (the parts the router uses). */
export interface ForgeAppClaim {
  /** The app ARI (`ari:cloud:ecosystem::app/<uuid>`), equal to `aud`. */
  id: string;
  /** Installation ARI; changes when a site uninstalls and installs again. */
  installationId: string;
  /** Atlassian API gateway of the site (`https://api.atlassian.com/ex/confluence/<cloudId>`). */
  apiBaseUrl?: string;
  environment?: { type?: string; id?: string };
}

/** Claims of a verified Forge Invocation Token. */
export interface ForgeClaims extends JWTPayload {
  app: ForgeAppClaim;
  /** The invoking user; absent on trigger (life-cycle event) and residency-hook invocations. */
  principal?: string;
  /** Invocation context; `cloudId` names the site and survives reinstalls. */
  context?: { cloudId?: string; [key: string]: unknown };
}

/** Issuer of every Forge Invocation Token. */
export const FORGE_ISSUER = 'forge/invocation-token';

/** The app and environment a router serves (`FORGE_APP_ID`, `FORGE_ENVIRONMENT_TYPE`/`_ID`). */
export interface ForgeAppIdentity {
  appId: string;
  environment: { type: string; id: string };
}

/**
 * Verifies Forge Remote calls: `Authorization: Bearer <FIT>`, RS256 against Forge's JWKS (cached
 * and refreshed by jose on unknown kids), `aud` and `app.id` = this app's ARI, `iss`
 * `forge/invocation-token`, and `app.environment` = the configured environment: one app has
 * development, staging and production environments whose tokens share the JWKS and the
 * audience, so without this check a developer's installation could call production.
 * https://developer.atlassian.com/platform/forge/remote/essentials/#the-forge-invocation-token--fit-
 */
export class ForgeTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    jwksUrl: string,
    private readonly identity: ForgeAppIdentity | undefined,
    private readonly leewaySeconds: number,
  ) {
    this.jwks = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000, cooldownDuration: 30_000 });
  }

  async verify(token: string): Promise<ForgeClaims> {
    const identity = this.identity;
    if (!identity) throw AuthErrors.invalid('Forge is not configured (FORGE_APP_ID)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        algorithms: ['RS256'],
        audience: identity.appId,
        issuer: FORGE_ISSUER,
        clockTolerance: this.leewaySeconds,
        requiredClaims: ['exp', 'aud', 'iss'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw AuthErrors.expired();
      if (err instanceof joseErrors.JWTClaimValidationFailed) {
        if (err.claim === 'aud') throw AuthErrors.audience();
        if (err.claim === 'nbf' || err.claim === 'iat') throw AuthErrors.notYetValid();
        throw AuthErrors.invalid(`${err.claim} ${err.reason}`);
      }
      if (err instanceof joseErrors.JWKSTimeout) throw AuthErrors.keysUnavailable();
      throw AuthErrors.invalid('bad signature or unknown key');
    }
    const app = payload.app as Partial<ForgeAppClaim> | undefined;
    if (!app || typeof app.installationId !== 'string' || !app.installationId) {
      throw AuthErrors.invalid('app.installationId is missing');
    }
    if (app.id !== identity.appId) throw AuthErrors.audience();
    const env = app.environment;
    if (env?.type !== identity.environment.type || env?.id !== identity.environment.id) {
      throw AuthErrors.environment();
    }
    const context = payload.context;
    if (context !== undefined && (typeof context !== 'object' || context === null)) {
      throw AuthErrors.invalid('context is not an object');
    }
    const cloudId = (context as { cloudId?: unknown } | undefined)?.cloudId;
    if (cloudId !== undefined && (typeof cloudId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(cloudId))) {
      throw AuthErrors.invalid('context.cloudId is malformed');
    }
    return payload as ForgeClaims;
  }
}
