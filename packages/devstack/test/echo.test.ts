import { describe, expect, it } from 'vitest';
import { lineEcho } from '../src/processes.js';

describe('npm start -- --verbose: echoed service output', () => {
  it('prefixes whole lines only, however a batch of lines arrives in pieces', () => {
    const out: string[] = [];
    const echo = lineEcho('eu-router', (text) => out.push(text));
    // One batch of three lines (a service writes its log lines together), read from the pipe in
    // three pieces that end inside lines.
    const batch = '{"msg":"one"}\n{"msg":"two"}\n{"msg":"three"}\n';
    for (const piece of [batch.slice(0, 9), batch.slice(9, 20), batch.slice(20)]) echo(Buffer.from(piece));
    expect(out).toEqual([
      '[eu-router] {"msg":"one"}\n',
      '[eu-router] {"msg":"two"}\n',
      '[eu-router] {"msg":"three"}\n',
    ]);
  });
});
