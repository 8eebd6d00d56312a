import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

// Each stack test file runs a whole two-region stack (12 processes): one at a time on 2 cores.
export default mergeConfig(sharedVitestConfig, defineConfig({ test: { fileParallelism: false } }));
