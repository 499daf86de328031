/**
 * One measured process for `npm run bench`. `floor` loads exactly what synth loads and stops;
 * `synth N` (N = 0 for the embedded default, else N generated teams) renders, validates and
 * writes to a temporary directory, as `npm run synth` does; `validate` renders the default once
 * and times validating it (cold when the parent disables the validator cache).
 * Prints `{ maxRssMiB, workMs }` as JSON; the parent times the whole process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPlatform, loadPlatform } from '../config';
import { NO_JOB_FILES } from '../config/job-files';
import { generatedPlatform } from '../pipeline/generate';
import { renderPlatform } from '../pipeline/render';
import { validateRender } from '../pipeline/validate-render';
import { replaceDirectory } from '../pipeline/write';

const [mode = 'floor', teamsArg = '0'] = process.argv.slice(2);
let workMs = 0;
if (mode === 'synth') {
  const started = performance.now();
  const teams = Number(teamsArg);
  // Generated teams have no job files; the repository's (the seed's, in team a) are the default's.
  const platform =
    teams === 0 ? loadPlatform(defaultPlatform) : loadPlatform(generatedPlatform(teams), NO_JOB_FILES);
  const out = mkdtempSync(join(tmpdir(), 'bench-'));
  const { files, objects } = renderPlatform(platform);
  const { findings } = validateRender(files, join(out, 'dist'), objects);
  if (findings.length > 0) throw new Error(`${findings.length} validation findings`);
  replaceDirectory(join(out, 'dist'), files);
  rmSync(out, { recursive: true, force: true });
  workMs = performance.now() - started;
} else if (mode === 'validate') {
  const { files, objects } = renderPlatform(loadPlatform(defaultPlatform));
  const started = performance.now();
  const { findings } = validateRender(files, join(tmpdir(), 'bench-validate-dist'), objects);
  if (findings.length > 0) throw new Error(`${findings.length} validation findings`);
  workMs = performance.now() - started;
}
process.stdout.write(`${JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, workMs })}\n`);
