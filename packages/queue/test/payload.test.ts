import { describe, expect, it } from 'vitest';
import { InvalidJobPayload, parseJobPayload } from '../src/index.js';

describe('job payloads', () => {
  it('accepts uuid-formatted ids and rejects others', () => {
    const migrationId = 'fc4ea7f8-2cc1-4869-9034-9d63628f4f1b';
    expect(parseJobPayload('migration', { migrationId, step: 'copy' })).toEqual({
      migrationId,
      step: 'copy',
    });
    expect(() => parseJobPayload('migration', { migrationId: 'nope', step: 'copy' })).toThrow(
      InvalidJobPayload,
    );
  });
});
