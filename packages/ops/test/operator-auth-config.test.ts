import { ConfigError } from '@rt/config';
import { describe, expect, it } from 'vitest';
import { loadOperatorAuthConfig } from '../src/index.js';

const oidc = {
  OPERATOR_OIDC_ISSUER: 'https://login.example.com/',
  OPERATOR_JWKS_URL: 'https://login.example.com/jwks.json',
  OPERATOR_AUDIENCE: 'rt-ops-prod',
};
const localKey = { OPERATOR_TOKEN_SECRET: 'k'.repeat(40) };

/** The variables a thrown ConfigError names, or the config returned. */
function load(env: Record<string, string>) {
  try {
    return loadOperatorAuthConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return { refused: err.issues.map((i) => i.variable) };
    throw err;
  }
}

describe('operator token configuration', () => {
  it('production verifies the OIDC issuer only', () => {
    expect(load({ NODE_ENV: 'production', ...oidc })).toMatchObject({
      mode: 'oidc',
      issuer: oidc.OPERATOR_OIDC_ISSUER,
      audience: 'rt-ops-prod',
    });
  });

  it('production refuses local HS256 operator tokens, alone or next to an OIDC issuer', () => {
    expect(load({ NODE_ENV: 'production', ...localKey })).toEqual({ refused: ['OPERATOR_TOKEN_SECRET'] });
    expect(load({ NODE_ENV: 'production', ...oidc, ...localKey })).toEqual({
      refused: ['OPERATOR_TOKEN_SECRET'],
    });
  });

  it('refuses half an OIDC configuration, and keys over plain HTTP in production', () => {
    const { OPERATOR_JWKS_URL: _jwks, ...issuerOnly } = oidc;
    expect(load({ NODE_ENV: 'production', ...issuerOnly })).toEqual({ refused: ['OPERATOR_JWKS_URL'] });
    expect(load({ OPERATOR_JWKS_URL: oidc.OPERATOR_JWKS_URL })).toEqual({
      refused: ['OPERATOR_OIDC_ISSUER'],
    });
    const plain = { ...oidc, OPERATOR_JWKS_URL: 'http://login.example.com/jwks.json' };
    expect(load({ NODE_ENV: 'production', ...plain })).toEqual({ refused: ['OPERATOR_JWKS_URL'] });
    expect(load(plain)).toMatchObject({ mode: 'oidc' });
  });

  it('the local stack and tests keep their locally signed tokens', () => {
    expect(load({ NODE_ENV: 'development', ...localKey })).toMatchObject({ mode: 'local' });
    expect(load({ ...localKey })).toMatchObject({ mode: 'local' });
    expect(load({ NODE_ENV: 'production' })).toBeUndefined();
  });
});
