import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests own their platforms (test/fixtures/): code that reads the repository's job files
    // reads the seed fixture's, here and in every CLI a test spawns (they inherit the variable).
    env: { EMR_EKS_GITOPS_ROOT: resolve(__dirname, 'test', 'fixtures', 'seed') },
    globalSetup: ['test/helpers/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Three workers on a 2-core machine: most tests wait on the CLI processes they spawn (2: 56 s,
    // 3: 52 s, 4: 58 s for the suite here).
    poolOptions: { forks: { minForks: 3, maxForks: 3 } },
    isolate: false,
    snapshotFormat: { printBasicPrototype: false },
  },
});
