import { build, type OnLoadArgs, type OnLoadResult, type Plugin, type PluginBuild } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleOptions } from '../../bin/build';
import { ROOT } from '../helpers/run';

/**
 * Decision 17 (docs/decisions.md): the precompiled CLI patches no third-party file and overrides no Node
 * internals, so upgrading cdktf, CDK Terrain or cdk8s stays a version bump.
 */
const BIN = join(ROOT, 'bin');
const binSources = readdirSync(BIN)
  .filter((name) => name.endsWith('.js'))
  .map((name) => ({
    name,
    // Comments may name what the code must not do.
    code: readFileSync(join(BIN, name), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, ''),
  }));

/** A dependency's file, wherever node_modules lives (the checkout's or a linked one). */
const inNodeModules = (file: string) => /[\\/]node_modules[\\/]/.test(file);

describe('bin/ patches nothing', () => {
  it('bundles every file under node_modules as published: no plugin loads one itself', async () => {
    const options = bundleOptions(join(tmpdir(), 'no-patches-unwritten'));
    const replaced: string[] = [];
    /** Each plugin, with every load callback watched for returning a dependency's contents. */
    const watched = (options.plugins ?? []).map((plugin): Plugin => ({
      name: plugin.name,
      setup(pluginBuild) {
        const onLoad: PluginBuild['onLoad'] = (filter, callback) =>
          pluginBuild.onLoad(filter, async (args: OnLoadArgs) => {
            const result: OnLoadResult | null | undefined = await callback(args);
            if (result?.contents !== undefined && inNodeModules(args.path))
              replaced.push(`${plugin.name}: ${args.path}`);
            return result;
          });
        return plugin.setup({ ...pluginBuild, onLoad });
      },
    }));
    const result = await build({ ...options, plugins: watched, write: false });
    expect(result.errors).toEqual([]);
    // The bundles do include the dependencies this is about.
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => /node_modules\/cdktf\/lib\//.test(input))).toBe(true);
    expect(inputs.some((input) => /node_modules\/cdk8s\/lib\//.test(input))).toBe(true);
    expect(replaced).toEqual([]);
  });

  it('overrides no part of Node’s module loader', () => {
    for (const { name, code } of binSources) {
      expect(code, name).not.toMatch(/\bModule\s*\.\s*(?:prototype|_\w+)/);
      expect(code, name).not.toMatch(/\b_compile\b|\b_load\b|\b_resolveFilename\b/);
      expect(code, name).not.toMatch(/\brequire\s*\.\s*(?:cache|extensions)\b/);
      expect(code, name).not.toMatch(/\bsetFlagsFromString\b/);
    }
  });

  it('writes nothing under node_modules', () => {
    const write =
      /\b(?:writeFile|writeFileSync|appendFileSync|renameSync|copyFileSync|cpSync|mkdirSync|rmSync|unlinkSync|symlinkSync|createWriteStream|utimesSync)\s*\(([^)]*)\)/g;
    const targets = binSources.flatMap(({ name, code }) =>
      [...code.matchAll(write)].map((match) => `${name}: ${match[1] ?? ''}`),
    );
    // The pattern does see the writes bin/ makes (the build, its stamp, the code cache).
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((target) => /node_modules/.test(target))).toEqual([]);
  });
});
