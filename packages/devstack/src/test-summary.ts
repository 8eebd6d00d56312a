import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Adds up the vitest JSON reports of every workspace (written by the shared vitest config to
 * `test-artifacts/vitest-results.json`, restored by turbo's cache too) into one closing line.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
let passed = 0;
let failed = 0;
let skipped = 0;
let suites = 0;
const workspaces = [
  ...['packages', 'services'].flatMap((dir) => readdirSync(`${root}${dir}`).map((name) => `${dir}/${name}`)),
  'infra',
];
for (const file of workspaces
  .map((w) => `${w}/test-artifacts/vitest-results.json`)
  .filter((f) => existsSync(`${root}${f}`))) {
  const report = JSON.parse(readFileSync(`${root}${file}`, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  suites++;
}
process.stdout.write(
  `\n${suites} workspaces reported\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`,
);
process.exit(failed > 0 || suites === 0 ? 1 : 0);
