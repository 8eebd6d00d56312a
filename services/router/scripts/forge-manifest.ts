/**
 * `npm run forge:manifest`: writes forge/manifest.yml from forge/manifest.env (overridden by the
 * environment). `--check` fails instead of writing when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { manifestPaths, readManifestEnv, renderForgeManifest } from './manifest-file.js';

const env = { ...readManifestEnv(readFileSync(manifestPaths.env, 'utf8')), ...pickDefined(process.env) };
const text = renderForgeManifest(env);
if (process.argv.includes('--check')) {
  if (readFileSync(manifestPaths.manifest, 'utf8') !== text) {
    process.stderr.write(`${manifestPaths.manifest} is stale: run npm run forge:manifest\n`);
    process.exit(1);
  }
} else {
  writeFileSync(manifestPaths.manifest, text);
  process.stdout.write(`wrote ${manifestPaths.manifest}\n`);
}

function pickDefined(source: NodeJS.ProcessEnv): Record<string, string> {
  const names = Object.keys(readManifestEnv(readFileSync(manifestPaths.env, 'utf8')));
  return Object.fromEntries(
    names.filter((n) => source[n] !== undefined && source[n] !== '').map((n) => [n, source[n]!]),
  );
}
