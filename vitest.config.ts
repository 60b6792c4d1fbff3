import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // a hang guard, not a time limit: CLI tests that start Chromium and an app take 20-60 s on a busy 2-core machine
    testTimeout: 150_000,
    hookTimeout: 150_000,
    pool: 'forks',
  },
});
