import { defineConfig } from 'vitest/config';

/** `npm run conformance`: checks against the reference material in ../shared (or $SHARED_DIR). */
export default defineConfig({
  test: {
    include: ['conformance/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
