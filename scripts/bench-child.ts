/**
 * One measured process for `npm run bench`. `synth N J` renders a generated platform of N teams
 * with J jobs each (N = 0: the embedded default), validates it and writes it to a new folder
 * (`$EMR_EKS_GITOPS_BENCH_OUT`, else a temporary one) as `npm run synth` does; `validate`
 * renders the default once and times validating it as synth does (the objects in memory, transition rules against dist/ at git HEAD).
 * Prints `{ maxRssMiB, workMs, workCpuMs }` as JSON (the work's wall and CPU time); the parent
 * times the whole process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultPlatform, loadPlatform } from '../config';
import { NO_JOB_FILES } from '../config/job-files';
import { generatedPlatform } from '../pipeline/generate';
import { loadModel } from '../pipeline/load-model';
import { renderPlatform } from '../pipeline/render';
import { validateRender } from '../pipeline/validate-render';
import { replaceDirectory } from '../pipeline/write';

const [mode = 'synth', teamsArg = '0', jobsArg = '0'] = process.argv.slice(2);

async function main(): Promise<void> {
  let workMs = 0;
  let cpu = process.cpuUsage();
  if (mode === 'synth') {
    const started = performance.now();
    const teams = Number(teamsArg);
    // Generated teams have no job files; the repository's (the seed's, in team a) are the default's.
    const platform =
      teams === 0
        ? loadPlatform(defaultPlatform)
        : loadPlatform(generatedPlatform(teams, Number(jobsArg)), NO_JOB_FILES);
    // Synth renders after an await (it waits there for the renderer's modules), so its render runs
    // from the event loop, not below the frames of the launcher loading this bundle; CDKTF copies
    // every frame into the stack trace it keeps per token, so the bench renders the same way.
    await Promise.resolve();
    // The bench gives each run its own new folder and removes them all at its end; run by hand,
    // the child uses (and afterwards removes) a temporary one. Removing the output is not synth's
    // work, so it is never timed.
    const given = process.env.EMR_EKS_GITOPS_BENCH_OUT;
    const out = given !== undefined && given !== '' ? given : mkdtempSync(join(tmpdir(), 'bench-'));
    // As synth does: render, validate, then write.
    const { files, objects } = renderPlatform(loadModel(platform));
    const { findings } = validateRender(files, join(out, 'dist'), objects);
    if (findings.length > 0)
      throw new Error(`${findings.length} validation findings, e.g. ${JSON.stringify(findings[0])}`);
    replaceDirectory(join(out, 'dist'), files);
    workMs = performance.now() - started;
    if (out !== given) rmSync(out, { recursive: true, force: true });
  } else if (mode === 'validate') {
    const { files, objects } = renderPlatform(loadModel(loadPlatform(defaultPlatform)));
    cpu = process.cpuUsage();
    const started = performance.now();
    const { findings } = validateRender(files, resolve(__dirname, '..', 'dist'), objects);
    if (findings.length > 0) throw new Error(`${findings.length} validation findings`);
    workMs = performance.now() - started;
  } else {
    throw new Error(`bench-child: unknown mode ${mode} (synth or validate)`);
  }
  const used = process.cpuUsage(cpu);
  const workCpuMs = (used.user + used.system) / 1000;
  process.stdout.write(
    `${JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, workMs, workCpuMs })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-child: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
