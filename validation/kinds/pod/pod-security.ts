import type { PodTemplate } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../../lib/json';
import { describe, type RuntimeObjects } from '../../runtime/objects';

/**
 * The Pod Security model (decision 18, docs/decisions.md): what Pod Security Admission does to the pods of a
 * team namespace, the namespaces EMR runs jobs in (a VirtualCluster's namespace, or one labelled
 * `emr-eks-gitops/team`), which must enforce at least `baseline`.
 *
 * - `pod-security.namespace-level`: a team Namespace that enforces less than `baseline`
 *   (`pod-security.kubernetes.io/enforce` missing or `privileged`), or does not pin the version
 *   of the checks (`enforce-version` missing or `latest`, so a control plane upgrade changes them).
 * - `pod-security.baseline`: a pod spec rendered into a team namespace, or into any namespace that
 *   enforces `baseline` or `restricted` (a workload's pod template, a Spark pod template in a
 *   ConfigMap), that breaks a control of the `baseline` profile: the API server refuses the pod.
 *
 * The controls are those of k8s.io/pod-security-admission `policy/` at the namespace's pinned
 * version: HostProcess, host namespaces, privileged, capabilities beyond the default set,
 * hostPath volumes, host ports, AppArmor, SELinux, `/proc` mount, seccomp, sysctls, and (1.34+)
 * the `host` of probes and lifecycle handlers. Not modelled: `restricted` (team namespaces only
 * warn and audit on it), and the containers EMR adds to the pods it creates (job-runner,
 * logging), which the render does not contain.
 */

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';
const TEAM_LABEL = 'emr-eks-gitops/team';
const LEVELS = ['privileged', 'baseline', 'restricted'] as const;

