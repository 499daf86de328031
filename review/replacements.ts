import { sha256 } from '../lib/hash';
import { asObject, isObject } from '../lib/json';
import { indexKey, type Change, type Entry, type Index } from './model';
import { jobRunSettings } from './spark-conf';
import { valueDiff, type FieldChange } from './value-diff';

/**
 * Content-addressed objects (JobRuns `<job>-<8 hex>`, the `upload-artifacts-<8 hex>` and
 * `seed-input-data-<8 hex>` Jobs) get a new name whenever what they run changes: in a plain
 * comparison one job change is an object removed and another added. Here the old and the new
 * object of the same job become one `replaced` change with what changed field by field: a
 * JobRun's Spark settings by key (`spark.executor.instances: "2" → "4"`), the scripts and pod
 * templates it points at by their content (a line diff, or YAML compared as data), the rest of
 * its spec and metadata by path.
 */

const CONTENT_SUFFIX = /-[0-9a-f]{8}$/;
/** The label that names the job a JobRun runs. */
export const JOB_LABEL = 'emr-eks-gitops/job';

/** What stays the same when a content-addressed object is renamed, or undefined for other objects. */
function lineage(entry: Entry): string | undefined {
  if (entry.app.startsWith('terraform/')) return undefined;
  const metadata = asObject(asObject(entry.value).metadata);
  const name = String(metadata.name);
  if (!CONTENT_SUFFIX.test(name)) return undefined;
  const job = asObject(metadata.labels)[JOB_LABEL];
  const stem = typeof job === 'string' ? job : name.replace(CONTENT_SUFFIX, '');
  return `${entry.env}|${entry.app}|${String(asObject(entry.value).apiVersion)}|${entry.kind}|${String(metadata.namespace)}|${stem}`;
}

/** A change with the entry it is about (on the side where it exists). */
interface Located {
  readonly change: Change;
  readonly entry: Entry;
}

/** Added or removed changes of content-addressed objects, grouped by lineage. */
function byLineage(changes: readonly Change[], index: Index): Map<string, Located[]> {
  const groups = new Map<string, Located[]>();
  for (const change of changes) {
    const entry = index.get(indexKey(change));
    const key = entry === undefined ? undefined : lineage(entry);
    if (entry !== undefined && key !== undefined)
      groups.set(key, [...(groups.get(key) ?? []), { change, entry }]);
  }
  return groups;
}

/**
 * The changes with each removed content-addressed object and the one added in its place (same
 * lineage, exactly one on each side) merged into one `replaced` change.
 */
export function pairReplacements(changes: readonly Change[], before: Index, after: Index): Change[] {
  const removed = byLineage(
    changes.filter((c) => c.action === 'removed'),
    before,
  );
  const added = byLineage(
    changes.filter((c) => c.action === 'added'),
    after,
  );
  const replacedBy = new Map<Change, Change>();
  const consumed = new Set<Change>();
  for (const [key, olds] of removed) {
    const news = added.get(key) ?? [];
    const [old] = olds;
    const [next] = news;
    if (olds.length !== 1 || news.length !== 1 || old === undefined || next === undefined) continue;
    const fields = replacementFields(old.entry, next.entry, before, after);
    replacedBy.set(old.change, { ...next.change, previous: old.change.name, action: 'replaced', fields });
    consumed.add(next.change);
  }
  return changes.flatMap((change) => {
    if (consumed.has(change)) return [];
    return [replacedBy.get(change) ?? change];
  });
}

/** Without the names that carry the content address (they always differ). */
function withoutNames(kind: string, value: unknown): unknown {
  const object = structuredClone(asObject(value));
  delete asObject(object.metadata).name;
  if (kind === 'JobRun') delete asObject(object.spec).name;
  return object;
}

function replacementFields(old: Entry, next: Entry, before: Index, after: Index): FieldChange[] {
  if (old.kind === 'JobRun') return jobRunFields(old, next, before, after);
  return valueDiff(withoutNames(old.kind, old.value), withoutNames(next.kind, next.value), {
    kind: next.kind,
  });
}

/** A JobRun as compared: its settings by key, and the rest of the object without them. */
interface JobRunView {
  settings: Map<string, unknown>;
  rest: unknown;
}

function jobRunView(value: unknown): JobRunView {
  const object = asObject(withoutNames('JobRun', value));
  const spec = asObject(object.spec);
  const submit = asObject(asObject(spec.jobDriver).sparkSubmitJobDriver);
  const parameters = submit.sparkSubmitParameters;
  delete submit.sparkSubmitParameters;
  let overrides: unknown = spec.configurationOverrides;
  if (typeof overrides === 'string') {
    try {
      overrides = JSON.parse(overrides) as unknown;
    } catch {
      // Not JSON: compared as the text it is, with the rest of the spec.
    }
  }
  let applicationConfiguration: unknown;
  if (isObject(overrides)) {
    applicationConfiguration = overrides.applicationConfiguration;
    delete overrides.applicationConfiguration;
    spec.configurationOverrides = overrides;
  }
  return { settings: jobRunSettings(applicationConfiguration, parameters), rest: object };
}

