import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadAll, YAMLException } from 'js-yaml';
import type { FileTree } from '../lib/file-tree';
import { gitBlobId } from './schema-files';
import type { ValidationSet, SourceDocument } from './validate';

const MANIFEST = /\.ya?ml$/;
const TERRAFORM = /(^|\/)cdk\.tf\.json$/;

/** A manifest that does not parse as YAML: one sentence naming the file, the line and the column. */
export class ManifestSyntaxError extends Error {
  override readonly name = 'ManifestSyntaxError';
}

/** Every YAML document in a file (`file#N` when it holds more than one). */
export function parseDocuments(file: string, text: string): SourceDocument[] {
  let parsed: unknown[];
  try {
    parsed = loadAll(text);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const { line = 0, column = 0 } = error.mark ?? {};
    throw new ManifestSyntaxError(
      `${file}:${line + 1}:${column + 1} is not valid YAML (${error.reason}): fix the file, or re-render it with npm run synth`,
    );
  }
  const objects = parsed.filter((object) => object !== null && object !== undefined);
  return objects.map((object, index) => ({
    file: objects.length > 1 ? `${file}#${index + 1}` : file,
    object,
  }));
}

/** A manifest path that is not a regular file (a named pipe would block the read forever). */
export class NotAFileError extends Error {
  override readonly name = 'NotAFileError';
}

/** What a path that is neither a file nor a folder is, for the refusal. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The YAML manifests and Terraform JSON under `dir`, sorted. A manifest name that is not a
 * regular file (a named pipe, a socket, a device) raises {@link NotAFileError} without being opened.
 */
export function readTree(dir: string): FileTree {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const full = join(current, entry);
      const stats = statSync(full);
      if (stats.isDirectory()) walk(full);
      else if (MANIFEST.test(entry) || TERRAFORM.test(entry)) {
        if (!stats.isFile()) {
          throw new NotAFileError(
            `${full} is ${kindOf(stats)}, not a regular file: validate reads YAML and Terraform JSON files only; remove it or move it out of ${dir}`,
          );
        }
        files.set(relative(dir, full).split('\\').join('/'), readFileSync(full, 'utf8'));
      }
    }
  };
  walk(dir);
  return files;
}

/**
 * The same files as committed at git `HEAD` (empty outside a repository or for new files): the
 * "old object" the API server would compare transition rules with. Given the `current` files,
 * only those that differ from it are returned (their blob ids are compared, so unchanged files
 * are neither read from git nor parsed): an object that does not change is not updated, and
 * transition rules apply to updates only (the API server ratchets unchanged values too).
 */
export function headTree(dir: string, current?: FileTree): FileTree {
  return treeAt(dir, 'HEAD', current);
}

/**
 * The manifests and Terraform JSON under `dir` as committed at `ref` (empty outside a repository
 * or when `ref` does not exist), leaving out files whose content equals `unchanged`'s at the
 * same path. One `git ls-tree` and at most one `git cat-file --batch` call.
 */
