import {defineConfig} from 'vitest/config'

/**
 * Four suites, each runnable on its own (`npm run test:unit`, …); `npm test`
 * runs them all:
 *
 * * `unit`: behaviour of each part, on small inputs (seconds);
 * * `corpus`: the real books in `../shared` (skipped where it is missing);
 * * `e2e`: real mdBook builds, the built binary, the packed tarball;
 * * `stress`: generated inputs in the thousands and hostile books.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: ['unit', 'corpus', 'e2e', 'stress'].map((name) => ({
      extends: true,
      test: {name, include: ['test/' + name + '/**/*.test.ts']}
    }))
  }
})
