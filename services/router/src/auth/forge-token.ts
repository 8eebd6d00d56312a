import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import { AuthErrors } from './errors.js';

/** The `app` claim of a Forge Invocation Token (the parts the router uses). */
export interface ForgeAppClaim {
  id: string;
  installationId: string;
  apiBaseUrl?: string;
}

/** Claims of a verified Forge Invocation Token. */
export interface ForgeClaims extends JWTPayload {
  app: ForgeAppClaim;
  principal?: string;
}

/** Issuer of every Forge Invocation Token. */
export const FORGE_ISSUER = 'forge/invocation-token';

/**
 * Verifies Forge Remote calls: `Authorization: Bearer <FIT>`, RS256 against Forge's JWKS (cached
 * and refreshed by jose on unknown kids), `aud` = this app's id, `iss` forge/invocation-token.
 * https://developer.atlassian.com/platform/forge/remote/essentials/#the-forge-invocation-token--fit-
 */
export class ForgeTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    jwksUrl: string,
    private readonly appId: string | undefined,
    private readonly leewaySeconds: number,
  ) {
    this.jwks = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000, cooldownDuration: 30_000 });
  }

  async verify(token: string): Promise<ForgeClaims> {
    if (!this.appId) throw AuthErrors.invalid('Forge is not configured (FORGE_APP_ID)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        algorithms: ['RS256'],
        audience: this.appId,
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
    return payload as ForgeClaims;
  }
}
