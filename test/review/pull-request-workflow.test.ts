import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run';

/** The parts of a GitHub Actions workflow this test reads. */
interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly on: { readonly pull_request: { readonly types: readonly string[] } };
  readonly permissions: Record<string, string>;
  readonly jobs: Record<
    string,
    { readonly 'runs-on': string; readonly env?: Record<string, string>; readonly steps: readonly Step[] }
  >;
}

const FILE = join(ROOT, '.github', 'workflows', 'pull-request.yml');
const text = readFileSync(FILE, 'utf8');
const workflow = parse(text) as Workflow;
const jobs = Object.values(workflow.jobs);
const steps = jobs.flatMap((job) => job.steps);
const position = (predicate: (step: Step) => boolean): number => steps.findIndex(predicate);
const running = (command: string) => (step: Step) => step.run?.includes(command) === true;

describe('the pull request workflow', () => {
  it('runs on pull requests, again when labels change, with the least permissions', () => {
    expect(workflow.on.pull_request.types).toEqual([
      'opened',
      'synchronize',
      'reopened',
      'labeled',
      'unlabeled',
    ]);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(jobs).toHaveLength(1);
  });

  it('pins every action by commit SHA, with the version in a comment', () => {
    const uses = steps.filter((step) => step.uses !== undefined);
    expect(uses.map((step) => step.uses?.split('@')[0])).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/cache',
      'actions/github-script',
    ]);
    for (const step of uses) {
      expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(text).toMatch(new RegExp(`${step.uses ?? ''} # v\\d+\\.\\d+\\.\\d+`));
    }
    expect(steps[0]?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
  });

  it('installs, fetches the pinned schemas, then runs .ci/run (tests, drift gates) against that download', () => {
    const install = position(running('npm ci'));
    const schemas = position(running('npm run schemas'));
    const gate = position((step) => step.run?.trim() === '.ci/run');
    expect(install).toBeGreaterThanOrEqual(0);
    expect(schemas).toBeGreaterThan(install);
    expect(gate).toBeGreaterThan(schemas);
    // Downloading needs SCHEMA_DIR unset; the drift gate regenerates from that verified download.
    expect(steps[schemas]?.env).toBeUndefined();
    expect(jobs[0]?.env).toBeUndefined();
    expect(steps[gate]?.env).toEqual({
      SCHEMA_SOURCE: '${{ github.workspace }}/.cache/schemas',
      CONFORMANCE: 'skip',
    });
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    for (const command of [
      'npm ci',
      'npm test',
      'SCHEMA_DIR="$schema_source" npm run schemas',
      'git diff --exit-code',
      'bash .ci/gate',
      'node .ci/user-changes.mjs',
      'schema_source="${SCHEMA_SOURCE:-$shared/schemas}"',
      'if [ "${CONFORMANCE:-run}" = skip ]',
    ])
      expect(ci, command).toContain(command);
    // The platform gate: synth with the drift check, validate, and the diff against a base.
    const gateScript = readFileSync(join(ROOT, '.ci', 'gate'), 'utf8');
    for (const command of [
      'npm run -s synth -- --quiet "${config[@]}"',
      'git diff --exit-code --stat -- dist/',
      'npm run -s validate',
      'npm run -s diff -- --committed --base "$base" --fail-on destructive',
      'PLATFORM_CONFIG',
    ])
      expect(gateScript, command).toContain(command);
  });

  it('diffs against the base branch as markdown, posts it as one comment, and gates on warnings', () => {
    const diff = steps.find((step) => step.id === 'diff');
    expect(diff?.run).toContain(
      'npm run --silent diff -- --committed --base "origin/${GITHUB_BASE_REF}" --markdown --fail-on destructive > "$RUNNER_TEMP/dist-diff.md"',
    );
    expect(position((step) => step.id === 'diff')).toBeGreaterThan(
      position((step) => step.run?.trim() === '.ci/run'),
    );
    const comment = steps.find((step) => step.uses?.startsWith('actions/github-script@') === true);
    expect(comment?.env).toEqual({ DIFF_FILE: '${{ runner.temp }}/dist-diff.md' });
    expect(comment?.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    const script = String(comment?.with?.script);
    expect(script).toContain('github.rest.issues.updateComment');
    expect(script).toContain('github.rest.issues.createComment');
    const gate = steps[steps.length - 1];
    expect(gate?.if).toBe(
      "steps.diff.outputs.exit-code == '2' && !contains(github.event.pull_request.labels.*.name, 'allow-destructive')",
    );
    expect(gate?.run).toContain('exit 1');
    expect(readFileSync(join(ROOT, 'docs', 'review-and-day2.md'), 'utf8')).toContain('`allow-destructive`');
  });

  it('has shell steps bash can parse and a github-script body JavaScript can compile', () => {
    for (const step of steps.filter((s) => s.run !== undefined)) {
      const check = spawnSync('bash', ['-n'], { input: step.run, encoding: 'utf8' });
      expect(check.status, `${step.name ?? ''}: ${check.stderr}`).toBe(0);
    }
    const script = String(
      steps.find((step) => step.uses?.startsWith('actions/github-script@') === true)?.with?.script,
    );
    // github-script runs the body inside an async function; compile it the same way (not run).
    expect(() => new Script(`(async (require, github, context, process) => {\n${script}\n})`)).not.toThrow();
  });
});
