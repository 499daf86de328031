import { existsSync, statSync } from 'node:fs';
import { parseOptions, UsageError } from '../pipeline/cli';
import { assertVersionsAgree } from '../pipeline/version-guards';
import { table } from '../lib/table';
import { formatFinding, type Finding } from '../validation/findings';
import {
  headTree,
  ManifestSyntaxError,
  NotAFileError,
  readTree,
  validationSets,
} from '../validation/sources';
import type { FileTree } from '../lib/file-tree';
import { validateSet } from '../validation/validate';

const HELP = `Usage: npm run validate [-- DIR ...] [--format text|json]

Checks every YAML document under each DIR (default: dist) against the pinned upstream schemas
(schemas.lock.json: Kubernetes 1.34 OpenAPI, Karpenter, ACK emrcontainers, Argo CD CRDs) with
unknown fields as errors, their CEL rules (transition rules against the same objects at git
HEAD), the API server's Go-only checks, JobRun and YuniKorn payloads, and cross-object rules per
environment (dist/<env>/…; any other folder is one set).

Findings print one per line: file: json-path: rule-id: message. Exit code 1 when there are any.

  --format json  print the findings as a JSON array instead
  --help         show this help

The schemas are the derived ones committed in validation/schemas (npm run schemas regenerates them).`;

/** The files under `dir`; a manifest that is not a regular file is refused in one sentence. */
function readFiles(dir: string): FileTree {
  try {
    return readTree(dir);
  } catch (error) {
    if (error instanceof NotAFileError) throw new UsageError(`validate: ${error.message}.`);
    throw error;
  }
}

/** The validation sets of a folder's files; a file that is not YAML is refused in one sentence. */
function parseSets(tree: FileTree, dir: string, base: string): ReturnType<typeof validationSets> {
  try {
    return validationSets(tree, headTree(dir, tree), (path) => `${base}/${path}`);
  } catch (error) {
    if (error instanceof ManifestSyntaxError) throw new UsageError(`validate: ${error.message}.`);
    throw error;
  }
}

/** `emr-eks-gitops validate`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values, positionals } = parseOptions(
    'validate',
    args,
    { format: { type: 'string', default: 'text' }, help: { type: 'boolean', default: false } },
    true,
  );
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`validate: --format ${values.format} is not supported (use text or json).`);
  }
  assertVersionsAgree();
  const dirs = positionals.length > 0 ? positionals : ['dist'];
  const started = performance.now();
  const findings: Finding[] = [];
  const rows: string[][] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UsageError(`validate: ${dir} is not a directory (pass folders of YAML, e.g. dist).`);
    }
    const base = dir.replace(/\/+$/, '');
    const tree = readFiles(dir);
    const sets = parseSets(tree, dir, base);
    for (const [env, set] of sets) {
      if (values.format === 'text')
        process.stderr.write(`validate: ${base}/${env} (${set.documents.length} documents)\n`);
      const found = validateSet(set);
      findings.push(...found);
      rows.push([`${base}/${env}`.replace(/\/$/, ''), String(set.documents.length), String(found.length)]);
    }
  }
  if (values.format === 'json') {
    process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  } else {
    for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
    process.stdout.write(`${table(['set', 'documents', 'findings'], rows)}\n`);
    process.stdout.write(`${findings.length} finding(s) in ${Math.round(performance.now() - started)} ms\n`);
  }
  return findings.length > 0 ? 1 : 0;
}
