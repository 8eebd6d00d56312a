import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: resolve workspace packages to their TypeScript sources (the
 * `development` export condition), generous timeouts for tests that talk to real Postgres,
 * Redis and S3, and at most two worker processes (this machine has two cores).
 */
export const sharedVitestConfig = defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'], externalConditions: ['development'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits up to 10 s (vitest's default is 1 s): a browser round trip through the
    // real router took longer than that under the full suite's load.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: 2,
    include: ['test/**/*.test.ts'],
    // The JSON report feeds the root summary line (and is cached by turbo with the run).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-results.json' },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