/** The capabilities `baseline` lets a container add (the container runtime's default set). */
const DEFAULT_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Sysctls `baseline` allows, by the first Kubernetes minor that allows them. */
const SAFE_SYSCTLS: readonly (readonly [minor: number, names: readonly string[]])[] = [
  [
    0,
    [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [
    29,
    [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  ],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

/** One broken control: its name, what breaks it, and how to fix it. */
interface Violation {
  readonly control: string;
  readonly detail: string;
  readonly fix: string;
}

/** A pod spec to check and where it is. */
interface CheckedPod {
  readonly file: string;
  /** JSON path of the pod spec (`…spec`). */
  readonly path: string;
  readonly what: string;
  readonly namespace: string;
  readonly metadata: Json;
  readonly spec: Json;
}

/** The namespace's enforced level and the Kubernetes minor its checks are pinned to. */
interface Enforcement {
  readonly level: (typeof LEVELS)[number] | undefined;
  /** `Infinity` for `latest` or no version. */
  readonly minor: number;
}

function minorOf(version: string | undefined): number {
  const match = /^v1\.(\d+)$/.exec(version ?? '');
  return match?.[1] === undefined ? Infinity : Number(match[1]);
}

function containers(spec: Json): Json[] {
  return [...arr(spec.initContainers), ...arr(spec.containers), ...arr(spec.ephemeralContainers)].filter(
    isObject,
  );
}

const names = (list: readonly Json[]): string => list.map((c) => str(c.name) ?? '?').join(', ');

function hostNamespaces(spec: Json): Violation | undefined {
  const shared = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true);
  return shared.length === 0
    ? undefined
    : {
        control: 'host namespaces',
        detail: `${shared.join(', ')} set to true`,
        fix: 'remove them',
      };
}

function hostProcess(spec: Json): Violation | undefined {
  const pod = obj(obj(spec.securityContext).windowsOptions).hostProcess === true;
  const bad = containers(spec).filter((c) => obj(obj(c.securityContext).windowsOptions).hostProcess === true);
  return pod || bad.length > 0
    ? {
        control: 'HostProcess',
        detail: `windowsOptions.hostProcess is true${bad.length > 0 ? ` on ${names(bad)}` : ''}`,
        fix: 'remove it',
      }
    : undefined;
}

function privileged(spec: Json): Violation | undefined {
  const bad = containers(spec).filter((c) => obj(c.securityContext).privileged === true);
  return bad.length === 0
    ? undefined
    : {
        control: 'privileged',
        detail: `container(s) ${names(bad)} run privileged`,
        fix: 'remove securityContext.privileged',
      };
}

function capabilities(spec: Json): Violation | undefined {
  const added = new Set<string>();
  const bad = containers(spec).filter((c) => {
    const extra = arr(obj(obj(c.securityContext).capabilities).add).filter(
      (cap): cap is string => typeof cap === 'string' && !DEFAULT_CAPABILITIES.has(cap),
    );
    for (const cap of extra) added.add(cap);
    return extra.length > 0;
  });
  return bad.length === 0
    ? undefined
    : {
        control: 'capabilities',
        detail: `container(s) ${names(bad)} add ${[...added].sort().join(', ')}`,
        fix: 'add only capabilities of the default set (CHOWN, SETUID, NET_BIND_SERVICE, …)',
      };
}

function hostPathVolumes(spec: Json): Violation | undefined {
  const bad = arr(spec.volumes)
    .filter(isObject)
    .filter((v) => v.hostPath !== undefined);
  return bad.length === 0
    ? undefined
    : {
        control: 'hostPath volumes',
        detail: `volume(s) ${names(bad)} mount ${bad.map((v) => str(obj(v.hostPath).path) ?? '?').join(', ')} of the node`,
        fix: 'use an emptyDir or a PersistentVolumeClaim',
      };
}

function hostPorts(spec: Json): Violation | undefined {
  const bad = containers(spec).filter((c) =>
    arr(c.ports).some((p) => isObject(p) && p.hostPort !== undefined && p.hostPort !== 0),
  );
  return bad.length === 0
    ? undefined
    : { control: 'host ports', detail: `container(s) ${names(bad)} set a hostPort`, fix: 'remove hostPort' };
}

function appArmor(metadata: Json, spec: Json): Violation | undefined {
  const annotations = Object.entries(obj(metadata.annotations)).filter(
    ([key, value]) =>
      key.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      typeof value === 'string' &&
      value !== '' &&
      value !== 'runtime/default' &&
      !value.startsWith('localhost/'),
  );
  const profile = (context: unknown): boolean => {
    const type = str(obj(obj(context).appArmorProfile).type);
    return type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost';
  };
  const bad = containers(spec).filter((c) => profile(c.securityContext));
  if (annotations.length === 0 && bad.length === 0 && !profile(spec.securityContext)) return undefined;
  return {
    control: 'AppArmor',
    detail: 'an AppArmor profile other than RuntimeDefault or Localhost',
    fix: 'remove the profile or use RuntimeDefault',
  };
}

function seLinux(spec: Json, minor: number): Violation | undefined {
  const types = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
  if (minor >= 31) types.add('container_engine_t');
  const bad = (context: unknown): boolean => {
    const options = obj(context).seLinuxOptions;
    if (!isObject(options)) return false;
    return (
      !types.has(str(options.type) ?? '') ||
      (str(options.user) ?? '') !== '' ||
      (str(options.role) ?? '') !== ''
    );
  };
  return bad(spec.securityContext) || containers(spec).some((c) => bad(c.securityContext))
    ? {
        control: 'SELinux',
        detail: 'a custom SELinux type, user or role',
        fix: 'remove seLinuxOptions or use type container_t',
      }
    : undefined;
}

function procMount(spec: Json, minor: number): Violation | undefined {
  if (minor >= 35 && spec.hostUsers === false) return undefined;
  const bad = containers(spec).filter((c) => {
    const mount = obj(c.securityContext).procMount;
    return mount !== undefined && mount !== 'Default';
  });
  return bad.length === 0
    ? undefined
    : {
        control: '/proc mount type',
        detail: `container(s) ${names(bad)} unmask /proc`,
        fix: 'remove securityContext.procMount',
      };
}

function seccomp(spec: Json): Violation | undefined {
  const bad = (context: unknown): boolean => {
    const type = str(obj(obj(context).seccompProfile).type);
    return type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost';
  };
  const containerBad = containers(spec).filter((c) => bad(c.securityContext));
  return bad(spec.securityContext) || containerBad.length > 0
    ? {
        control: 'seccomp',
        detail: 'seccompProfile Unconfined',
        fix: 'use seccompProfile RuntimeDefault',
      }
    : undefined;
}

function sysctls(spec: Json, minor: number): Violation | undefined {
  const allowed = new Set(SAFE_SYSCTLS.filter(([since]) => minor >= since).flatMap(([, list]) => list));
  const bad = arr(obj(spec.securityContext).sysctls)
    .filter(isObject)
    .map((s) => str(s.name) ?? '')
    .filter((name) => !allowed.has(name));
  return bad.length === 0
    ? undefined
    : { control: 'sysctls', detail: `unsafe sysctl(s) ${bad.join(', ')}`, fix: 'remove them' };
}

function hostProbes(spec: Json, minor: number): Violation | undefined {
  if (minor < 34) return undefined;
  const hostOf = (handler: unknown): boolean =>
    (str(obj(obj(handler).httpGet).host) ?? '') !== '' ||
    (str(obj(obj(handler).tcpSocket).host) ?? '') !== '';
  const bad = containers(spec).filter(
    (c) =>
      hostOf(c.livenessProbe) ||
      hostOf(c.readinessProbe) ||
      hostOf(c.startupProbe) ||
      hostOf(obj(c.lifecycle).postStart) ||
      hostOf(obj(c.lifecycle).preStop),
  );
  return bad.length === 0
    ? undefined
    : {
        control: 'probe and lifecycle hosts',
        detail: `container(s) ${names(bad)} probe another host`,
        fix: 'remove the host of the probe or handler',
      };
}

/** The `baseline` controls a pod spec breaks, at a Kubernetes minor. */
export function baselineViolations(metadata: Json, spec: Json, minor = Infinity): Violation[] {
  return [
    hostProcess(spec),
    hostNamespaces(spec),
    privileged(spec),
    capabilities(spec),
    hostPathVolumes(spec),
    hostPorts(spec),
    appArmor(metadata, spec),
    seLinux(spec, minor),
    procMount(spec, minor),
    seccomp(spec),
    sysctls(spec, minor),
    hostProbes(spec, minor),
  ].filter((v): v is Violation => v !== undefined);
}

/** The pod template of a workload kind and the JSON path of its spec. */
function workloadTemplate(kind: string, object: Json): { template: Json; path: string } | undefined {
  const spec = obj(object.spec);
  switch (kind) {
    case 'Pod':
      return { template: object, path: '$.spec' };
    case 'Job':
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      return { template: obj(spec.template), path: '$.spec.template.spec' };
    case 'CronJob':
      return {
        template: obj(obj(obj(spec.jobTemplate).spec).template),
        path: '$.spec.jobTemplate.spec.template.spec',
      };
    default:
      return undefined;
  }
}

/** Namespaces EMR runs jobs in: those of VirtualClusters, and those labelled as a team's. */
function teamNamespaces(objects: RuntimeObjects): Set<string> {
  const found = new Set<string>();
  for (const vc of objects.ofKind('VirtualCluster')) {
    const target = str(obj(obj(obj(obj(vc.object.spec).containerProvider).info).eksInfo).namespace);
    if (target !== undefined) found.add(target);
    if (vc.namespace !== undefined) found.add(vc.namespace);
  }
  for (const ns of objects.ofKind('Namespace'))
    if (obj(obj(ns.object.metadata).labels)[TEAM_LABEL] !== undefined) found.add(ns.name);
  return found;
}

function enforcement(objects: RuntimeObjects, namespace: string): Enforcement {
  const labels = obj(obj(objects.find('Namespace', namespace, undefined)?.object.metadata).labels);
  const level = LEVELS.find((l) => l === labels[ENFORCE]);
  return { level, minor: minorOf(str(labels[ENFORCE_VERSION])) };
}

function checkNamespaces(sink: FindingSink, objects: RuntimeObjects, teams: ReadonlySet<string>): void {
  for (const name of teams) {
    const ns = objects.find('Namespace', name, undefined);
    if (ns === undefined) continue;
    const labels = obj(obj(ns.object.metadata).labels);
    const level = str(labels[ENFORCE]);
    if (level !== 'baseline' && level !== 'restricted') {
      sink.report(
        ns.file,
        '$.metadata.labels',
        'pod-security.namespace-level',
        `${describe(ns)} is a team namespace but enforces Pod Security ${level === undefined ? 'nothing' : JSON.stringify(level)}, so its pods may mount the node or run privileged; label it ${ENFORCE}: baseline`,
      );
    }
    if (!/^v1\.\d+$/.test(str(labels[ENFORCE_VERSION]) ?? '')) {
      sink.report(
        ns.file,
        '$.metadata.labels',
        'pod-security.namespace-level',
        `${describe(ns)} does not pin the version of its Pod Security checks (${ENFORCE_VERSION} is ${JSON.stringify(labels[ENFORCE_VERSION] ?? 'unset')}), so a control plane upgrade changes what it admits; set it to the cluster's minor, such as v1.34`,
      );
    }
  }
}

/** Every pod spec rendered into a namespace, with where it is. */
function podsOf(objects: RuntimeObjects, templates: readonly PodTemplate[]): CheckedPod[] {
  const pods: CheckedPod[] = [];
  for (const o of objects.all) {
    if (o.namespace === undefined) continue;
    const found = workloadTemplate(o.kind, o.object);
    if (found === undefined) continue;
    pods.push({
      file: o.file,
      path: found.path,
      what: `the pod of ${describe(o)}`,
      namespace: o.namespace,
      metadata: obj(found.template.metadata),
      spec: obj(found.template.spec),
    });
  }
  for (const t of templates) {
    if (t.namespace === undefined) continue;
    pods.push({
      file: t.file,
      path: `${t.path}.spec`,
      what: `pod template ${t.key}`,
      namespace: t.namespace,
      metadata: obj(t.pod.metadata),
      spec: obj(t.pod.spec),
    });
  }
  return pods;
}

/** Checks the team namespaces' Pod Security labels and every pod spec admitted under them. */
export function checkPodSecurity(
  sink: FindingSink,
  objects: RuntimeObjects,
  templates: readonly PodTemplate[],
): void {
  const teams = teamNamespaces(objects);
  checkNamespaces(sink, objects, teams);
  for (const pod of podsOf(objects, templates)) {
    const { level, minor } = enforcement(objects, pod.namespace);
    if (!teams.has(pod.namespace) && level !== 'baseline' && level !== 'restricted') continue;
    for (const v of baselineViolations(pod.metadata, pod.spec, minor)) {
      sink.report(
        pod.file,
        pod.path,
        'pod-security.baseline',
        `${pod.what} in namespace ${pod.namespace} breaks the Pod Security baseline control "${v.control}" (${v.detail}), so the API server refuses the pod; ${v.fix}`,
      );
    }
  }
}
