import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MARKER_FILE } from '../../pipeline/safe-output';
import { BIN, ROOT, runScript } from '../helpers/run';

/**
 * SIGINT and SIGTERM sent to a real synth (the precompiled CLI on the fixture platform): while
 * it renders, and while it holds the lock with its staging tree written (paused there by the
 * fault-injection point `staged:<ms>`, see docs/safety.md).
 */

const work = mkdtempSync(join(tmpdir(), 'signals-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FIXTURE = ['--config', 'test/pipeline/fixtures/platform.yaml'];
// The fixture's own environments: rendered with a repository of no job files.
const FIXTURE_REPO = { EMR_EKS_GITOPS_ROOT: join(__dirname, 'fixtures') };

interface Stopped {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stderr: string;
}

/** Runs synth and sends it `signal` once `ready(stderr so far)` holds (polled every 5 ms). */
function signalled(
  out: string,
  signal: NodeJS.Signals,
  when: { readonly fault?: string; readonly verbose?: boolean; readonly ready: (stderr: string) => boolean },
): Promise<Stopped> {
  return new Promise((done, fail) => {
    const quiet = when.verbose === true ? [] : ['--quiet'];
    const child = spawn(process.execPath, [BIN, 'synth', ...FIXTURE, ...quiet, '--out', out], {
      cwd: ROOT,
      env: { ...process.env, ...FIXTURE_REPO, EMR_EKS_GITOPS_FAULT: when.fault ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const poll = setInterval(() => {
      if (!when.ready(stderr)) return;
      clearInterval(poll);
      child.kill(signal);
    }, 5);
    child.once('error', fail);
    child.once('close', (code, signal) => {
      clearInterval(poll);
      done({ code, signal, stderr });
    });
  });
}

/** What synth left beside its output: the lock file, staging folders. */
const leftovers = (parent: string) => readdirSync(parent).filter((name) => name.startsWith('.'));

describe('a signal during synth', () => {
  it('SIGTERM while it holds the lock: the write finishes, exit 143, no lock or staging folder left', async () => {
    const parent = join(work, 'term');
    const out = join(parent, 'dist');
    expect(runScript('synth', [...FIXTURE, '--quiet', '--out', out], { env: FIXTURE_REPO }).status).toBe(0);
    const marker = readFileSync(join(out, MARKER_FILE), 'utf8');
    // Paused after the staging tree is written, holding the lock: the signal lands there.
    const staged = () => readdirSync(parent).some((name) => name.startsWith('.dist-new-'));
    const run = await signalled(out, 'SIGTERM', { fault: 'staged:3000', ready: staged });
    expect([run.code, run.signal]).toEqual([143, null]);
    expect(run.stderr).toBe(
      `synth: stopped by SIGTERM once the write it had begun was over: ${out}/ is complete (old or new), and no lock or staging folder is left.\n`,
    );
    expect(leftovers(parent)).toEqual([]);
    expect(readFileSync(join(out, MARKER_FILE), 'utf8')).toBe(marker);
  }, 120_000);

  it('SIGINT while it waits for another run holding the lock: exit 130 at once, that lock left alone', async () => {
    const parent = join(work, 'waiting');
    const out = join(parent, 'dist');
    mkdirSync(parent);
    // A live process (this test's) holds the lock: synth waits for it, up to 30 s.
    const holder = `${process.pid} ${hostname()}\n`;
    writeFileSync(join(parent, '.dist.lock'), holder);
    const started = performance.now();
    const waiting = (stderr: string) => stderr.includes('synth: waiting for');
    const run = await signalled(out, 'SIGINT', { ready: waiting, verbose: true });
    expect([run.code, run.signal]).toEqual([130, null]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `synth: stopped by SIGINT before writing: ${out}/ was left as it was.`,
    );
    expect(readdirSync(parent)).toEqual(['.dist.lock']);
    expect(readFileSync(join(parent, '.dist.lock'), 'utf8')).toBe(holder);
  }, 120_000);

  it('SIGINT while it renders: exit 130, nothing written, nothing left', async () => {
    const parent = join(work, 'int');
    const out = join(parent, 'dist');
    // Not quiet: synth says when it starts rendering, and the signal follows at once.
    const rendering = (stderr: string) => stderr.includes('synth: rendering');
    const run = await signalled(out, 'SIGINT', { ready: rendering, verbose: true });
    expect([run.code, run.signal]).toEqual([130, null]);
    expect(run.stderr).toBe(
      `synth: rendering dev, prod\nsynth: stopped by SIGINT before writing: ${out}/ was left as it was.\n`,
    );
    expect(existsSync(out)).toBe(false);
    expect(existsSync(parent) ? leftovers(parent) : []).toEqual([]);
  }, 120_000);
});