/** `…/artifacts/<sha256>/<file>`: where the upload Job puts a file the JobRun reads. */
const ARTIFACT = /\/artifacts\/([0-9a-f]{64})\/([^/"\\\s]+)/g;

/** Each artifact file a view points at, with its content address (a file at two addresses: left out). */
function artifactsOf(view: JobRunView): Map<string, string> {
  const text = JSON.stringify([view.rest, [...view.settings]]);
  const found = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const [, hash = '', file = ''] of text.matchAll(ARTIFACT)) {
    if (found.has(file) && found.get(file) !== hash) ambiguous.add(file);
    found.set(file, hash);
  }
  for (const file of ambiguous) found.delete(file);
  return found;
}

/** The text of an artifact: the entry of a ConfigMap in the JobRun's namespace with that content address. */
function artifactText(index: Index, job: Entry, file: string, hash: string): string | undefined {
  const namespace = String(asObject(asObject(job.value).metadata).namespace);
  for (const entry of index.values()) {
    if (entry.env !== job.env || entry.kind !== 'ConfigMap' || !entry.name.startsWith(`${namespace}/`))
      continue;
    const text = asObject(asObject(entry.value).data)[file];
    if (typeof text === 'string' && sha256(text) === hash) return text;
  }
  return undefined;
}

/** Every string in a value with `replace` applied. */
function mapStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, replace));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, replace)]));
  return value;
}

function jobRunFields(old: Entry, next: Entry, before: Index, after: Index): FieldChange[] {
  const a = jobRunView(old.value);
  const b = jobRunView(next.value);
  const oldFiles = artifactsOf(a);
  const contentFields: FieldChange[] = [];
  const explained = new Map<string, string>();
  for (const [file, hash] of artifactsOf(b)) {
    const oldHash = oldFiles.get(file);
    if (oldHash === undefined || oldHash === hash) continue;
    const oldText = artifactText(before, old, file, oldHash);
    const newText = artifactText(after, next, file, hash);
    if (oldText === undefined || newText === undefined) continue;
    const fields = valueDiff(
      { data: { [file]: oldText } },
      { data: { [file]: newText } },
      { kind: 'ConfigMap' },
    );
    contentFields.push(
      ...fields.map((field) => ({ ...field, path: field.path.replace(/^\.data/, '.files') })),
    );
    explained.set(`/artifacts/${oldHash}/${file}`, `/artifacts/…/${file}`);
    explained.set(`/artifacts/${hash}/${file}`, `/artifacts/…/${file}`);
  }
  // An address whose change the content diff explains compares as equal.
  const plain = (text: string): string =>
    text.replace(ARTIFACT, (match: string) => explained.get(match) ?? match);
  const settingFields: FieldChange[] = [];
  const keys = [...new Set([...a.settings.keys(), ...b.settings.keys()])].sort();
  for (const key of keys) {
    const was = mapStrings(a.settings.get(key), plain);
    const now = mapStrings(b.settings.get(key), plain);
    if (JSON.stringify(was) !== JSON.stringify(now))
      settingFields.push({ path: `.${key}`, before: was, after: now });
  }
  const restFields = valueDiff(mapStrings(a.rest, plain), mapStrings(b.rest, plain), { kind: 'JobRun' });
  return [...settingFields, ...contentFields, ...restFields];
}

/**
 * The same script change under several JobRuns (jobs that share a script) is printed in full
 * under the first and named under the others.
 */
export function shareContentDiffs(changes: readonly Change[]): Change[] {
  const first = new Map<string, string>();
  return changes.map((change) => {
    if (change.action !== 'replaced' || change.kind !== 'JobRun') return change;
    const fields = change.fields.map((field) => {
      if (field.lines === undefined || !field.path.startsWith('.files[')) return field;
      const key = `${change.env}|${change.name.split('/')[0] ?? ''}|${field.path}|${JSON.stringify(field.lines)}`;
      const shownUnder = first.get(key);
      if (shownUnder === undefined) {
        first.set(key, change.name);
        return field;
      }
      const added = field.lines.filter((line) => line.op === '+').length;
      const removed = field.lines.filter((line) => line.op === '-').length;
      return {
        path: field.path,
        before: field.before,
        after: field.after,
        summary: `${field.path.slice(1)}: text changed (+${added} -${removed} lines), as under JobRun ${shownUnder}`,
      };
    });
    return { ...change, fields };
  });
}
