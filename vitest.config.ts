import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve `graphql` as Node does (its CommonJS build): one graphql realm shared with the
  // CommonJS Apollo packages, as in production. Vite would otherwise pick the `.mjs` build.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    setupFiles: ['./test/setup.ts'],
    // Names the seeded databases the workers copy from, and removes them at the end of the run.
    globalSetup: ['./test/global-setup.ts'],
    // Each test file boots its own databases and servers; two workers match the two cores here.
    maxWorkers: 2,
    // A worker runs its files one after another in one module graph: importing the stack anew
    // for each of ~170 files summed to 422 s of import in a 1,170 s PostgreSQL run, and without
    // it the SQLite suite went from 874 s to 463 s. Files keep nothing between them (each
    // closes what it opened; test/setup.ts fails a file that leaves process.env, signal
    // listeners or OpenTelemetry globals changed), so they need no fresh realm each.
    isolate: false,
  },
});
