import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MARKER_FILE,
  MARKER_TEXT,
  STAGING_NOTE,
  stagedWrite,
  type StagedFile,
} from '../../pipeline/safe-output';
import { recoverInterruptedSwap, replaceDirectory } from '../../pipeline/write';
import { ROOT } from '../helpers/run';

const work = mkdtempSync(join(tmpdir(), 'write-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The files of a tree; the marker synth writes is checked and left out. */
function readTree(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const tree = Object.fromEntries(
    files.map((e) => [
      relative(dir, join(e.parentPath, e.name)),
      readFileSync(join(e.parentPath, e.name), 'utf8'),
    ]),
  );
  if (MARKER_FILE in tree) {
    expect(tree[MARKER_FILE]?.startsWith(MARKER_TEXT)).toBe(true);
    delete tree[MARKER_FILE];
  }
  return tree;
}

const previous = new Map([
  ['env/terraform/base/cdk.tf.json', '{"old": true}\n'],
  ['env/k8s/team/ns/ConfigMap.a.yaml', 'old: a\n'],
]);

function freshTarget(name: string): string {
  const target = join(work, name, 'dist');
  mkdirSync(join(work, name), { recursive: true });
  replaceDirectory(target, previous);
  return target;
}

describe('replaceDirectory', () => {
  it('replaces the tree exactly: new files in, stale files out, kept entries carried over', () => {
    const target = freshTarget('replace');
    replaceDirectory(
      target,
      new Map([
        ...previous,
        ['env/k8s/team/ns/ConfigMap.stale.yaml', 'stale\n'],
        ['other-env/README.md', 'x: 1\n'],
      ]),
    );
    replaceDirectory(target, new Map([['env/terraform/base/cdk.tf.json', '{"new": true}\n']]), {
      keep: ['other-env'],
    });
    expect(readTree(target)).toEqual({
      'env/terraform/base/cdk.tf.json': '{"new": true}\n',
      'other-env/README.md': 'x: 1\n',
    });
    expect(readdirSync(join(work, 'replace'))).toEqual(['dist']);
    // The marker lists nothing (it would conflict between pull requests): the next run replaces
    // the folder again because everything in it has the dist/ layout.
    expect(readFileSync(join(target, MARKER_FILE), 'utf8')).toBe(MARKER_TEXT);
    replaceDirectory(target, previous, { keep: ['other-env'] });
    expect(readTree(target)).toEqual({ ...Object.fromEntries(previous), 'other-env/README.md': 'x: 1\n' });
  });

  it('leaves the previous tree complete when rendering fails mid-write', () => {
    const target = freshTarget('throw');
    const failing = new Map([['a.yaml', 'a: 1\n']]);
    const broken = {
      size: 2,
      keys: () => failing.keys(),
      *[Symbol.iterator]() {
        yield ['a.yaml', 'a: 1\n'] as [string, string];
        throw new Error('disk full');
      },
    } as unknown as ReadonlyMap<string, string>;
    expect(() => replaceDirectory(target, broken)).toThrow('disk full');
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
    expect(readdirSync(join(work, 'throw'))).toEqual(['dist']);
  });

  it('leaves the previous tree complete when the process is killed with SIGKILL while writing', async () => {
    const target = freshTarget('kill');
    // Plain node with tsx's require hook, so the pid is the writer's own (the tsx CLI forks).
    const child = spawn(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        '-e',
        `const { replaceDirectory } = require(${JSON.stringify(join(ROOT, 'pipeline', 'write.ts'))});
         const files = new Map();
         for (let i = 0; i < 200000; i++) files.set('env/k8s/app/ns/ConfigMap.f' + i + '.yaml', 'n: ' + i + '\\n');
         replaceDirectory(${JSON.stringify(target)}, files);`,
      ],
      { stdio: 'ignore', cwd: ROOT },
    );
    const staging = join(work, 'kill', `.dist-new-${child.pid}`);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const dir = join(staging, 'env', 'k8s', 'app', 'ns');
      if (existsSync(dir) && readdirSync(dir).length > 100) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(existsSync(staging)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
    // The killed run's lock stays until the next run, which breaks it (its pid is gone) and
    // recovers under it.
    expect(existsSync(join(work, 'kill', '.dist.lock'))).toBe(true);
    replaceDirectory(target, previous);
    expect(readdirSync(join(work, 'kill'))).toEqual(['dist']);
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
  });

  it('restores the previous tree if a run died between its two renames', () => {
    // The run 4242 died after its first rename: its new tree (with the note) waits beside the old.
    const parent = join(work, 'window');
    place(parent, {
      '.dist-old-4242/env/a.yaml': 'a: 1\n',
      '.dist-new-4242/env/a.yaml': 'a: 2\n',
      [`.dist-new-4242/${STAGING_NOTE}`]: 'emr-eks-gitops synth, pid 4242\n',
    });
    const target = join(parent, 'dist');
    recoverInterruptedSwap(target);
    expect(readTree(target)).toEqual({ 'env/a.yaml': 'a: 1\n' });
    expect(readdirSync(parent)).toEqual(['dist']);
  });
});

describe('folders named like staging folders that synth did not make', () => {
  it('are never renamed into the output nor removed; a synth copy with a marker is no exception', () => {
    const parent = join(work, 'lookalikes');
    const yours = {
      '.dist-old-77/env/a.yaml': 'mine: 1\n',
      [`.dist-old-77/${MARKER_FILE}`]: MARKER_TEXT,
      '.dist-new-78/notes.txt': 'mine too\n',
      [`.dist-new-78/${STAGING_NOTE}`]: 'emr-eks-gitops synth, pid 1\n',
      '.dist-old-x/keep.txt': 'kept\n',
    };
    place(parent, yours);
    const target = join(parent, 'dist');
    expect(recoverInterruptedSwap(target)).toEqual([]);
    expect(existsSync(target)).toBe(false);
    replaceDirectory(target, previous);
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
    expect(readdirSync(parent).sort()).toEqual(['.dist-new-78', '.dist-old-77', '.dist-old-x', 'dist']);
    for (const [path, content] of Object.entries(yours)) {
      expect(readFileSync(join(parent, path), 'utf8')).toBe(content);
    }
  });
});

describe('a marked output folder that holds files synth did not write', () => {
  it('is refused in one sentence, changing nothing; Terraform working files are no such file', () => {
    const target = freshTarget('unlisted');
    place(target, WORKING);
    replaceDirectory(target, previous);
    place(target, { 'env/k8s/team/ns/notes.md': 'mine\n' });
    const before = readTree(target);
    expect(() => replaceDirectory(target, previous)).toThrow(
      `${target} holds ${target}/env/k8s/team/ns/notes.md, which synth did not write (not the dist/ layout): move it out of ${target}, then synth again; synth changed nothing.`,
    );
    mkdirSync(join(target, 'backup'));
    writeFileSync(join(target, 'backup', 'cdk.tf.json'), '{}\n');
    rmSync(join(target, 'env/k8s/team/ns/notes.md'));
    expect(() => replaceDirectory(target, previous)).toThrow(
      `${target} holds ${target}/backup/cdk.tf.json, which synth`,
    );
    rmSync(join(target, 'backup'), { recursive: true });
    expect(readTree(target)).toEqual({ ...before, 'env/k8s/team/ns/notes.md': undefined });
    replaceDirectory(target, previous);
    expect(readTree(target)).toMatchObject(Object.fromEntries(previous));
    expect(readdirSync(join(work, 'unlisted'))).toEqual(['dist']);
  });
});

/** Makes a path unchangeable: `chattr +i` as root (mode bits do not bind root), else chmod. */
const isRoot = process.getuid?.() === 0;
function canFreeze(): boolean {
  if (!isRoot) return process.platform !== 'win32';
  const probe = join(work, 'freeze-probe');
  writeFileSync(probe, '');
  const ok = spawnSync('chattr', ['+i', probe]).status === 0;
  if (ok) spawnSync('chattr', ['-i', probe]);
  rmSync(probe, { force: true });
  return ok;
}
const frozen: string[] = [];
function freeze(path: string): void {
  if (isRoot) expect(spawnSync('chattr', ['+i', path]).status).toBe(0);
  else chmodSync(path, 0o555);
  frozen.push(path);
}
function thaw(path: string): void {
  if (isRoot) spawnSync('chattr', ['-i', path]);
  else chmodSync(path, 0o755);
  frozen.splice(frozen.indexOf(path), 1);
}
afterAll(() => [...frozen].forEach(thaw));
const freezing = canFreeze();

const WORKING = {
  'env/terraform/base/.terraform/providers/aws/terraform-provider-aws': 'binary\n',
  'env/terraform/base/.terraform/terraform.tfstate': '{"backend":{}}\n',
  'env/terraform/base/.terraform.lock.hcl': 'provider "aws" {}\n',
  'env/terraform/base/terraform.base.tfstate': '{"serial":1}\n',
  'env/terraform/base/terraform.base.tfstate.backup': '{"serial":0}\n',
};

function place(target: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), content);
  }
}

