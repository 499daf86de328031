import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runScript } from '../helpers/run';

/**
 * Every command the README and the docs show is either run by a test (named here, and that test
 * spawns the verb with every option the docs show) or run by CI, or is listed as not runnable on
 * this machine with the reason. A new command in the docs fails this test until it is listed.
 */
const DOCS = [
  'README.md',
  'jobs/README.md',
  ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`),
].filter((f) => f.endsWith('.md'));

/** Tools whose commands the docs may show. */
const COMMAND = /^(npm|npx|node|emr-eks-gitops|terraform|kubectl|argocd|aws|git|helm)\s+\S/;

/** `npm run <verb> …` or `emr-eks-gitops <verb> …` → the test that runs that verb. */
const RUN_BY: Readonly<Record<string, string>> = {
  synth: 'test/pipeline/synth-cli.test.ts',
  validate: 'test/validation/cli.test.ts',
  schemas: 'test/validation/cli.test.ts',
  diff: 'test/review/diff.test.ts',
  outputs: 'test/ops/outputs.test.ts',
  teardown: 'test/ops/teardown.test.ts',
  rerun: 'test/jobs/rerun.test.ts',
  bench: 'test/docs/commands.test.ts',
};

/** The dispatcher's own options (`emr-eks-gitops --version`), run by the launcher's test. */
const DISPATCHER_TEST = 'test/bin/launcher.test.ts';

/** Commands CI runs as they are written (`.ci/run`). */
const RUN_BY_CI = ['npm ci', 'npm test', 'npm run conformance'];

/** The package's scripts: those that call the CLI are verbs, the others (test, lint, …) are not. */
const SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/**
 * Tools this machine cannot run, and why: every command of theirs the docs show is for the
 * user's machine or CI, against a real account and cluster.
 */
const NOT_RUNNABLE_TOOLS: Readonly<Record<string, string>> = {
  terraform: 'no terraform binary here, and no AWS account to plan or apply against',
  kubectl: 'no Kubernetes API server here',
  argocd: 'no Argo CD server here',
  aws: 'no AWS credentials or endpoints here',
};

/**
 * The data engineer's guide: `test/jobs/readme.test.ts` runs the shell blocks of these sections
 * of `jobs/README.md` as written (git included), in a scratch repository.
 */
const GUIDE = 'jobs/README.md';
const GUIDE_TEST = 'test/jobs/readme.test.ts';

/** The `## ` section of a markdown text that holds `offset`. */
function sectionAt(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const start = before.lastIndexOf('\n## ');
  return start === -1 ? '' : (before.slice(start + 4).split('\n')[0] ?? '');
}

/** A command as the docs show it; `section` for the lines of shell blocks. */
interface Shown {
  readonly command: string;
  readonly file: string;
  readonly section?: string;
}

/** Every command shown: inline code spans and the lines of shell code blocks. */
function shownCommands(): Shown[] {
  const found: Shown[] = [];
  for (const file of DOCS) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const block of text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
      for (const line of (block[1] ?? '').split('\n')) {
        const command = line.replace(/#.*$/, '').trim();
        for (const part of command.split('&&').map((p) => p.trim()))
          if (COMMAND.test(part) || /^\w+=\S+ \w/.test(part))
            found.push({ command: part, file, section: sectionAt(text, block.index) });
      }
    }
    const prose = text.replace(/```[\s\S]*?```/g, '');
    for (const span of prose.matchAll(/`([^`\n]+)`/g)) {
      const command = (span[1] ?? '').trim();
      if (COMMAND.test(command)) found.push({ command, file });
    }
  }
  return found;
}

/** The verb of an `npm run`/`emr-eks-gitops` command, or undefined (another script, or not the CLI). */
function verbOf(command: string): string | undefined {
  const match = /^(npm run|emr-eks-gitops)\s+([a-z][\w-]*)/.exec(command);
  const verb = match?.[2];
  if (verb === undefined) return undefined;
  if (match?.[1] === 'npm run' && !(SCRIPTS[verb] ?? '').startsWith('node bin/emr-eks-gitops.js '))
    return undefined;
  return verb;
}

/** `npm run <verb>`, `emr-eks-gitops <verb>`: how the docs name the CLI itself, not a command. */
const GENERIC = /<(verb|command)>/;

/** `emr-eks-gitops --version` and the like: the dispatcher, no verb. */
const dispatcherOption = (command: string): boolean => /^emr-eks-gitops\s+--[a-z]/.test(command);

const flagsOf = (command: string): string[] =>
  [...command.matchAll(/(?<=\s)--[a-z][a-z-]*/g)].map((m) => m[0]);

describe('the commands the README and the docs show', () => {
  const commands = shownCommands();

  it('are found (the extraction is live)', () => {
    expect(commands.map((c) => c.command)).toContain('npm run synth');
    expect(commands.length).toBeGreaterThan(10);
  });

  it('are each run by a test, by CI, or listed as not runnable here', () => {
    const guideTest = readFileSync(join(ROOT, GUIDE_TEST), 'utf8');
    const unlisted = commands.filter(({ command, file, section }) => {
      if (GENERIC.test(command) || dispatcherOption(command)) return false;
      if (file === GUIDE && section !== undefined && guideTest.includes(`runSection('${section}')`))
        return false;
      const verb = verbOf(command);
      if (verb !== undefined) return RUN_BY[verb] === undefined;
      const tool = command.split(/\s/)[0] ?? '';
      return !RUN_BY_CI.includes(command) && !(tool in NOT_RUNNABLE_TOOLS);
    });
    expect(unlisted).toEqual([]);
  });

  it('run by a test: that test spawns the verb with every option shown', () => {
    const missing: string[] = [];
    for (const { command, file } of commands) {
      const verb = verbOf(command);
      if (verb === undefined) continue;
      const test = readFileSync(join(ROOT, RUN_BY[verb] ?? ''), 'utf8');
      if (!test.includes(`runScript('${verb}'`) && !test.includes(`runScript(\n      '${verb}'`)) {
        missing.push(`${file}: ${command}: ${RUN_BY[verb]} never runs ${verb}`);
      }
      for (const flag of flagsOf(command)) {
        if (!test.includes(`'${flag}'`))
          missing.push(`${file}: ${command}: ${RUN_BY[verb]} never passes ${flag}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('of the dispatcher itself: the launcher test passes each option shown', () => {
    const test = readFileSync(join(ROOT, DISPATCHER_TEST), 'utf8');
    for (const { command } of commands.filter((c) => dispatcherOption(c.command))) {
      for (const flag of flagsOf(command)) expect(test, command).toContain(`'${flag}'`);
    }
  });

  it('run by CI: .ci/run runs them', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    for (const command of RUN_BY_CI) expect(ci).toMatch(new RegExp(`^\\s*(\\w+=\\S+ )?${command}\\b`, 'm'));
  });

  it('offer every option shown in their --help', () => {
    const verbs = new Map<string, Set<string>>();
    for (const { command } of commands) {
      const verb = verbOf(command);
      if (verb === undefined) continue;
      const flags = verbs.get(verb) ?? new Set<string>();
      for (const flag of flagsOf(command)) flags.add(flag);
      verbs.set(verb, flags);
    }
    for (const [verb, flags] of verbs) {
      const help = runScript(verb, ['--help']);
      expect(help.status, `${verb}: ${help.stderr}`).toBe(0);
      for (const flag of flags) expect(help.stdout, `${verb} ${flag}`).toContain(flag);
    }
  });
});

describe('npm run bench', () => {
  it('checks its options before measuring or writing anything', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'bench.json');
    const run = runScript('bench', ['--runs', '1', '--skip-cdktf', '--json', out]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('bench: --runs 1 must be a whole number >= 3.');
    expect(existsSync(out)).toBe(false);
  });
});