export function treeAt(dir: string, ref: string, unchanged?: FileTree): FileTree {
  const absolute = resolve(dir);
  const files = new Map<string, string>();
  const listing = lsTree(absolute, ref);
  if (listing === undefined) return files;
  const entries = listing.stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      return { blob: meta.split(' ')[2] ?? '', path };
    })
    .filter((e) => MANIFEST.test(e.path) || TERRAFORM.test(e.path))
    .filter((e) => {
      const text = unchanged?.get(e.path);
      return text === undefined || gitBlobId(Buffer.from(text, 'utf8')) !== e.blob;
    });
  if (entries.length === 0) return files;
  const batch = spawnSync('git', ['cat-file', '--batch'], {
    cwd: listing.cwd,
    input: entries.map((e) => e.blob).join('\n') + '\n',
    maxBuffer: 1 << 30,
  });
  if (batch.status !== 0) return files;
  let offset = 0;
  const out = batch.stdout;
  for (const entry of entries) {
    const headerEnd = out.indexOf(0x0a, offset);
    const size = Number(out.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    files.set(entry.path, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}

/**
 * `git ls-tree -r` of `dir` at `ref`, paths relative to `dir`: run inside `dir` when it exists
 * (one process; git lists paths relative to the working directory), else from the repository
 * root with `dir`'s path. Undefined outside a repository or when `ref` does not exist.
 */
function lsTree(dir: string, ref: string): { stdout: string; cwd: string } | undefined {
  // Outside any work tree (a temporary --out) git would only fail: do not start it.
  if (process.env.GIT_DIR === undefined && !insideWorkTree(existsSync(dir) ? dir : process.cwd()))
    return undefined;
  let cwd = dir;
  let pathspec = '.';
  if (!existsSync(dir)) {
    try {
      cwd = execFileSync('git', ['rev-parse', '--show-toplevel'], {
        cwd: process.cwd(),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return undefined;
    }
    pathspec = relative(cwd, dir).split('\\').join('/');
    if (pathspec.startsWith('..')) return undefined;
  }
  const listing = spawnSync('git', ['ls-tree', '-r', '-z', ref, '--', pathspec], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  if (listing.status !== 0) return undefined;
  const prefix = pathspec === '.' ? '' : `${pathspec}/`;
  // From the root, git prints paths from the root: make them relative to `dir`.
  const stdout =
    prefix === ''
      ? listing.stdout
      : listing.stdout
          .split('\0')
          .map((line) => line.replace(`\t${prefix}`, '\t'))
          .join('\0');
  return { stdout, cwd };
}

/** Whether `dir` or a parent of it holds `.git` (a repository or a worktree's link to one). */
function insideWorkTree(dir: string): boolean {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return true;
    if (dirname(current) === current) return false;
  }
}

/** `<env>/k8s/…`, `<env>/argocd/…`, `<env>/terraform/…`: the dist/ layout. */
const ENV_LAYOUT = /^([^/]+)\/(k8s|argocd|terraform)\//;

/**
 * Splits files into validation sets: one per environment when `files` follow the dist/ layout
 * (`<env>/k8s`, `<env>/argocd`, `<env>/terraform`), else one set for everything. Terraform JSON
 * joins its environment's set for the IAM cross-checks.
 */
export function validationSets(
  files: FileTree,
  previous: FileTree = new Map(),
  label = (path: string) => path,
  /** Objects already in memory for some of the files (synth's render): not parsed again. */
  parsed: ReadonlyMap<string, unknown> = new Map(),
): Map<string, ValidationSet> {
  const groups = new Map<
    string,
    {
      documents: SourceDocument[];
      previous: SourceDocument[];
      terraform: unknown[];
      terraformFiles: string[];
    }
  >();
  const group = (path: string) => {
    const env = ENV_LAYOUT.exec(path)?.[1] ?? '';
    let found = groups.get(env);
    if (found === undefined)
      groups.set(env, (found = { documents: [], previous: [], terraform: [], terraformFiles: [] }));
    return found;
  };
  for (const [path, text] of files) {
    if (!MANIFEST.test(path) && !TERRAFORM.test(path)) continue;
    const target = group(path);
    if (TERRAFORM.test(path)) {
      target.terraform.push(JSON.parse(text));
      target.terraformFiles.push(label(path));
    } else if (parsed.has(path)) target.documents.push({ file: label(path), object: parsed.get(path) });
    else if (MANIFEST.test(path)) target.documents.push(...parseDocuments(label(path), text));
  }
  for (const [path, text] of previous) {
    if (!MANIFEST.test(path)) continue;
    const target = groups.get(ENV_LAYOUT.exec(path)?.[1] ?? '');
    if (target === undefined) continue;
    try {
      target.previous.push(...parseDocuments(path, text));
    } catch {
      // An unparsable old file has no old objects to compare with.
    }
  }
  return new Map(groups);
}
