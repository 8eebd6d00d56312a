import { Unauthorized } from '@rt/http';
import { createSigner, createVerifier } from 'fast-jwt';

/**
 * The token one region's worker presents to another region's export endpoint to pull a tenant's
 * data during a migration. Its own audience and key (`REGION_EXPORT_SECRET`), so it never serves
 * as — nor is it accepted in place of — the router → service internal token; and bound to one
 * migration (`mid`) and one direction (`iss` = the pulling target region, `src` = the exporting
 * source region). It lives 60 s: a fresh one is minted per request.
 *
 * One key is shared by the regions (a replicated secret): with two regions a key per direction
 * buys nothing, because each side must hold the key of the direction it verifies, and the
 * direction is a signed claim checked against the migration in the directory anyway.
 */
export const REGION_EXPORT_AUDIENCE = 'rt-region-export';
export const REGION_EXPORT_TTL_SECONDS = 60;

/** Claims of a region-export token. */
export interface RegionExportClaims {
  /** The target region pulling the data. */
  iss: string;
  /** The source region that must serve it. */
  src: string;
  /** The migration (directory id) the pull belongs to. */
  mid: string;
}

/** Signs region-export tokens (the target region's worker). */
export const createRegionExportSigner = (secret: string): ((claims: RegionExportClaims) => string) =>
  regionTokenSigner(secret, REGION_EXPORT_AUDIENCE);

/** Verifies a region-export token; throws when it is invalid, expired or for another audience. */
export const createRegionExportVerifier = (secret: string): ((token: string) => RegionExportClaims) =>
  regionTokenVerifier(secret, REGION_EXPORT_AUDIENCE, ['iss', 'src', 'mid']);

/**
 * The token a tenant's home-region worker presents to another region's worker to have the
 * tenant's data there deleted (`POST /region-export/v1/deletions/:id`). Same key as the export
 * token, but its own audience, so a migration token can never delete and a deletion token can
 * never export; bound to one deletion (`did`) and one direction (`iss` = the home region asking,
 * `dst` = the region that must delete). Lives 60 s like the export token.
 */
export const REGION_DELETION_AUDIENCE = 'rt-region-deletion';

/** Claims of a region-deletion token. */
export interface RegionDeletionClaims {
  /** The tenant's home region, which runs the deletion. */
  iss: string;
  /** The region asked to delete its copy. */
  dst: string;
  /** The deletion (directory id) the request belongs to. */
  did: string;
}

/** Signs region-deletion tokens (the home region's worker). */
export const createRegionDeletionSigner = (secret: string): ((claims: RegionDeletionClaims) => string) =>
  regionTokenSigner(secret, REGION_DELETION_AUDIENCE);

/** Verifies a region-deletion token; throws when it is invalid, expired or for another audience. */
export const createRegionDeletionVerifier = (secret: string): ((token: string) => RegionDeletionClaims) =>
  regionTokenVerifier(secret, REGION_DELETION_AUDIENCE, ['iss', 'dst', 'did']);

/** HS256 signer of one region-token audience (60 s). */
function regionTokenSigner<C extends object>(secret: string, audience: string): (claims: C) => string {
  const sign = createSigner({
    key: secret,
    algorithm: 'HS256',
    aud: audience,
    expiresIn: REGION_EXPORT_TTL_SECONDS * 1000,
  });
  return (claims) => sign({ ...claims });
}

/** Verifier of one region-token audience: every binding claim present and a string. */
function regionTokenVerifier<C extends Record<K, string>, K extends string>(
  secret: string,
  audience: string,
  fields: readonly K[],
): (token: string) => C {
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedAud: audience,
    maxAge: REGION_EXPORT_TTL_SECONDS * 1000 + 5000,
    clockTolerance: 5000,
    requiredClaims: [...fields, 'aud', 'exp'],
  });
  return (token) => {
    const claims = verify(token) as Record<string, unknown>;
    const out = {} as Record<K, string>;
    for (const f of fields) {
      const v = claims[f];
      if (typeof v !== 'string') throw new Error(`${audience} token lacks ${fields.join('/')}`);
      out[f] = v;
    }
    return out as C;
  };
}

/**
 * The one reader of `Authorization: Bearer <region token>` on the region-export listener:
 * missing → 401 REGION_TOKEN_MISSING, anything `verify` refuses → 401 REGION_TOKEN_INVALID.
 * `what` names the token in the message (`region-export`, `region-deletion`).
 */
export function verifyRegionBearer<C>(
  authorization: string | undefined,
  verify: (token: string) => C,
  what: string,
): C {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m?.[1]) throw new Unauthorized('REGION_TOKEN_MISSING', `a ${what} token is required`);
  try {
    return verify(m[1]);
  } catch {
    throw new Unauthorized('REGION_TOKEN_INVALID', `the ${what} token is invalid or expired`);
  }
}
