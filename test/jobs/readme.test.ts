import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_ROOT } from '../fixtures';
import { ROOT, runScript } from '../helpers/run';

/**
 * Runs the commands of jobs/README.md, section by section, in a scratch repository that holds
 * only `jobs/` (a copy of the seed fixture's) and the `dist/` synth renders from it: a data engineer's
 * view, with no TypeScript in reach. `origin/main` is moved forward after each section, as a
 * merged pull request would.
 */

const README = readFileSync(join(ROOT, 'jobs', 'README.md'), 'utf8');
const repo = mkdtempSync(join(tmpdir(), 'jobs-readme-'));
const env = { EMR_EKS_GITOPS_ROOT: repo };
const TEAM_DIR = join(repo, 'dist', 'default', 'k8s', 'team-emr-data-team-b', 'emr-data-team-b');
const JOB_FILE = 'jobs/emr-data-team-b/daily-report.yaml';
const SLOW = 300_000;

interface Block {
  readonly lang: string;
  readonly body: string;
  /** The paragraph just before the block. */
  readonly before: string;
}

/** The fenced blocks of one `## ` section of the README, in order. */
function blocks(title: string): Block[] {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`jobs/README.md has no section "${title}"`);
  const end = README.indexOf('\n## ', start + 1);
  const text = README.slice(start, end === -1 ? undefined : end);
  const found: Block[] = [];
  let last = 0;
  for (const match of text.matchAll(/^```(\w*)\n([\s\S]*?)\n```$/gm)) {
    const prose = text
      .slice(last, match.index)
      .split('\n\n')
      .filter((p) => p.trim() !== '');
    found.push({ lang: match[1] ?? '', body: match[2] ?? '', before: prose.pop() ?? '' });
    last = match.index + match[0].length;
  }
  return found;
}

