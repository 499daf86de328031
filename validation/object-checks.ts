import {
  dnsLabelProblem,
  dnsSubdomainProblem,
  labelValueProblem,
  pathSegmentProblem,
  qualifiedNameProblem,
} from '../lib/kubernetes-formats';
import type { FindingSink } from './findings';
import { isObject, type Json } from '../lib/json';

/** Kinds whose names are DNS-1123 labels rather than subdomains. */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);
/** Kinds whose names are only path segments (RBAC). */
const PATH_SEGMENT_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/** Names, namespace, labels and annotations, as the API server's ObjectMeta validation checks them. */
export function checkMetadata(
  sink: FindingSink,
  file: string,
  kind: string,
  metadata: unknown,
  path = '$.metadata',
): void {
  if (!isObject(metadata)) return;
  const name = metadata.name;
  if (path === '$.metadata') {
    if (typeof name !== 'string' || name === '') {
      sink.report(file, `${path}.name`, 'metadata.name', 'every object needs metadata.name');
    } else {
      const problem = PATH_SEGMENT_KINDS.has(kind)
        ? pathSegmentProblem(name)
        : LABEL_NAMED_KINDS.has(kind)
          ? dnsLabelProblem(name)
          : dnsSubdomainProblem(name);
      if (problem !== undefined) sink.report(file, `${path}.name`, 'metadata.name', problem);
    }
    if (typeof metadata.namespace === 'string') {
      const problem = dnsLabelProblem(metadata.namespace);
      if (problem !== undefined) sink.report(file, `${path}.namespace`, 'metadata.namespace', problem);
    }
  }
  for (const [key, value] of Object.entries(isObject(metadata.labels) ? metadata.labels : {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined) sink.report(file, `${path}.labels`, 'metadata.label-key', keyProblem);
    const valueProblem =
      typeof value === 'string' ? labelValueProblem(value) : 'label values must be strings';
    if (valueProblem !== undefined)
      sink.report(file, `${path}.labels['${key}']`, 'metadata.label-value', valueProblem);
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(isObject(metadata.annotations) ? metadata.annotations : {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined)
      sink.report(file, `${path}.annotations`, 'metadata.annotation-key', keyProblem);
    annotationBytes += key.length + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (annotationBytes > 256 * 1024) {
    sink.report(
      file,
      `${path}.annotations`,
      'metadata.annotations-size',
      'annotations exceed 256 KiB in total',
    );
  }
}

/** Where a kind keeps its pod spec, if it has one. */
export function podSpecPath(kind: string): readonly string[] | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'Job':
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      return ['spec', 'template', 'spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

/** Go-only pod spec rules: unique container names, mounts of declared volumes, Job restart policy. */
export function checkPodSpec(sink: FindingSink, file: string, kind: string, object: Json): void {
  const at = podSpecPath(kind);
  if (at === undefined) return;
  let spec: unknown = object;
  for (const key of at) spec = isObject(spec) ? spec[key] : undefined;
  if (!isObject(spec)) return;
  const path = `$.${at.join('.')}`;
  if (at.length > 1) {
    let template: unknown = object;
    for (const key of at.slice(0, -1)) template = isObject(template) ? template[key] : undefined;
    if (isObject(template))
      checkMetadata(sink, file, kind, template.metadata, `$.${at.slice(0, -1).join('.')}.metadata`);
  }
  const names = new Set<string>();
  const volumes = new Set(
    (Array.isArray(spec.volumes) ? spec.volumes : []).map((v: unknown) => (isObject(v) ? v.name : undefined)),
  );
  for (const list of ['initContainers', 'containers'] as const) {
    const containers: unknown[] = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    containers.forEach((container, index) => {
      if (!isObject(container)) return;
      const containerPath = `${path}.${list}[${index}]`;
      if (typeof container.name === 'string') {
        if (names.has(container.name)) {
          sink.report(
            file,
            `${containerPath}.name`,
            'pod.duplicate-container',
            `container name "${container.name}" is used twice`,
          );
        }
        names.add(container.name);
      }
      const mounts: unknown[] = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
      mounts.forEach((mount, mountIndex) => {
        if (isObject(mount) && typeof mount.name === 'string' && !volumes.has(mount.name)) {
          sink.report(
            file,
            `${containerPath}.volumeMounts[${mountIndex}].name`,
            'pod.unknown-volume',
            `mounts volume "${mount.name}", which spec.volumes does not declare`,
          );
        }
      });
    });
  }
  if (
    (kind === 'Job' || kind === 'CronJob') &&
    spec.restartPolicy !== 'OnFailure' &&
    spec.restartPolicy !== 'Never'
  ) {
    sink.report(
      file,
      `${path}.restartPolicy`,
      'enum.restart-policy',
      'a Job pod template needs restartPolicy OnFailure or Never',
    );
  }
}
