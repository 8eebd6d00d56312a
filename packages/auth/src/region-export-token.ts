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
export function createRegionExportSigner(secret: string): (claims: RegionExportClaims) => string {
  const sign = createSigner({
    key: secret,
    algorithm: 'HS256',
    aud: REGION_EXPORT_AUDIENCE,
    expiresIn: REGION_EXPORT_TTL_SECONDS * 1000,
  });
  return (claims) => sign({ ...claims });
}

/** Verifies a region-export token; throws when it is invalid, expired or for another audience. */
export function createRegionExportVerifier(secret: string): (token: string) => RegionExportClaims {
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedAud: REGION_EXPORT_AUDIENCE,
    maxAge: REGION_EXPORT_TTL_SECONDS * 1000 + 5000,
    clockTolerance: 5000,
    requiredClaims: ['iss', 'src', 'mid', 'aud', 'exp'],
  });
  return (token) => {
    const claims = verify(token) as Partial<RegionExportClaims>;
    if (typeof claims.iss !== 'string' || typeof claims.src !== 'string' || typeof claims.mid !== 'string') {
      throw new Error('region-export token lacks iss/src/mid');
    }
    return { iss: claims.iss, src: claims.src, mid: claims.mid };
  };
}

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
export function createRegionDeletionSigner(secret: string): (claims: RegionDeletionClaims) => string {
  const sign = createSigner({
    key: secret,
    algorithm: 'HS256',
    aud: REGION_DELETION_AUDIENCE,
    expiresIn: REGION_EXPORT_TTL_SECONDS * 1000,
  });
  return (claims) => sign({ ...claims });
}

/** Verifies a region-deletion token; throws when it is invalid, expired or for another audience. */
export function createRegionDeletionVerifier(secret: string): (token: string) => RegionDeletionClaims {
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedAud: REGION_DELETION_AUDIENCE,
    maxAge: REGION_EXPORT_TTL_SECONDS * 1000 + 5000,
    clockTolerance: 5000,
    requiredClaims: ['iss', 'dst', 'did', 'aud', 'exp'],
  });
  return (token) => {
    const claims = verify(token) as Partial<RegionDeletionClaims>;
    if (typeof claims.iss !== 'string' || typeof claims.dst !== 'string' || typeof claims.did !== 'string') {
      throw new Error('region-deletion token lacks iss/dst/did');
    }
    return { iss: claims.iss, dst: claims.dst, did: claims.did };
  };
}
