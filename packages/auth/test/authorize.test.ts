import { describe, expect, it } from 'vitest';
import { type Authorize, requireAuthorize } from '../src/index.js';

describe('requireAuthorize', () => {
  it('hands back the permission check it is given', () => {
    const refuse: Authorize = async () => {
      throw new Error('refused');
    };
    expect(requireAuthorize(refuse, 'layout')).toBe(refuse);
  });

  it('refuses a service wired without one, naming the service', () => {
    expect(() => requireAuthorize(undefined, 'theme')).toThrow(/theme: .*authorize/);
    expect(() => requireAuthorize({}, 'asset')).toThrow(TypeError);
  });
});