describe("Terraform's working files", () => {
  it('survive every replace unchanged (same inode), in rendered stacks and in kept environments', () => {
    const target = freshTarget('terraform');
    place(target, WORKING);
    replaceDirectory(target, new Map([...previous, ['other/terraform/x/cdk.tf.json', '{}\n']]), {
      keep: [],
    });
    place(target, { 'other/terraform/x/.terraform.lock.hcl': 'lock\n' });
    const before = statSync(join(target, 'env/terraform/base/terraform.base.tfstate'));
    const result = replaceDirectory(target, new Map([['env/terraform/base/cdk.tf.json', '{"v":2}\n']]), {
      keep: ['other'],
    });
    expect(result.kept).toEqual([
      'env/terraform/base/.terraform',
      'env/terraform/base/.terraform.lock.hcl',
      'env/terraform/base/terraform.base.tfstate',
      'env/terraform/base/terraform.base.tfstate.backup',
      'other/terraform/x/.terraform.lock.hcl',
    ]);
    expect(readTree(target)).toEqual({
      ...WORKING,
      'env/terraform/base/cdk.tf.json': '{"v":2}\n',
      'other/terraform/x/cdk.tf.json': '{}\n',
      'other/terraform/x/.terraform.lock.hcl': 'lock\n',
    });
    const after = statSync(join(target, 'env/terraform/base/terraform.base.tfstate'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(readdirSync(join(work, 'terraform'))).toEqual(['dist']);
  });

  it('refuse, changing nothing, when their stack is no longer rendered', () => {
    const target = freshTarget('gone-stack');
    place(target, WORKING);
    const before = readTree(target);
    expect(() => replaceDirectory(target, new Map([['env/k8s/a.yaml', 'a: 1\n']]))).toThrow(
      `${target}/env/terraform/base holds Terraform's working files (.terraform, .terraform.lock.hcl, terraform.base.tfstate, terraform.base.tfstate.backup), but the render has no such stack any more: destroy it first (npm run teardown), then delete the folder yourself; synth changed nothing.`,
    );
    expect(readTree(target)).toEqual(before);
    expect(readdirSync(join(work, 'gone-stack'))).toEqual(['dist']);
  });

  it('refuse while Terraform holds the state lock, where the backend keeps state or in the stack folder', () => {
    const target = freshTarget('running');
    const stack =
      '{"terraform":{"backend":{"local":{"path":"../../../../terraform-state/env/base.tfstate"}}}}\n';
    const files = new Map([['env/terraform/base/cdk.tf.json', stack]]);
    replaceDirectory(target, files);
    const lock = join(work, 'running', 'terraform-state', 'env', '.base.tfstate.lock.info');
    place(join(work, 'running'), { 'terraform-state/env/.base.tfstate.lock.info': '{"ID":"x"}\n' });
    const message = (file: string) =>
      `Terraform is running in ${target}/env/terraform/base (its state lock ${file} exists): wait for it to finish, then synth again; if no terraform runs there, the lock was left by a killed run: delete it; synth changed nothing.`;
    expect(() => replaceDirectory(target, files)).toThrow(message(lock));
    rmSync(lock);
    const legacy = join(target, 'env/terraform/base/.terraform.base.tfstate.lock.info');
    writeFileSync(legacy, '{"ID":"y"}\n');
    expect(() => replaceDirectory(target, files)).toThrow(message(legacy));
    rmSync(legacy);
    expect(replaceDirectory(target, files).warnings).toEqual([]);
  });
});

describe('unchanged files', () => {
  const files = new Map([
    ['env/k8s/team/ns/ConfigMap.same.yaml', 'same: 1\n'],
    ['env/k8s/team/ns/ConfigMap.edited.yaml', 'edited: 1\n'],
    ['env/k8s/team/ns/ConfigMap.readonly.yaml', 'readonly: 1\n'],
    ['env/k8s/team/ns/ConfigMap.shared.yaml', 'shared: 1\n'],
    ['env/k8s/team/ns/ConfigMap.changed.yaml', 'changed: 1\n'],
  ]);
  const inode = (target: string, path: string) => statSync(join(target, path)).ino;

  it('are hard-linked from the previous tree when synth could have written them; others are written', () => {
    const target = join(work, 'unchanged', 'dist');
    mkdirSync(dirname(target), { recursive: true });
    expect(replaceDirectory(target, files)).toMatchObject({ written: 5, linked: 0 });
    const before = new Map([...files.keys()].map((path) => [path, inode(target, path)]));
    writeFileSync(join(target, 'env/k8s/team/ns/ConfigMap.edited.yaml'), 'edited: 2\n');
    chmodSync(join(target, 'env/k8s/team/ns/ConfigMap.readonly.yaml'), 0o444);
    linkSync(
      join(target, 'env/k8s/team/ns/ConfigMap.shared.yaml'),
      join(work, 'unchanged', 'elsewhere.yaml'),
    );
    const next = new Map([...files, ['env/k8s/team/ns/ConfigMap.changed.yaml', 'changed: 2\n']]);
    expect(replaceDirectory(target, next)).toMatchObject({ written: 4, linked: 1 });
    expect(readTree(target)).toEqual(Object.fromEntries(next));
    expect(inode(target, 'env/k8s/team/ns/ConfigMap.same.yaml')).toBe(
      before.get('env/k8s/team/ns/ConfigMap.same.yaml'),
    );
    for (const path of ['edited', 'readonly', 'shared', 'changed'].map(
      (n) => `env/k8s/team/ns/ConfigMap.${n}.yaml`,
    )) {
      expect(inode(target, path), path).not.toBe(before.get(path));
    }
    // The old tree is gone: the linked file has one link again, and the written ones a new file's mode.
    expect(statSync(join(target, 'env/k8s/team/ns/ConfigMap.same.yaml')).nlink).toBe(1);
    expect(statSync(join(target, 'env/k8s/team/ns/ConfigMap.readonly.yaml')).mode & 0o222).not.toBe(0);
    expect(readFileSync(join(work, 'unchanged', 'elsewhere.yaml'), 'utf8')).toBe('shared: 1\n');
  });
});

describe('files alongside', () => {
  /** A file beside the output, and a log of what the write did with it. */
  function alongside(dir: string, content: string, log: string[]): StagedFile {
    const write = stagedWrite(join(dir, 'OWNERS'), content);
    return {
      stage: () => {
        log.push('stage');
        write.stage();
      },
      commit: () => {
        log.push(`commit (output ${readTree(join(dir, 'dist'))['env/new.yaml'] ?? 'old'})`);
        write.commit();
      },
      abort: () => {
        log.push('abort');
        write.abort();
      },
    };
  }

  it('are staged with the new tree and put in place right after the swap', () => {
    const target = freshTarget('alongside');
    const dir = join(work, 'alongside');
    const log: string[] = [];
    const steps: string[] = [];
    const result = replaceDirectory(target, new Map([['env/new.yaml', 'n: 1\n']]), {
      alongside: [alongside(dir, 'owners\n', log)],
      onStep: (point) => steps.push(point),
    });
    expect(result).toMatchObject({ written: 1, linked: 0 });
    expect(log).toEqual(['stage', 'commit (output n: 1\n)']);
    expect(steps).toEqual(['locked', 'staged', 'between-renames', 'swapped']);
    expect(readFileSync(join(dir, 'OWNERS'), 'utf8')).toBe('owners\n');
    expect(readdirSync(dir).sort()).toEqual(['OWNERS', 'dist']);
  });

  it('are removed unwritten when the new tree cannot be written: target and file unchanged', () => {
    const target = freshTarget('alongside-fail');
    const dir = join(work, 'alongside-fail');
    writeFileSync(join(dir, 'OWNERS'), 'before\n');
    const log: string[] = [];
    const tooLong = `env/${'x'.repeat(300)}.yaml`;
    expect(() =>
      replaceDirectory(target, new Map([[tooLong, 'x: 1\n']]), {
        alongside: [alongside(dir, 'owners\n', log)],
      }),
    ).toThrow(
      `cannot write the new tree beside ${target} (ENAMETOOLONG): synth changed nothing; check free space and permissions there.`,
    );
    expect(log).toEqual([]);
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
    expect(readFileSync(join(dir, 'OWNERS'), 'utf8')).toBe('before\n');
    expect(readdirSync(dir).sort()).toEqual(['OWNERS', 'dist']);
  });

  it('are aborted when the swap is refused, and a file that cannot be staged stops the write', () => {
    const target = freshTarget('alongside-refused');
    const dir = join(work, 'alongside-refused');
    const log: string[] = [];
    // A folder where the file should be: staging it fails before the swap.
    mkdirSync(join(dir, 'OWNERS'));
    expect(() =>
      replaceDirectory(target, new Map([['env/new.yaml', 'n: 1\n']]), {
        alongside: [alongside(dir, 'owners\n', log)],
      }),
    ).toThrow(`cannot write ${dir}/OWNERS: it is a folder, not a regular file; move it away first.`);
    expect(log).toEqual(['stage']);
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
    expect(readdirSync(dir).sort()).toEqual(['OWNERS', 'dist']);
  });
});

describe('a marker written before the list', () => {
  it('is judged by the dist/ layout: foreign files are refused, synth output adopted', () => {
    const target = join(work, 'old-marker', 'dist');
    const oldMarker = MARKER_TEXT.split('\n').slice(0, 3).join('\n');
    place(target, { [MARKER_FILE]: oldMarker, 'env/README.md': '# env\n', 'env/notes.txt': 'mine\n' });
    expect(() => replaceDirectory(target, previous)).toThrow(
      `${target} holds ${target}/env/notes.txt, which synth did not write (not the dist/ layout): move it out of ${target}, then synth again; synth changed nothing.`,
    );
    rmSync(join(target, 'env/notes.txt'));
    replaceDirectory(target, previous);
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
  });
});

describe('recovery', () => {
  it('removes only its own staging folders, and keeps one holding the only copy of Terraform files', () => {
    const parent = join(work, 'leftovers');
    const target = join(parent, 'dist');
    mkdirSync(parent);
    replaceDirectory(target, previous);
    place(parent, {
      '.dist-new-111/env/a.yaml': 'a: 1\n',
      [`.dist-new-111/${STAGING_NOTE}`]: 'emr-eks-gitops synth, pid 111\n',
      '.dist-old-222/env/terraform/base/terraform.base.tfstate': '{"serial":3}\n',
      [`.dist-old-222/${STAGING_NOTE}`]: 'emr-eks-gitops synth, pid 222\n',
      '.dist-backup/keep.txt': 'mine\n',
      '.dist-new-x/keep.txt': 'mine too\n',
    });
    mkdirSync(join(parent, '.dist-new-333'));
    const result = replaceDirectory(target, previous);
    expect(result.warnings).toEqual([
      `${parent}/.dist-old-222, left by an interrupted synth, holds Terraform working files that ${target} does not have (${parent}/.dist-old-222/env/terraform/base/terraform.base.tfstate): move them back into ${target}, then delete the folder.`,
    ]);
    expect(readdirSync(parent).sort()).toEqual(['.dist-backup', '.dist-new-x', '.dist-old-222', 'dist']);
  });
});

describe('what replaceDirectory refuses', () => {
  it('a folder synth did not make, touching nothing; a pre-marker synth output is adopted', () => {
    const parent = join(work, 'foreign');
    place(parent, { 'dist/notes.txt': 'mine\n' });
    expect(() => replaceDirectory(join(parent, 'dist'), previous)).toThrow(
      `${parent}/dist holds files synth did not write (such as ${parent}/dist/notes.txt) and no .emr-eks-gitops marker: pass a new or empty folder, or one synth made.`,
    );
    expect(readdirSync(parent)).toEqual(['dist']);
    expect(readdirSync(join(parent, 'dist'))).toEqual(['notes.txt']);
    const legacy = join(work, 'legacy', 'dist');
    place(legacy, { 'env/k8s/app/ns/ConfigMap.a.yaml': 'a: 1\n', 'env/README.md': '# env\n', ...WORKING });
    place(legacy, { 'env/terraform/base/cdk.tf.json': '{}\n' });
    replaceDirectory(legacy, new Map([['env/terraform/base/cdk.tf.json', '{}\n']]));
    expect(readTree(legacy)).toEqual({ ...WORKING, 'env/terraform/base/cdk.tf.json': '{}\n' });
    expect(existsSync(join(legacy, MARKER_FILE))).toBe(true);
  });

  it('a rendered path that leaves the output folder', () => {
    const target = freshTarget('escape');
    expect(() => replaceDirectory(target, new Map([['../escaped.yaml', 'x: 1\n']]))).toThrow(
      'rendered path ../escaped.yaml is outside the output folder: this is a bug; report it.',
    );
    expect(readdirSync(join(work, 'escape'))).toEqual(['dist']);
  });

  it.runIf(existsSync('/proc/self'))('a path it cannot create, at once instead of looping', () => {
    const started = performance.now();
    expect(() => replaceDirectory('/proc/x/dist', previous)).toThrow(/^(cannot|\/proc)/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.runIf(freezing)('an immutable or read-only tree: an honest sentence, nothing changed', () => {
    const target = freshTarget('frozen');
    const before = readTree(target);
    // Root ignores mode bits, so as root a file is made immutable; otherwise its folder read-only.
    const locked = isRoot
      ? join(target, 'env/k8s/team/ns/ConfigMap.a.yaml')
      : join(target, 'env/k8s/team/ns');
    freeze(locked);
    expect(() => replaceDirectory(target, new Map([['env/new.yaml', 'n: 1\n']]))).toThrow(
      isRoot
        ? `${locked} cannot be removed (EPERM, an immutable or append-only file), so synth could not replace ${target}: it changed nothing; clear the flag (chattr -i) and run again.`
        : `${locked} is not writable (EACCES), so synth could not replace it: it changed nothing; make it writable (chmod -R u+w, or chattr -i) and run again.`,
    );
    thaw(locked);
    freeze(target);
    expect(() => replaceDirectory(target, new Map([['env/new.yaml', 'n: 1\n']]))).toThrow(
      `${target} is not writable (${isRoot ? 'EPERM' : 'EACCES'}), so synth could not replace it: it changed nothing; make it writable (chmod -R u+w, or chattr -i) and run again.`,
    );
    thaw(target);
    freeze(join(work, 'frozen'));
    expect(() => replaceDirectory(target, new Map([['env/new.yaml', 'n: 1\n']]))).toThrow(
      `cannot write in ${join(work, 'frozen')} (${isRoot ? 'EPERM' : 'EACCES'}): synth writes its new tree beside the output folder; pass a folder whose parent you may write.`,
    );
    thaw(join(work, 'frozen'));
    expect(readTree(target)).toEqual(before);
    expect(readdirSync(join(work, 'frozen'))).toEqual(['dist']);
    // A read-only file is no obstacle: it is generated output and is replaced like the rest.
    chmodSync(join(target, 'env/k8s/team/ns/ConfigMap.a.yaml'), 0o444);
    replaceDirectory(target, new Map([['env/new.yaml', 'n: 1\n']]));
    expect(readTree(target)).toEqual({ 'env/new.yaml': 'n: 1\n' });
  });
});
