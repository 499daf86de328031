import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../config/errors';
import { InputFileError } from '../../lib/structured-input';
import { readJobFiles } from '../../config/job-files';
import { teamEntryProblem } from '../../config/team-folder';
import { ROOT, runScript } from '../helpers/run';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'team-folder-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let repos = 0;

const TEAM = 'jobs/emr-data-team-b';
const FILE = `${TEAM}/daily-report.yaml`;

/** A scratch repository (under `<scratch>/<n>/repo`) holding these files (path → text). */
function repo(files: Record<string, string>): string {
  const root = join(scratch, String(repos++), 'repo');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A job file of team b shipping `files`, with `script` as its entry point. */
function job(
  files: readonly string[],
  script = 'local:///usr/lib/spark/examples/src/main/python/pi.py',
): string {
  return [
    'name: daily-report',
    `script: ${script}`,
    'nodePool: spark-compute',
    'storage: nvme',
    `files: [${files.join(', ')}]`,
    '',
  ].join('\n');
}

/** The problems `readJobFiles` finds in `root`, one sentence each, and the jobs it loaded. */
function read(root: string): { problems: string[]; loaded: string[] } {
  const set = readJobFiles(root);
  return { problems: set.problems.map(formatProblem), loaded: set.files.map((file) => file.path) };
}

const FIX_LINK = "a job may use only what is really in its team's folder, so replace the link with a copy";

describe("a team's folder is a fence", () => {
  it('refuses a shipped file that links outside the repository, at its file:line:col', () => {
    const root = repo({ [FILE]: job([`${TEAM}/host.csv`]), '../secret.txt': 'password\n' });
    symlinkSync(join(root, '..', 'secret.txt'), join(root, TEAM, 'host.csv'));
    expect(read(root)).toEqual({
      problems: [
        `${FILE}:5:9: files[0]: "${TEAM}/host.csv" points to ${join(root, '..', 'secret.txt')}, outside ${TEAM}/: ${FIX_LINK} of the file itself.`,
      ],
      loaded: [],
    });
  });

  it("refuses a script that links to another team's folder, naming the repository path", () => {
    const root = repo({ [FILE]: job([], `${TEAM}/etl.py`), 'jobs/emr-data-team-a/etl.py': 'print(1)\n' });
    symlinkSync('../emr-data-team-a/etl.py', join(root, TEAM, 'etl.py'));
    expect(read(root).problems).toEqual([
      `${FILE}:2:9: script: "${TEAM}/etl.py" points to jobs/emr-data-team-a/etl.py, outside ${TEAM}/: ${FIX_LINK} of the file itself.`,
    ]);
  });

  it('refuses a job file that links outside, without reading it', () => {
    const root = repo({ 'elsewhere/daily-report.yaml': job([]), [`${TEAM}/.keep`]: '' });
    symlinkSync('../../elsewhere/daily-report.yaml', join(root, FILE));
    expect(read(root)).toEqual({
      problems: [
        `${FILE}:1:1: points to elsewhere/daily-report.yaml, outside ${TEAM}/: ${FIX_LINK} of the file itself.`,
      ],
      loaded: [],
    });
  });

  it('refuses a team folder that is a link, even to a folder inside jobs/', () => {
    const root = repo({
      'elsewhere/daily-report.yaml': job([]),
      'jobs/emr-data-team-a/daily-report.yaml': job([]),
    });
    symlinkSync('../elsewhere', join(root, TEAM));
    symlinkSync('emr-data-team-a', join(root, 'jobs', 'emr-data-team-c'));
    expect(read(root)).toEqual({
      problems: [
        `${TEAM}/: points to elsewhere, outside ${TEAM}/: ${FIX_LINK} of the folder itself.`,
        `jobs/emr-data-team-c/: points to jobs/emr-data-team-a, outside jobs/emr-data-team-c/: ${FIX_LINK} of the folder itself.`,
      ],
      loaded: ['jobs/emr-data-team-a/daily-report.yaml'],
    });
  });

  it('refuses a linked subfolder without listing what it holds', () => {
    const root = repo({ [FILE]: job([]), 'elsewhere/private.yaml': job([]) });
    symlinkSync('../../elsewhere', join(root, TEAM, 'more'));
    expect(read(root).problems).toEqual([
      `${TEAM}/more/: points to elsewhere, outside ${TEAM}/: ${FIX_LINK} of the folder itself.`,
    ]);
  });

  it('refuses a FIFO or a folder where a job expects a file', () => {
    const root = repo({ [FILE]: job([`${TEAM}/input.csv`, `${TEAM}/data`]), [`${TEAM}/data/x.csv`]: 'x\n' });
    const fifo = spawnSync('mkfifo', [join(root, TEAM, 'input.csv')]);
    expect(fifo.status).toBe(0);
    expect(read(root).problems).toEqual([
      `${FILE}:5:9: files[0]: "${TEAM}/input.csv" is a FIFO, not a regular file: a job ships only regular files, so replace it with one.`,
      `${FILE}:5:41: files[1]: "${TEAM}/data" is a folder, not a regular file: a job ships only regular files, so replace it with one.`,
    ]);
  });

  it('accepts a link to a file beside it in the same team folder', () => {
    const root = repo({ [FILE]: job([`${TEAM}/latest.csv`]), [`${TEAM}/2026-12.csv`]: 'a,b\n' });
    symlinkSync('2026-12.csv', join(root, TEAM, 'latest.csv'));
    expect(read(root)).toEqual({ problems: [], loaded: [FILE] });
  });

  it('is the check the platform rules apply to jobs of the TypeScript config too', () => {
    const root = repo({ [`${TEAM}/etl.py`]: 'print(1)\n' });
    symlinkSync('/etc/hostname', join(root, TEAM, 'host.csv'));
    expect(teamEntryProblem(root, `${TEAM}/etl.py`, 'file')).toBeUndefined();
    expect(teamEntryProblem(root, `${TEAM}/missing.csv`, 'file')).toBeUndefined();
    expect(teamEntryProblem(root, `${TEAM}/host.csv`, 'file')).toBe(
      `points to ${realpathSync('/etc/hostname')}, outside ${TEAM}/: ${FIX_LINK} of the file itself`,
    );
  });

  it('refuses a job file that is not UTF-8, naming it as the repository has it', () => {
    const root = repo({ [`${TEAM}/.keep`]: '' });
    writeFileSync(
      join(root, FILE),
      Buffer.concat([Buffer.from('name: daily-report\ndescription: caf'), Buffer.from([0xe9])]),
    );
    expect(() => readJobFiles(root)).toThrow(
      new InputFileError(`job file ${FILE} is not valid UTF-8 at byte 35 (line 2): save it as UTF-8.`),
    );
  });

  it('stops synth before anything is written, for a job of the platform config too', () => {
    const root = repo({ [FILE]: job([`${TEAM}/host.csv`]), '../secret.py': 'print("secret")\n' });
    symlinkSync(join(root, '..', 'secret.py'), join(root, TEAM, 'etl.py'));
    symlinkSync(join(root, '..', 'secret.py'), join(root, TEAM, 'host.csv'));
    // The fixture platform, with a job of team b in the config itself that ships the linked script.
    const fixture = readFileSync(join(ROOT, 'test', 'pipeline', 'fixtures', 'platform.yaml'), 'utf8');
    const teamB =
      '      - name: emr-data-team-b\n        budget: { cpu: 200, memoryGiB: 800 }\n        nodePools: [spark-compute]\n';
    expect(fixture).toContain(teamB);
    const config = join(root, 'platform.yaml');
    writeFileSync(
      config,
      fixture.replace(
        teamB,
        `${teamB}        jobs: [{ name: etl, script: ${TEAM}/etl.py, nodePool: spark-compute, storage: nvme }]\n`,
      ),
    );
    const result = runScript('synth', ['--config', config, '--out', join(root, 'dist')], {
      cwd: root,
      env: { EMR_EKS_GITOPS_ROOT: root },
    });
    expect(result.status).toBe(1);
    const secret = join(root, '..', 'secret.py');
    expect(result.stderr).toContain(
      `${FILE}:5:9: files[0]: "${TEAM}/host.csv" points to ${secret}, outside ${TEAM}/: ${FIX_LINK} of the file itself.`,
    );
    expect(result.stderr).toContain(
      `Invalid config at environments[0].teams[1].jobs[0].script: "${TEAM}/etl.py" points to ${secret}, outside ${TEAM}/: ${FIX_LINK} of the file itself (job etl).`,
    );
    expect(result.stderr).not.toContain('secret")');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
