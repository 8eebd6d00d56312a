import {
  type CryptoKey,
  decodeProtectedHeader,
  importSPKI,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { AuthErrors } from './errors.js';
import { computeQsh } from './qsh.js';

/** A `kid` must be a plain path segment: it is appended to the install-keys URL. */
const KID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

/**
 * Public keys of Atlassian's Connect install-keys service (`{base}/{kid}` answers a PEM SPKI
 * key). A kid never changes its key (rotation means a new kid), so keys are cached for the life
 * of the process; failures are not cached.
 * https://developer.atlassian.com/cloud/confluence/understanding-jwt/#installation-handshake
 */
export class InstallKeys {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly baseUrl: string,
    private readonly maxKeys = 1000,
    private readonly timeoutMs = 3000,
  ) {}

  get(kid: string): Promise<CryptoKey> {
    let key = this.keys.get(kid);
    if (!key) {
      key = this.fetchKey(kid);
      if (this.keys.size >= this.maxKeys) this.keys.clear();
      this.keys.set(kid, key);
      key.catch(() => this.keys.delete(kid));
    }
    return key;
  }

  private async fetchKey(kid: string): Promise<CryptoKey> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/${encodeURIComponent(kid)}`, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw AuthErrors.keysUnavailable();
    }
    if (res.status === 404 || res.status === 403) throw AuthErrors.unknownKey();
    if (!res.ok) throw AuthErrors.keysUnavailable();
    const pem = (await res.text()).trim();
    try {
      return await importSPKI(pem, 'RS256');
    } catch {
      throw AuthErrors.unknownKey();
    }
  }
}

/**
 * Atlassian's staging sites (`*.jira-dev.com`, `*.atlassian-dev.net`) sign installs with keys of
 * the staging install-keys service, production sites with those of the production one. Our
 * choice follows Atlassian's own Connect framework (atlassian-connect-express,
 * `lib/middleware/verify-installation.js`, which switches on the site's host; `atlassian-jwt`'s
 * `ConnectInstallKeysCdnUrl` names the same two services):
 * https://developer.atlassian.com/cloud/confluence/security-for-connect-apps/#validating-installation-lifecycle-requests
 */
export const INSTALL_KEY_SERVICES = {
  production: 'https://connect-install-keys.atlassian.com',
  staging: 'https://cs-migrations--cdn.us-west-1.staging.public.atl-paas.net',
} as const;

const STAGING_SITE_HOST = /(^|\.)(jira-dev\.com|atlassian-dev\.net)$/i;

/** True when a site base URL is one of Atlassian's staging sites. */
export function isStagingSite(baseUrl: string): boolean {
  try {
    return STAGING_SITE_HOST.test(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

/**
 * The install-keys service of each Atlassian environment. Which one verifies a lifecycle call is
 * decided by the site's host class (staging or not); the key server's URL always comes from our
 * configuration, never from a payload — a payload can only pick between the two we trust.
 */
export class InstallKeyServices {
  constructor(
    private readonly production: InstallKeys,
    private readonly staging: InstallKeys,
  ) {}

  /** Builds both from configured base URLs. */
  static fromUrls(urls: { production: string; staging: string }): InstallKeyServices {
    return new InstallKeyServices(new InstallKeys(urls.production), new InstallKeys(urls.staging));
  }

  /** The key service that signs installs of the site at `baseUrl`. */
  forSite(baseUrl: string): InstallKeys {
    return isStagingSite(baseUrl) ? this.staging : this.production;
  }
}

/** What a signed-install token must prove. */
export interface InstallTokenExpectation {
  /** Base URLs this router answers to (APP_BASE_URL and this region's REGION_<R>_BASE_URL). */
  audiences: string[];
  /** The clientKey of the lifecycle payload: `iss` must equal it. */
  clientKey: string;
  method: string;
  url: string;
  leewaySeconds: number;
}

/**
 * Verifies the RS256 "signed-install" JWT Atlassian sends with lifecycle callbacks: key by `kid`
 * from the install-keys service, `aud` = the app's base URL, `iss` = clientKey, `qsh` of this
 * request (a context qsh is refused), `exp` with leeway. HS256 and unsigned tokens are refused.
 */
export async function verifyInstallToken(
  token: string,
  keys: InstallKeys,
  expect: InstallTokenExpectation,
): Promise<JWTPayload> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw AuthErrors.invalid('malformed');
  }
  if (header.alg !== 'RS256')
    throw AuthErrors.invalid(`lifecycle callbacks must be RS256 signed-install (got ${String(header.alg)})`);
  if (typeof header.kid !== 'string' || !KID.test(header.kid))
    throw AuthErrors.invalid('kid is missing or malformed');
  const key = await keys.get(header.kid);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['RS256'],
      audience: expect.audiences,
      issuer: expect.clientKey,
      clockTolerance: expect.leewaySeconds,
      requiredClaims: ['iss', 'aud', 'exp', 'qsh'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw AuthErrors.expired();
    if (err instanceof joseErrors.JWTClaimValidationFailed) {
      if (err.claim === 'aud') throw AuthErrors.audience();
      if (err.claim === 'iss') throw AuthErrors.issuer();
      if (err.claim === 'nbf' || err.claim === 'iat') throw AuthErrors.notYetValid();
      throw AuthErrors.invalid(`${err.claim} ${err.reason}`);
    }
    throw AuthErrors.invalid('bad signature');
  }
  if (payload.qsh !== computeQsh(expect.method, expect.url)) throw AuthErrors.qsh();
  return payload;
}
