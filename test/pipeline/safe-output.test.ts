import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { displayPath } from '../../config/display-path';
import { runCli } from '../../pipeline/cli';
import {
  checkOutputTarget,
  makeDirectories,
  MARKER_FILE,
  MARKER_TEXT,
  OutputError,
  writeFileAtomic,
} from '../../pipeline/safe-output';
import { ROOT } from '../helpers/run';

const work = mkdtempSync(join(tmpdir(), 'safe-output-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function place(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  }
}
place({
  'file.txt': 'a file\n',
  'repo/.git/HEAD': 'ref: refs/heads/main\n',
  'repo/config/index.ts': 'export {};\n',
  'made/.emr-eks-gitops': 'marker\n',
  'made/env/README.md': '# env\n',
  'foreign/notes.txt': 'mine\n',
  'legacy/env/k8s/app/_cluster/NodePool.a.yaml': 'a: 1\n',
  'legacy/env/terraform/base/cdk.tf.json': '{}\n',
  'legacy/env/terraform/base/.terraform.lock.hcl': 'lock\n',
  'legacy/env/terraform/base/.terraform/providers/p': 'binary\n',
});
mkdirSync(join(work, 'empty'));
symlinkSync(join(work, 'made'), join(work, 'link'));

const refusal = (target: string, options = {}): string => {
  try {
    checkOutputTarget(target, options);
  } catch (error) {
    expect(error).toBeInstanceOf(OutputError);
    return (error as Error).message;
  }
  return 'allowed';
};

describe('checkOutputTarget', () => {
  it.each([
    ['/', '/ is the root of the filesystem: pass a folder of its own for the output, such as dist.'],
    [
      ROOT,
      `${displayPath(ROOT)} holds .git (it is the root of a repository): synth replaces its output folder as a whole; pass a folder of its own, such as dist.`,
    ],
    [
      dirname(ROOT),
      `${dirname(ROOT)} holds this project (${ROOT}): synth replaces its output folder as a whole; pass a folder of its own, such as dist.`,
    ],
    [
      join(ROOT, 'docs', 'out'),
      `${displayPath(join(ROOT, 'docs', 'out'))} would be created inside the project folder ${displayPath(join(ROOT, 'docs'))}: put the output at the project root (such as dist) or outside the project.`,
    ],
    [
      '/dev/null',
      '/dev/null is a character device, not a folder: pass a folder synth may replace, such as dist.',
    ],
    [
      join(work, 'file.txt'),
      `${work}/file.txt is a regular file, not a folder: pass a folder synth may replace, such as dist.`,
    ],
    [
      join(work, 'file.txt', 'dist'),
      `cannot create ${work}/file.txt/dist: ${work}/file.txt is a regular file, not a folder.`,
    ],
    [
      join(work, 'link'),
      `${work}/link is a symbolic link: synth replaces its output folder by renaming it, which would replace the link; pass the folder it points to (${work}/made).`,
    ],
    [
      join(work, 'repo'),
      `${work}/repo holds .git (it is the root of a repository): synth replaces its output folder as a whole; pass a folder of its own, such as dist.`,
    ],
    [
      join(work, 'repo', 'config'),
      `${work}/repo/config is a source folder of the repository ${work}/repo (it holds ${work}/repo/config/index.ts, which synth did not write): pass --out dist or a new folder.`,
    ],
    [
      join(work, 'made', 'env'),
      `${work}/made/env is inside ${work}/made, a folder synth replaces on every run: pass a folder outside it.`,
    ],
    [
      join(work, 'foreign'),
      `${work}/foreign holds files synth did not write (such as ${work}/foreign/notes.txt) and no ${MARKER_FILE} marker: pass a new or empty folder, or one synth made.`,
    ],
  ])('refuses %s, touching nothing', (target, message) => {
    const before = readdirSync(work).sort();
    expect(refusal(target)).toBe(message);
    expect(readdirSync(work).sort()).toEqual(before);
  });

  it('refuses the project source folders whichever way they are named', () => {
    expect(refusal(join(ROOT, 'config'))).toMatch(
      new RegExp(
        `^${displayPath(join(ROOT, 'config'))} is a source folder of the project \\(it holds ${displayPath(join(ROOT, 'config'))}/.+, which synth did not write\\): pass --out dist or a new folder\\.$`,
      ),
    );
    expect(refusal(join(ROOT, 'scripts', '..', 'pipeline'))).toMatch(
      /pipeline is a source folder of the project/,
    );
    symlinkSync(ROOT, join(work, 'project-link'));
    expect(refusal(join(work, 'project-link', 'config'))).toMatch(/is a source folder of the project/);
  });

  it('allows a new folder, an empty one, one synth made, and output of a synth before the marker', () => {
    for (const name of ['new/dist', 'empty', 'made', 'legacy'])
      expect(refusal(join(work, name))).toBe('allowed');
    expect(refusal(join(ROOT, 'dist'))).toBe('allowed');
    expect(refusal(join(ROOT, 'new-output'))).toBe('allowed');
    expect(existsSync(join(work, 'new'))).toBe(false);
  });

  it('leaves the contents check outside repositories for later when asked (synth checks before rendering)', () => {
    expect(refusal(join(work, 'foreign'), { contents: false })).toBe('allowed');
    expect(refusal(join(work, 'repo', 'config'), { contents: false })).toMatch(
      /is a source folder of the repository/,
    );
  });
});

describe('a marked output folder as large as the platform', () => {
  it('is walked whole: more entries than an unmarked folder is looked at is still synth’s output', () => {
    const target = join(work, 'large', 'dist');
    const folder = join(target, 'env', 'k8s', 'team-a', 'team-a');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(target, MARKER_FILE), MARKER_TEXT);
    for (let i = 0; i <= 20_000; i++) writeFileSync(join(folder, `ConfigMap.c${i}.yaml`), '');
    expect(refusal(target)).toBe('allowed');
    writeFileSync(join(folder, 'notes.txt'), 'mine\n');
    expect(refusal(target)).toMatch(/notes\.txt, which synth did not write \(not the dist\/ layout\)/);
  });
});

