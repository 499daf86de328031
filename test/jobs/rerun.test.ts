import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  lstatSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { parseJobRef, planRerun, RerunError, rerunLockPath } from '../../ops/rerun';
import { runScript, runScriptAsync } from '../helpers/run';

const scratch = mkdtempSync(join(tmpdir(), 'rerun-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let repos = 0;

const FILE = 'jobs/emr-data-team-b/daily-report.yaml';

/** A scratch repository holding these files (path → text). */
function repo(files: Record<string, string>): string {
  const root = join(scratch, String(repos++));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The text `rerun` would write for a job file holding `text`. */
function bumped(text: string): string {
  return planRerun(repo({ [FILE]: text }), 'emr-data-team-b/daily-report').text;
}

const JOB = [
  '# yaml-language-server: $schema=../job.schema.json',
  '# The daily report.   (comments, spacing and quoting stay as they are)',
  'name: daily-report',
  "script: 'local:///usr/lib/spark/examples/src/main/python/pi.py'",
  'executor: {instances: 2}   # two',
  '',
].join('\n');

describe('rerun', () => {
  it('adds `rerun: 1` as the last line when the file has no counter, changing nothing else', () => {
    expect(bumped(JOB)).toBe(`${JOB}rerun: 1\n`);
  });

  it('replaces only the value of an existing counter, keeping its comment', () => {
    const text = JOB.replace('executor:', 'rerun: 3 # the third run\nexecutor:');
    expect(bumped(text)).toBe(text.replace('rerun: 3 #', 'rerun: 4 #'));
  });

  it('keeps a file without a final newline and with CRLF line ends as it is', () => {
    expect(bumped(JOB.trimEnd())).toBe(`${JOB}rerun: 1\n`);
    const crlf = JOB.replace(/\n/g, '\r\n');
    expect(bumped(crlf)).toBe(`${crlf}rerun: 1\r\n`);
  });

  it('adds the counter inside a file written as one flow mapping', () => {
    const flow = "{ name: daily-report, script: 'local:///usr/lib/spark/examples/src/main/python/pi.py' }\n";
    expect(bumped(flow)).toBe(
      "{ name: daily-report, script: 'local:///usr/lib/spark/examples/src/main/python/pi.py', rerun: 1 }\n",
    );
  });

  it('refuses a job file with problems, at their file:line:col', () => {
    expect(() => bumped(JOB.replace('executor:', 'executors:'))).toThrow(
      new ConfigError([
        {
          location: `${FILE}:5:1`,
          path: 'executors',
          value: { instances: 2 },
          rule: 'is not a job field; did you mean executor?',
        },
      ]),
    );
  });

  it.each([
    [
      'emr-data-team-b',
      'rerun: emr-data-team-b is not a job: name it <team>/<job> (such as emr-data-team-a/taxi-ebs) or by its file, jobs/<team>/<job>.yaml.',
    ],
    [
      'emr-data-team-c/daily-report',
      'rerun: emr-data-team-c/daily-report names no team folder jobs/emr-data-team-c/; did you mean emr-data-team-b/daily-report? (team folders: emr-data-team-b).',
    ],
    [
      'emr-data-team-b/daily-reprot',
      'rerun: emr-data-team-b/daily-reprot names no job file jobs/emr-data-team-b/daily-reprot.yaml; did you mean emr-data-team-b/daily-report? (jobs of emr-data-team-b: daily-report). A job defined in TypeScript (config/) is rerun by bumping its rerun field there.',
    ],
  ])('refuses %s with one sentence', (ref, message) => {
    expect(() => planRerun(repo({ [FILE]: JOB }), ref)).toThrow(new RerunError(message));
  });

  it('refuses a job file that is a symbolic link, and leaves the link as it is', () => {
    const root = repo({ 'elsewhere/daily-report.yaml': JOB, 'jobs/emr-data-team-b/.keep': '' });
    symlinkSync('../../elsewhere/daily-report.yaml', join(root, FILE));
    expect(() => planRerun(root, 'emr-data-team-b/daily-report')).toThrow(
      new RerunError(
        `rerun: ${FILE} is a symbolic link to ../../elsewhere/daily-report.yaml, and rerun would replace the link with a copy of the file; bump the rerun counter in the file itself by hand.`,
      ),
    );
    expect(lstatSync(join(root, FILE)).isSymbolicLink()).toBe(true);
  });

  it('refuses a team folder that is a symbolic link', () => {
    const root = repo({ 'elsewhere/daily-report.yaml': JOB, 'jobs/.keep': '' });
    symlinkSync('../elsewhere', join(root, 'jobs', 'emr-data-team-b'));
    expect(() => planRerun(root, 'emr-data-team-b/daily-report')).toThrow(
      new RerunError(
        'rerun: jobs/emr-data-team-b is a symbolic link to ../elsewhere, and rerun would replace the link with a copy of the file; bump the rerun counter in the file itself by hand.',
      ),
    );
  });

  it('refuses to bump a counter past 2^53 - 1, which synth would refuse', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(bumped(`${JOB}rerun: ${max - 1}\n`)).toBe(`${JOB}rerun: ${max}\n`);
    expect(() => bumped(`${JOB}rerun: ${max}\n`)).toThrow(
      new RerunError(
        `rerun: ${FILE} holds rerun: ${max}, the largest counter synth accepts (2^53 - 1), so it cannot be bumped: set rerun to a smaller number by hand.`,
      ),
    );
  });

  it('takes a job as <team>/<job> or as its file path', () => {
    expect(parseJobRef('emr-data-team-b/daily-report')).toEqual({
      team: 'emr-data-team-b',
      job: 'daily-report',
    });
    expect(parseJobRef('jobs/emr-data-team-b/daily-report.yaml')).toEqual({
      team: 'emr-data-team-b',
      job: 'daily-report',
    });
    expect(parseJobRef('./jobs/emr-data-team-b/daily-report.yaml')).toEqual({
      team: 'emr-data-team-b',
      job: 'daily-report',
    });
  });
});

describe('npm run rerun', () => {
  it('prints --help', () => {
    const help = runScript('rerun', ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run rerun -- <team>/<job>');
  });

  it('bumps each named job once, atomically, keeping the file mode, and prints the next steps', () => {
    const other = 'jobs/emr-data-team-b/weekly.yaml';
    const root = repo({ [FILE]: JOB, [other]: JOB.replace('name: daily-report', 'name: weekly') });
    chmodSync(join(root, FILE), 0o640);
    const result = runScript('rerun', ['emr-data-team-b/daily-report', FILE, 'emr-data-team-b/weekly'], {
      env: { EMR_EKS_GITOPS_ROOT: root },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(root, FILE), 'utf8')).toBe(`${JOB}rerun: 1\n`);
    expect(readFileSync(join(root, other), 'utf8')).toMatch(/\nrerun: 1\n$/);
    expect(statSync(join(root, FILE)).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(root, 'jobs', 'emr-data-team-b')).sort()).toEqual([
      'daily-report.yaml',
      'weekly.yaml',
    ]);
    expect(result.stdout.split('\n').slice(0, 4)).toEqual([
      'job                           file                                    rerun',
      '----------------------------  --------------------------------------  ------',
      'emr-data-team-b/daily-report  jobs/emr-data-team-b/daily-report.yaml  0 -> 1',
      'emr-data-team-b/weekly        jobs/emr-data-team-b/weekly.yaml        0 -> 1',
    ]);
    expect(result.stdout).toContain('Next:\n  npm run synth');
    expect(result.stdout).toContain(
      `git add ${FILE} ${other} dist && git commit -m "Rerun emr-data-team-b/daily-report, emr-data-team-b/weekly"`,
    );
  });

  it('writes nothing when any named job cannot be rerun, and says why in one line', () => {
    const root = repo({ [FILE]: JOB });
    const result = runScript('rerun', ['emr-data-team-b/daily-report', 'emr-data-team-b/nightly'], {
      env: { EMR_EKS_GITOPS_ROOT: root },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'rerun: emr-data-team-b/nightly names no job file jobs/emr-data-team-b/nightly.yaml (jobs of emr-data-team-b: daily-report). A job defined in TypeScript (config/) is rerun by bumping its rerun field there.',
    ]);
    expect(readFileSync(join(root, FILE), 'utf8')).toBe(JOB);
  });

  it('counts every one of six concurrent reruns of one job', async () => {
    const root = repo({ [FILE]: JOB });
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        runScriptAsync('rerun', ['emr-data-team-b/daily-report'], { env: { EMR_EKS_GITOPS_ROOT: root } }),
      ),
    );
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(root, FILE), 'utf8')).toBe(`${JOB}rerun: 6\n`);
    expect(readdirSync(join(root, 'jobs', 'emr-data-team-b'))).toEqual(['daily-report.yaml']);
  });

  it("waits while another rerun holds the job file's lock, then bumps the file as it is then", async () => {
    const root = repo({ [FILE]: JOB });
    const lock = rerunLockPath(root, FILE);
    writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
    const run = runScriptAsync('rerun', ['emr-data-team-b/daily-report'], {
      env: { EMR_EKS_GITOPS_ROOT: root },
    });
    await new Promise((done) => setTimeout(done, 1500));
    expect(readFileSync(join(root, FILE), 'utf8')).toBe(JOB);
    // What the lock's holder writes before it lets go is what the waiting rerun bumps.
    writeFileSync(join(root, FILE), `${JOB}rerun: 4\n`);
    rmSync(lock);
    const result = await run;
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(root, FILE), 'utf8')).toBe(`${JOB}rerun: 5\n`);
  });

  it('clears a lock its holder left behind when it died', () => {
    const root = repo({ [FILE]: JOB });
    const dead = runScript('rerun', ['--help']).pid;
    writeFileSync(rerunLockPath(root, FILE), `${dead}\n`);
    const result = runScript('rerun', ['emr-data-team-b/daily-report'], {
      env: { EMR_EKS_GITOPS_ROOT: root },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(root, FILE), 'utf8')).toBe(`${JOB}rerun: 1\n`);
    expect(readdirSync(join(root, 'jobs', 'emr-data-team-b'))).toEqual(['daily-report.yaml']);
  });

  it('needs a job', () => {
    const result = runScript('rerun', []);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'rerun: name the job to run again, such as emr-data-team-a/taxi-ebs (see --help).',
    );
  });
});
