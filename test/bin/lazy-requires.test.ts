import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lazyRequires } from '../../bin/build';
import { ROOT } from '../helpers/run';

/**
 * The bundles load CDKTF's asset zipping and its Terraform version check only when called (see
 * LAZY_REQUIRES in bin/build.js). Bundling CDKTF with the plugin shows both rewrites applied,
 * so a CDKTF upgrade that changes those lines fails here, not silently.
 */
describe('lazy requires in the bundles', () => {
  it('rewrite CDKTF eager requires of archiver and semver into calls on first use', async () => {
    const result = await build({
      stdin: { contents: 'require("cdktf");', resolveDir: ROOT, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
      plugins: [lazyRequires],
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toMatch(/var archiver = \(\.\.\.args\) => require_archiver\d*\(\)\(\.\.\.args\);/);
    expect(code).toMatch(
      /var semver = \{ satisfies: \(\.\.\.args\) => require_semver\d*\(\)\.satisfies\(\.\.\.args\) \};/,
    );
    expect(code).not.toMatch(/var archiver = require_archiver\d*\(\);/);
  });
});
