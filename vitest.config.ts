import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const guard = path.resolve(import.meta.dirname, 'test/helpers/network-guard.mjs');

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The CLI tests run the built binary: `npm test` builds first.
    globalSetup: ['test/helpers/global-setup.ts'],
    // The network rule: device traffic stays on loopback, in the workers and in every node process they start.
    setupFiles: [guard],
    env: {
      TOEZICHT_NETWORK_GUARD: '1',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(guard).href}`.trim(),
    },
  },
});