describe('writing one file', () => {
  it('is atomic, creates its folders, and refuses what is not a regular file', () => {
    const file = join(work, 'atomic', 'deep', 'out.json');
    writeFileAtomic(file, '{"a":1}\n');
    writeFileAtomic(file, '{"a":2}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(dirname(file))).toEqual(['out.json']);
    expect(() => writeFileAtomic(join(work, 'empty'), 'x')).toThrow(
      `cannot write ${work}/empty: it is a folder, not a regular file; move it away first.`,
    );
    expect(() => writeFileAtomic('/dev/null', 'x')).toThrow(
      'cannot write /dev/null: it is a character device, not a regular file; move it away first.',
    );
    expect(() => writeFileAtomic(join(work, 'file.txt', 'x.json'), 'x')).toThrow(
      `cannot write in ${work}/file.txt: it is a regular file, not a folder.`,
    );
  });

  it.runIf(existsSync('/proc/self'))('never loops creating folders where none can be made', () => {
    const started = performance.now();
    expect(() => makeDirectories('/proc/x/y')).toThrow(
      /^cannot create the folder \/proc\/x \(E[A-Z]+\): check the path and its permissions\.$/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('runCli', () => {
  it('prints an OutputError as its one sentence, exit code 1', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      runCli('synth', () => {
        throw new OutputError('dist is not writable (EACCES): it changed nothing.');
      });
      await new Promise((r) => setTimeout(r, 0));
      expect(process.exitCode).toBe(1);
      expect(write.mock.calls).toEqual([['dist is not writable (EACCES): it changed nothing.\n']]);
    } finally {
      write.mockRestore();
      process.exitCode = 0;
    }
  });
});
