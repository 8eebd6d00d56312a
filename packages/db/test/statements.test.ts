import { describe, expect, it } from 'vitest';
import { statement } from '../src/index.js';

describe('statement', () => {
  it('names a text, and the same name again with the same text', () => {
    const text = 'SELECT 1 WHERE $1::int = 1';
    expect(statement('test.same', text)).toEqual({ name: 'test.same', text });
    expect(statement('test.same', text)).toEqual({ name: 'test.same', text });
  });

  it('refuses one name with two texts (pg would refuse it on a connection that prepared the other)', () => {
    statement('test.clash', 'SELECT 1');
    expect(() => statement('test.clash', 'SELECT 2')).toThrow(/named twice/);
  });
});
