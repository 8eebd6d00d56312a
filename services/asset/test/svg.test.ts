import { describe, expect, it } from 'vitest';
import { AssetRejected } from '../src/images/index.js';
import { sanitizeSvg } from '../src/images/svg.js';
import { harmlessSvgs, hasExternalReference, hostileSvgs } from './svg-corpus.js';

/** What the sanitiser does with a document: the stored text, or the code it was refused with. */
function outcome(svg: string): { stored: string } | { refused: string } {
  try {
    return { stored: sanitizeSvg(Buffer.from(svg)).output.toString('utf8') };
  } catch (err) {
    if (err instanceof AssetRejected) return { refused: err.code };
    throw err;
  }
}

describe('SVG sanitiser against smuggling tricks', () => {
  it.each(hostileSvgs)('refuses %s', (_name, svg) => {
    const result = outcome(svg);
    // Were one ever stored, what is stored must still reference nothing outside itself.
    if ('stored' in result) expect(hasExternalReference(result.stored), result.stored).toBe(false);
    expect(result).toEqual({ refused: 'ASSET_SVG_UNSAFE' });
  });

  it.each(harmlessSvgs)('stores %s as one clean document', (_name, svg, stored) => {
    const result = outcome(svg);
    expect(result).toEqual({ stored });
    expect(hasExternalReference(stored)).toBe(false);
    // Sanitising is idempotent: the stored document passes unchanged.
    expect(outcome(stored)).toEqual({ stored });
  });

  it('the reference detector itself sees every hostile document before sanitising', () => {
    const unseen = hostileSvgs
      .filter(([name]) => !/script|foreignObject|animate|set-animated|behavior|expression/i.test(name))
      .filter(
        ([, svg]) => !hasExternalReference(svg.replace(/<!--[\s\S]*?-->|<!\[CDATA\[|\]\]>|<\/?g>x?/g, '')),
      );
    expect(unseen.map(([name]) => name)).toEqual([]);
  });
});
