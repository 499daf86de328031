/**
 * One measured process for `npm run bench`. `floor` loads exactly what synth loads and stops;
 * `synth N` (N = 0 for the embedded default, else N generated teams) renders and writes to a
 * temporary directory. Prints `{ maxRssMiB }` as JSON; the parent times the whole process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPlatform, loadPlatform } from '../config';
import { generatedPlatform } from '../pipeline/generate';
import { renderPlatform } from '../pipeline/render';
import { replaceDirectory } from '../pipeline/write';

const [mode = 'floor', teamsArg = '0'] = process.argv.slice(2);
if (mode === 'synth') {
  const teams = Number(teamsArg);
  const platform = loadPlatform(teams === 0 ? defaultPlatform : generatedPlatform(teams));
  const out = mkdtempSync(join(tmpdir(), 'bench-'));
  replaceDirectory(join(out, 'dist'), renderPlatform(platform).files);
  rmSync(out, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
