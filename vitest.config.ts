import { defineConfig } from 'vitest/config';

// `npm test`: unit, property and integration tests. Browser tests live in test/e2e and run
// with `npm run test:e2e` (vitest.e2e.config.ts); the benchmark is `npm run bench`.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/bench/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