function git(...args: string[]): string {
  const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Runs one README command line: `npm run <verb> -- …` through the CLI, anything else in bash. */
function command(line: string): { stdout: string; stderr: string; status: number | null } {
  const npm = /^npm run ([\w-]+)(?: -- (.*))?$/.exec(line);
  const result = npm
    ? runScript(npm[1] ?? '', (npm[2] ?? '').split(' ').filter(Boolean), { cwd: repo, env })
    : spawnSync('bash', ['-euo', 'pipefail', '-c', line], { cwd: repo, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/**
 * Runs a section's blocks: shell lines, files to create, lines to change. Returns the output of
 * each command. Yields between commands so the test worker stays responsive during long runs.
 */
async function runSection(title: string): Promise<Map<string, string>> {
  const outputs = new Map<string, string>();
  for (const block of blocks(title)) {
    if (block.lang === 'sh') {
      for (const line of block.body.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))) {
        const result = command(line);
        expect(result.status, `${line}\n${result.stderr}`).toBe(0);
        outputs.set(line, result.stdout);
        await tick();
      }
    } else if (block.lang === 'yaml') {
      const path = [...block.before.matchAll(/`(jobs\/[^`]+\.yaml)`/g)].pop()?.[1];
      if (path === undefined) throw new Error(`no file named before a yaml block of "${title}"`);
      const file = join(repo, path);
      if (block.body.startsWith('# yaml-language-server:')) writeFileSync(file, `${block.body}\n`);
      else {
        // A change: each line replaces the file's line of the same top-level key.
        let text = readFileSync(file, 'utf8');
        for (const line of block.body.split('\n')) {
          const key = line.split(':')[0] ?? '';
          const pattern = new RegExp(`^${key}:.*$`, 'm');
          expect(text, `${path} has a ${key} line to change`).toMatch(pattern);
          text = text.replace(pattern, line);
        }
        writeFileSync(file, text);
      }
    }
  }
  return outputs;
}

/** The names of the team's rendered objects of one kind (from `<Kind>.<name>.yaml`). */
function rendered(kind: string): string[] {
  return readdirSync(TEAM_DIR)
    .filter((file) => file.startsWith(`${kind}.`))
    .map((file) => file.slice(kind.length + 1, -'.yaml'.length))
    .sort();
}

function merge(): void {
  expect(git('status', '--porcelain')).toBe('');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
}

beforeAll(() => {
  cpSync(join(SEED_ROOT, 'jobs'), join(repo, 'jobs'), { recursive: true });
  git('init', '--quiet', '--initial-branch', 'main');
  git('config', 'user.email', 'data-engineer@example.com');
  git('config', 'user.name', 'Data Engineer');
  git('config', 'commit.gpgsign', 'false');
  const synth = runScript('synth', ['--quiet'], { cwd: repo, env });
  expect(synth.status, synth.stderr).toBe(0);
  git('add', '-A');
  git('commit', '--quiet', '-m', 'The platform as it is');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
}, SLOW);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('jobs/README.md, run as written', () => {
  let jobRun = '';
  let uploader = '';

  it(
    'adds a job to team b in YAML only: synth renders its JobRun and upload Job, the diff shows them',
    async () => {
      const uploadersBefore = rendered('Job');
      expect(rendered('JobRun')).toEqual([]);
      const outputs = await runSection('Add a job');
      const jobRuns = rendered('JobRun');
      expect(jobRuns).toEqual([expect.stringMatching(/^daily-report-[0-9a-f]{8}$/)]);
      jobRun = jobRuns[0] ?? '';
      const [added] = rendered('Job').filter((name) => !uploadersBefore.includes(name));
      expect(added).toMatch(/^upload-artifacts-[0-9a-f]{8}$/);
      uploader = added ?? '';
      expect(rendered('ConfigMap')).toContain('spark-job-files');

      const object = load(readFileSync(join(TEAM_DIR, `JobRun.${jobRun}.yaml`), 'utf8')) as {
        metadata: { namespace: string; labels: Record<string, string> };
        spec: { jobDriver: { sparkSubmitJobDriver: { entryPoint: string } } };
      };
      expect(object.metadata.namespace).toBe('emr-data-team-b');
      expect(object.metadata.labels['emr-eks-gitops/job']).toBe('daily-report');
      expect(object.spec.jobDriver.sparkSubmitJobDriver.entryPoint).toMatch(
        /^s3:\/\/emr-eks-karpenter-emr-data-team-b-[^/]+\/artifacts\/[0-9a-f]{64}\/daily-report\.py$/,
      );

      const diff = outputs.get('npm run diff') ?? '';
      expect(diff).toContain(`emr-data-team-b/${jobRun}`);
      expect(diff).toContain(`emr-data-team-b/${uploader}`);
      expect(diff).toMatch(/JobRun/);
      merge();
    },
    SLOW,
  );

  it(
    'changes the job: a new JobRun replaces the old one',
    async () => {
      const outputs = await runSection('Change a job');
      const [next] = rendered('JobRun');
      expect(next).toMatch(/^daily-report-[0-9a-f]{8}$/);
      expect(next).not.toBe(jobRun);
      expect(rendered('Job')).toContain(uploader); // the files did not change
      const diff = outputs.get('npm run diff') ?? '';
      expect(diff).toContain(`emr-data-team-b/${jobRun}`);
      expect(diff).toContain(`emr-data-team-b/${next ?? ''}`);
      jobRun = next ?? '';
      merge();
    },
    SLOW,
  );

  it(
    'reruns the job: one line added to its file, a new JobRun, the next steps printed',
    async () => {
      const before = readFileSync(join(repo, JOB_FILE), 'utf8');
      const outputs = await runSection('Run a job again');
      expect(readFileSync(join(repo, JOB_FILE), 'utf8')).toBe(`${before}rerun: 1\n`);
      const rerun = outputs.get('npm run rerun -- emr-data-team-b/daily-report') ?? '';
      expect(rerun).toMatch(
        /^emr-data-team-b\/daily-report\s+jobs\/emr-data-team-b\/daily-report\.yaml\s+0 -> 1$/m,
      );
      expect(rerun).toContain('npm run synth');
      expect(rerun).toContain('npm run diff');
      expect(rerun).toContain('git commit');
      const [next] = rendered('JobRun');
      expect(next).not.toBe(jobRun);
      const diff = outputs.get('npm run diff') ?? '';
      expect(diff).toContain(`emr-data-team-b/${jobRun}`);
      expect(diff).toContain(`emr-data-team-b/${next ?? ''}`);
      jobRun = next ?? '';
      merge();
    },
    SLOW,
  );

  it(
    'retires the job: its JobRun leaves dist/, the diff shows it removed',
    async () => {
      const outputs = await runSection('Retire a job');
      expect(rendered('JobRun')).toEqual([]);
      expect(rendered('ConfigMap')).not.toContain('spark-job-files');
      expect(outputs.get('npm run diff') ?? '').toContain(`emr-data-team-b/${jobRun}`);
      merge();
    },
    SLOW,
  );

  it(
    'schedules a job: a template and a launch CronJob instead of a JobRun, the next runs in the diff',
    async () => {
      const outputs = await runSection('Schedule a job');
      expect(rendered('JobRun')).toEqual([]);
      expect(rendered('CronJob')).toEqual(['launch-nightly-ingest']);
      expect(rendered('ConfigMap')).toContainEqual(
        expect.stringMatching(/^jobrun-nightly-ingest-[0-9a-f]{8}$/),
      );
      const cron = load(readFileSync(join(TEAM_DIR, 'CronJob.launch-nightly-ingest.yaml'), 'utf8')) as {
        spec: { schedule: string; timeZone: string };
      };
      expect(cron.spec).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Europe/Berlin' });
      const diff = outputs.get('npm run diff') ?? '';
      expect(diff).toContain('CronJob emr-data-team-b/launch-nightly-ingest');
      expect(diff).toMatch(/next runs: \d{4}-\d\d-\d\d 02:00 Europe\/Berlin/);
      merge();
    },
    SLOW,
  );

  it(
    'runs a job after another: the follow-up launcher, and a warning for a retry over data written in place',
    async () => {
      const outputs = await runSection('Run a job after another');
      expect(rendered('CronJob')).toEqual(['job-follow-up', 'launch-nightly-ingest']);
      expect(rendered('ConfigMap')).toContainEqual(
        expect.stringMatching(/^jobrun-nightly-report-[0-9a-f]{8}$/),
      );
      expect(rendered('JobRun')).toEqual([]);
      const diff = outputs.get('npm run diff') ?? '';
      expect(diff).toContain('CronJob emr-data-team-b/job-follow-up');
      expect(diff).toMatch(
        /job nightly-report retries \(2 attempts\) and passes team data locations \(s3:\/\/[^ ]+\/data\/nightly-ingest\/output\/, s3:\/\/[^ ]+\/data\/nightly-report\/output\/\)/,
      );
      merge();
    },
    SLOW,
  );

  it(
    'retries a failed run: three attempts, said to be idempotent, so the diff no longer warns',
    async () => {
      const outputs = await runSection('Retry a failed run');
      expect(readFileSync(join(repo, 'jobs/emr-data-team-b/nightly-report.yaml'), 'utf8')).toContain(
        'retry: { attempts: 3, backoff: 10m, idempotent: true }',
      );
      const diff = outputs.get('npm run diff') ?? '';
      expect(diff).toMatch(/ConfigMap emr-data-team-b\/job-launcher-/);
      expect(diff).not.toContain('retries (');
      merge();
    },
    SLOW,
  );

  it(
    'prints the errors it shows for a broken job file, and writes nothing',
    () => {
      const [example] = blocks('Add a job').filter((block) => block.lang === 'yaml');
      const [shown] = blocks('When something is wrong').filter((block) => block.lang === '');
      // The two mistakes the example output describes: a misspelt key and a word for a number.
      const broken = (example?.body ?? '')
        .replace(/^nodePool:/m, 'nodepool:')
        .replace(/instances: 2 \}$/m, 'instances: four }');
      mkdirSync(dirname(join(repo, JOB_FILE)), { recursive: true });
      writeFileSync(join(repo, JOB_FILE), `${broken}\n`);
      const result = command('npm run synth');
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual(shown?.body.split('\n'));
      rmSync(join(repo, JOB_FILE));
      expect(git('status', '--porcelain')).toBe('');
    },
    SLOW,
  );
});
