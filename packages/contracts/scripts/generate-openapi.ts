/**
 * Regenerates `openapi.json` and `src/openapi-types.ts` from the route schemas of every source.
 * `npm run openapi -w @rt/contracts` writes them; with `--check` it only compares and exits 1
 * when the committed files are stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { buildOpenApiDocument, serializeDocument } from '../src/server/index.js';
import { renderClientTypes } from '../src/server/types.js';
import { openApiSources } from './openapi-sources.js';

const DOCUMENT = new URL('../openapi.json', import.meta.url);
const TYPES = new URL('../src/openapi-types.ts', import.meta.url);

/** The files as the current code would generate them. */
export async function generateContract(): Promise<{ document: string; types: string }> {
  const doc = await buildOpenApiDocument(openApiSources);
  return { document: serializeDocument(doc), types: await renderClientTypes(doc) };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const { document, types } = await generateContract();
  const current = await Promise.all([
    readFile(DOCUMENT, 'utf8').catch(() => ''),
    readFile(TYPES, 'utf8').catch(() => ''),
  ]);
  const stale = [
    current[0] !== document && 'openapi.json',
    current[1] !== types && 'src/openapi-types.ts',
  ].filter(Boolean);
  if (check) {
    if (stale.length) {
      console.error(`stale: ${stale.join(', ')} — run npm run openapi -w @rt/contracts`);
      process.exit(1);
    }
    console.log('openapi.json and src/openapi-types.ts are up to date');
    return;
  }
  await writeFile(DOCUMENT, document);
  await writeFile(TYPES, types);
  const paths = Object.keys(JSON.parse(document).paths).length;
  console.log(
    `wrote openapi.json (${paths} paths) and src/openapi-types.ts${stale.length ? '' : ' (unchanged)'}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
