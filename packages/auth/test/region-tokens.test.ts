import { describe, expect, it } from 'vitest';
import {
  createRegionDeletionSigner,
  createRegionDeletionVerifier,
  createRegionExportSigner,
  createRegionExportVerifier,
} from '../src/index.js';

const secret = 'r'.repeat(40);

describe('region tokens: a migration token never deletes, a deletion token never exports', () => {
  const exportToken = createRegionExportSigner(secret)({ iss: 'EU', src: 'US', mid: 'm-1' });
  const deletionToken = createRegionDeletionSigner(secret)({ iss: 'US', dst: 'EU', did: 'd-1' });
  const verifyExport = createRegionExportVerifier(secret);
  const verifyDeletion = createRegionDeletionVerifier(secret);

  it('each verifier accepts its own token with its claims', () => {
    expect(verifyExport(exportToken)).toEqual({ iss: 'EU', src: 'US', mid: 'm-1' });
    expect(verifyDeletion(deletionToken)).toEqual({ iss: 'US', dst: 'EU', did: 'd-1' });
  });

  it('refuses the other purpose and another key', () => {
    expect(() => verifyDeletion(exportToken)).toThrow();
    expect(() => verifyExport(deletionToken)).toThrow();
    const foreign = createRegionDeletionSigner('x'.repeat(40))({ iss: 'US', dst: 'EU', did: 'd-1' });
    expect(() => verifyDeletion(foreign)).toThrow();
  });
});
