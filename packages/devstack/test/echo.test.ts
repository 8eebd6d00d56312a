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

  it('keeps a character whose bytes arrive in two pieces, and echoes an unfinished last line at the end', () => {
    const out: string[] = [];
    const echo = lineEcho('us-theme', (text) => out.push(text));
    const bytes = Buffer.from('{"msg":"Größe"}\n{"msg":"last"');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ö"
    echo(bytes.subarray(0, cut));
    echo(bytes.subarray(cut));
    expect(out).toEqual(['[us-theme] {"msg":"Größe"}\n']);
    echo(null);
    expect(out).toEqual(['[us-theme] {"msg":"Größe"}\n', '[us-theme] {"msg":"last"\n']);
  });
});
