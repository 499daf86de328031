import { sha256 } from '../../../lib/hash';
import { specS3Uris } from './spec-uris';
import type { FindingSink } from '../../findings';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../../lib/json';
import type { RuntimeObject, RuntimeObjects } from '../../runtime/objects';

/**
 * The content-addressing model (decision 6, docs/decisions.md): a JobRun reads its script, files and pod
 * templates from `s3://<bucket>/<team>/artifacts/<sha256>/<file>`, and an upload Job in its
 * namespace ships them there from ConfigMaps. What reaches S3 is what the Job's container
 * copies: each `upload '<mounted file>' <sha256> '<key>'` line of its command (the script
 * `manifests/constructs/artifact-upload-job.ts` writes), the mounted file being the ConfigMap
 * entry its volume mount leads to, and the bucket its `BUCKET` environment variable.
 *
 * - `content.hash-mismatch`: the bytes of a shipped ConfigMap entry do not hash to the sha256 in
 *   its key (an entry edited in dist/, or a stale render): the Job's own check fails and the
 *   JobRuns that read the key find nothing, or find other bytes than the ones reviewed.
 * - `content.not-uploaded`: a JobRun names an artifact URI that no upload Job of its namespace
 *   ships.
 */

/** One file an upload Job ships. */
export interface Upload {
  readonly job: RuntimeObject;
  /** `s3://<bucket>/<key>`. */
  readonly uri: string;
  readonly sha256: string;
  /** The ConfigMap entry it copies, when the mount resolves to one. */
  readonly source?: { readonly configMap: RuntimeObject; readonly key: string };
}

const UPLOAD_LINE = /^\s*upload '([^']+)' ([0-9a-f]{64}) '([^']+)'\s*$/gm;
/** The key of a content-addressed artifact: `…/artifacts/<hex>/<file>`. */
const ARTIFACT_KEY = /(?:^|\/)artifacts\/[0-9a-f]{8,64}\/[^/]+$/;

function containerText(container: Json): string {
  return [...arr(container.command), ...arr(container.args)].filter((x) => typeof x === 'string').join('\n');
}

/** The ConfigMap entry a path inside the container resolves to through its volume mounts. */
function mountedEntry(
  path: string,
  container: Json,
  volumes: readonly Json[],
  namespace: string | undefined,
  objects: RuntimeObjects,
): Upload['source'] {
  for (const mount of arr(container.volumeMounts).filter(isObject)) {
    const at = str(mount.mountPath)?.replace(/\/+$/, '');
    if (at === undefined || !path.startsWith(`${at}/`)) continue;
    const volume = volumes.find((v) => v.name === mount.name);
    const name = str(obj(volume?.configMap).name);
    if (name === undefined) continue;
    const relative = path.slice(at.length + 1);
    const item = arr(obj(volume?.configMap).items)
      .filter(isObject)
      .find((i) => i.path === relative);
    const key = str(item?.key) ?? relative;
    const configMap = objects.find('ConfigMap', name, namespace);
    if (configMap !== undefined) return { configMap, key };
  }
  return undefined;
}

/** Every file the upload Jobs of the set ship. */
export function uploads(objects: RuntimeObjects): Upload[] {
  const found: Upload[] = [];
  for (const job of objects.ofKind('Job')) {
    const spec = obj(obj(obj(job.object.spec).template).spec);
    const volumes = arr(spec.volumes).filter(isObject);
    for (const container of arr(spec.containers).filter(isObject)) {
      const bucket = str(
        arr(container.env)
          .filter(isObject)
          .find((e) => e.name === 'BUCKET')?.value,
      );
      if (bucket === undefined) continue;
      for (const [, path = '', hash = '', key = ''] of containerText(container).matchAll(UPLOAD_LINE)) {
        const source = mountedEntry(path, container, volumes, job.namespace, objects);
        found.push({ job, uri: `s3://${bucket}/${key}`, sha256: hash, ...(source ? { source } : {}) });
      }
    }
  }
  return found;
}

const uploadIndexes = new WeakMap<readonly Upload[], Map<string, Upload>>();

/**
 * The first upload in `shipped` of `uri` by a Job in `namespace`; the list is indexed on the
 * first call (a platform of a thousand teams ships tens of thousands of files).
 */
export function uploadOf(
  shipped: readonly Upload[],
  uri: string,
  namespace: string | undefined,
): Upload | undefined {
  let index = uploadIndexes.get(shipped);
  if (index === undefined) {
    index = new Map();
    for (const upload of shipped) {
      const key = JSON.stringify([upload.job.namespace ?? null, upload.uri]);
      if (!index.has(key)) index.set(key, upload);
    }
    uploadIndexes.set(shipped, index);
  }
  return index.get(JSON.stringify([namespace ?? null, uri]));
}

/** The content-addressed artifact URIs a JobRun names anywhere in its spec. */
export function artifactUris(run: RuntimeObject): string[] {
  const uris = new Set<string>();
  for (const [uri, , key] of specS3Uris(run.object.spec ?? {}))
    if (key !== '' && ARTIFACT_KEY.test(key)) uris.add(uri);
  return [...uris];
}

/** Both content-addressing rules over one environment. */
export function checkContentAddresses(
  sink: FindingSink,
  objects: RuntimeObjects,
  shipped: readonly Upload[],
): void {
  const reported = new Set<string>();
  for (const upload of shipped) {
    if (upload.source === undefined) continue;
    const content = obj(upload.source.configMap.object.data)[upload.source.key];
    if (typeof content !== 'string') continue;
    const actual = sha256(content);
    const id = `${upload.source.configMap.file}\0${upload.source.key}`;
    if (actual === upload.sha256 || reported.has(id)) continue;
    reported.add(id);
    sink.report(
      upload.source.configMap.file,
      `$.data['${upload.source.key}']`,
      'content.hash-mismatch',
      `hashes to ${actual}, but Job ${upload.job.name} ships it as ${upload.uri} (sha256 ${upload.sha256}): the entry was edited after rendering, so the upload's own check fails and JobRuns read other bytes than were reviewed; edit the source and run npm run synth`,
    );
  }
  for (const run of objects.ofKind('JobRun')) {
    for (const uri of artifactUris(run)) {
      if (uploadOf(shipped, uri, run.namespace) !== undefined) continue;
      sink.report(
        run.file,
        '$.spec',
        'content.not-uploaded',
        `reads ${uri}, which no upload Job in namespace ${String(run.namespace)} ships: the job fails on a missing file (a hand-edited hash, or a file missing from the upload)`,
      );
    }
  }
}
