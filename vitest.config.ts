import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    setupFiles: ['./test/setup.ts'],
    // Each test file boots its own databases and servers; two workers match the two cores here.
    maxWorkers: 2,
  },
});
