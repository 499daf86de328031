import type { FindingSink } from '../findings';
import { classificationProperties, parseOverrides } from '../kinds/jobrun/checks';
import { putMember } from '../../lib/merge';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../lib/json';
import { jobRunTemplate } from '../kinds/jobrun/pods';
import type { RuntimeObject } from '../runtime/objects';
import { jobRunConf } from '../kinds/jobrun/spark-conf';
import { stringMap, workloadShape } from '../kinds/pod/model';
import { named, type SystemContext, type SystemModel } from './context';

/**
 * The NetworkPolicies as a reachability matrix (class 3 of the system models). A connection from
 * pod P to a destination on (protocol, port) is open when P's egress admits it (no egress policy
 * selects P, or a rule of one that does admits the peer and port) and the destination's ingress
 * admits P likewise (Kubernetes NetworkPolicy semantics: policies are additive allow lists).
 *
 * Endpoints:
 * - the platform's pods: for every JobRun its job submitter, driver and executors (labels from the
 *   pod template, `spark-role`, `spark.kubernetes.<role>.label.*` and `jobsubmitter.label.*`),
 *   and every workload's pods (labels from the pod template); their addresses are in the node
 *   subnets Terraform gives the cluster (the VPC CNI gives pods VPC addresses);
 * - CoreDNS: pods labelled `k8s-app: kube-dns` in `kube-system` (EKS's coredns add-on), ports
 *   53/UDP (`dns`) and 53/TCP (`dns-tcp`);
 * - the API server: its private endpoint's network interfaces in the cluster's subnets
 *   (`aws_eks_cluster.vpc_config.subnet_ids`), TCP 443;
 * - S3 and STS: public AWS addresses, TCP 443, represented by one address from each service's
 *   published us-west-2 ranges ({@link AWS_ENDPOINTS}).
 * Namespaces carry the labels of their rendered Namespace object plus `kubernetes.io/metadata.name`,
 * which the API server sets on every namespace; namespaces not rendered (kube-system) carry only
 * that label.
 *
 * Checks: every pod reaches DNS, the API server, S3 and STS; a JobRun's driver and executors
 * reach each other both ways on Spark's ports (driver port and block manager port; executors
 * reach each other's block managers for shuffle); no pod of one team namespace reaches a pod of
 * another.
 */

/** One address from the us-west-2 ranges of each public AWS service the pods call (ip-ranges.json). */
export const AWS_ENDPOINTS = [
  { name: 'S3', address: '52.218.128.10' },
  { name: 'STS', address: '52.94.208.10' },
] as const;

interface Peer {
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly address: number;
  readonly portNames?: Readonly<Record<string, string>>;
}

interface Port {
  readonly protocol: 'TCP' | 'UDP';
  readonly port: number;
}

interface Policy {
  readonly object: RuntimeObject;
  readonly spec: Json;
}

function ip(text: string): number | undefined {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

function inCidr(cidr: string, address: number): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const start = ip(base);
  const length = Number(bits);
  if (start === undefined || !Number.isInteger(length)) return false;
  if (length === 0) return true;
  const mask = (~0 << (32 - length)) >>> 0;
  return (start & mask) >>> 0 === (address & mask) >>> 0;
}

function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = obj(selector);
  for (const [key, value] of Object.entries(obj(s.matchLabels))) if (labels[key] !== value) return false;
  for (const expression of arr(s.matchExpressions).filter(isObject)) {
    const key = str(expression.key) ?? '';
    const values = arr(expression.values).map(String);
    const has = key in labels;
    const ok =
      expression.operator === 'In'
        ? has && values.includes(labels[key]!)
        : expression.operator === 'NotIn'
          ? !has || !values.includes(labels[key]!)
          : expression.operator === 'Exists'
            ? has
            : expression.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

class Matrix {
  private readonly policies = new Map<string, Policy[]>();
  private readonly namespaceLabels = new Map<string, Record<string, string>>();

  constructor(context: SystemContext) {
    for (const np of context.objects.ofKind('NetworkPolicy')) {
      const list = this.policies.get(np.namespace ?? '') ?? [];
      list.push({ object: np, spec: obj(np.object.spec) });
      this.policies.set(np.namespace ?? '', list);
    }
    for (const ns of context.objects.ofKind('Namespace'))
      this.namespaceLabels.set(ns.name, obj(obj(ns.object.metadata).labels) as Record<string, string>);
    const keys = new Set<string>();
    const read = (selector: unknown): void => {
      const s = obj(selector);
      for (const key of Object.keys(obj(s.matchLabels))) keys.add(key);
      for (const expression of arr(s.matchExpressions).filter(isObject)) keys.add(str(expression.key) ?? '');
    };
    for (const list of this.policies.values())
      for (const { spec } of list) {
        read(spec.podSelector);
        for (const rule of [...arr(spec.egress), ...arr(spec.ingress)].filter(isObject))
          for (const peer of [...arr(rule.to), ...arr(rule.from)].filter(isObject)) read(peer.podSelector);
      }
    this.selectorKeys = [...keys].sort();
  }

  /** Namespace labels as the API server sets them, made once per namespace. */
  private readonly fullLabels = new Map<string, Readonly<Record<string, string>>>();
  /** Every label key a pod selector of some policy reads (policy and peer selectors). */
  private readonly selectorKeys: readonly string[];
  /** The candidate namespaces a namespaceSelector matches, per selector and candidate set. */
  private readonly selectedCache = new WeakMap<object, WeakMap<ReadonlySet<string>, Set<string>>>();

  labelsOf(namespace: string): Readonly<Record<string, string>> {
    let labels = this.fullLabels.get(namespace);
    if (labels === undefined) {
      labels = { ...(this.namespaceLabels.get(namespace) ?? {}), 'kubernetes.io/metadata.name': namespace };
      this.fullLabels.set(namespace, labels);
    }
    return labels;
  }

  private isolating(
    namespace: string,
    labels: Readonly<Record<string, string>>,
    direction: 'Ingress' | 'Egress',
  ): Policy[] {
    return (this.policies.get(namespace) ?? []).filter((p) => {
      const types = arr(p.spec.policyTypes).map(String);
      const applies =
        types.length > 0 ? types.includes(direction) : direction === 'Ingress' || p.spec.egress !== undefined;
      return applies && selects(p.spec.podSelector, labels);
    });
  }

  /**
   * A pod's row of the matrix: its namespace and the values of the labels some pod selector
   * reads. Labels no selector reads never change a verdict, so pods of one row are admitted
   * alike and the checks evaluate each row once.
   */
  row(pod: { namespace: string; labels: Readonly<Record<string, string>> }): string {
    const values = this.selectorKeys.map((key) => (Object.hasOwn(pod.labels, key) ? pod.labels[key] : null));
    return `${pod.namespace}\0${JSON.stringify(values)}`;
  }

  /** The namespaces of `candidates` a namespaceSelector matches. */
  private selectedNamespaces(selector: Json, candidates: ReadonlySet<string>): ReadonlySet<string> {
    let bySet = this.selectedCache.get(selector);
    if (bySet === undefined) {
      bySet = new WeakMap();
      this.selectedCache.set(selector, bySet);
    }
    let found = bySet.get(candidates);
    if (found === undefined) {
      found = new Set([...candidates].filter((ns) => selects(selector, this.labelsOf(ns))));
      bySet.set(candidates, found);
    }
    return found;
  }

  private peerMatches(rulePeer: Json, policyNamespace: string, peer: Peer): boolean {
    if (isObject(rulePeer.ipBlock)) {
      const block = rulePeer.ipBlock;
      return (
        inCidr(str(block.cidr) ?? '', peer.address) &&
        !arr(block.except).some((e) => inCidr(String(e), peer.address))
      );
    }
    if (peer.namespace === undefined || peer.labels === undefined) return false;
    const namespaceOk =
      rulePeer.namespaceSelector !== undefined
        ? selects(rulePeer.namespaceSelector, this.labelsOf(peer.namespace))
        : peer.namespace === policyNamespace;
    return namespaceOk && (rulePeer.podSelector === undefined || selects(rulePeer.podSelector, peer.labels));
  }

  private portMatches(rule: Json, port: Port, names: Readonly<Record<string, string>>): boolean {
    const ports = arr(rule.ports).filter(isObject);
    if (ports.length === 0) return true;
    return ports.some((p) => {
      if ((str(p.protocol) ?? 'TCP') !== port.protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'string' && !/^\d+$/.test(p.port))
        return names[p.port] === `${port.protocol}/${port.port}`;
      const start = Number(p.port);
      const end = typeof p.endPort === 'number' ? p.endPort : start;
      return port.port >= start && port.port <= end;
    });
  }

  /** The policy that admits the connection in one direction, `open` if none isolates, else undefined. */
  admits(
    direction: 'Ingress' | 'Egress',
    self: Peer & { namespace: string; labels: Readonly<Record<string, string>> },
    other: Peer,
    port: Port,
  ): Policy | 'open' | undefined {
    const isolating = this.isolating(self.namespace, self.labels, direction);
    if (isolating.length === 0) return 'open';
    const names = direction === 'Egress' ? (other.portNames ?? {}) : (self.portNames ?? {});
    for (const policy of isolating) {
      const rules = arr(direction === 'Egress' ? policy.spec.egress : policy.spec.ingress).filter(isObject);
      for (const rule of rules) {
        const peers = arr(direction === 'Egress' ? rule.to : rule.from).filter(isObject);
        const peerOk = peers.length === 0 || peers.some((p) => this.peerMatches(p, self.namespace, other));
        if (peerOk && this.portMatches(rule, port, names)) return policy;
      }
    }
    return undefined;
  }

  /** The egress policies that select a pod (what a finding about its egress points at). */
  egressPolicies(pod: { namespace: string; labels: Readonly<Record<string, string>> }): Policy[] {
    return this.isolating(pod.namespace, pod.labels, 'Egress');
  }

  ingressPolicies(pod: { namespace: string; labels: Readonly<Record<string, string>> }): Policy[] {
    return this.isolating(pod.namespace, pod.labels, 'Ingress');
  }

  /**
   * The namespaces (of `candidates`) whose pods some ingress rule selecting `pod` could admit:
   * all of them when no policy isolates it, a rule has no peers, or an ipBlock covers pod
   * addresses; else those its namespaceSelectors match.
   */
  ingressSources(
    pod: Peer & { namespace: string; labels: Readonly<Record<string, string>> },
    candidates: ReadonlySet<string>,
  ): Set<string> {
    const isolating = this.isolating(pod.namespace, pod.labels, 'Ingress');
    if (isolating.length === 0) return new Set(candidates);
    const found = new Set<string>();
    for (const policy of isolating) {
      for (const rule of arr(policy.spec.ingress).filter(isObject)) {
        const peers = arr(rule.from).filter(isObject);
        if (peers.length === 0) return new Set(candidates);
        for (const peer of peers) {
          if (isObject(peer.ipBlock)) {
            if (this.peerMatches(peer, pod.namespace, { address: pod.address })) return new Set(candidates);
            continue;
          }
          if (peer.namespaceSelector === undefined) continue;
          const selector = obj(peer.namespaceSelector);
          const name = obj(selector.matchLabels)['kubernetes.io/metadata.name'];
          if (typeof name === 'string' && selector.matchExpressions === undefined) {
            if (candidates.has(name)) found.add(name);
            continue;
          }
          for (const ns of this.selectedNamespaces(selector, candidates)) found.add(ns);
        }
      }
    }
    return found;
  }

  /** Every explicit port the policies of a namespace name, for the cross-team sweep. */
  ports(namespaces: readonly string[]): Port[] {
    const found = new Map<string, Port>();
    for (const ns of namespaces)
      for (const p of this.policies.get(ns) ?? [])
        for (const rule of [...arr(p.spec.egress), ...arr(p.spec.ingress)].filter(isObject))
          for (const port of arr(rule.ports).filter(isObject))
            if (typeof port.port === 'number') {
              const protocol = (str(port.protocol) ?? 'TCP') as Port['protocol'];
              found.set(`${protocol}/${port.port}`, { protocol, port: port.port });
            }
    for (const port of [7078, 7079, 40000]) found.set(`TCP/${port}`, { protocol: 'TCP', port });
    return [...found.values()];
  }
}

type Role = 'job-submitter' | 'driver' | 'executor' | 'workload';

/** One kind of pod the platform runs, as the matrix sees it: who runs it and its labels. */
interface NetworkPod {
  readonly owner: RuntimeObject;
  readonly role: Role;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

interface PlatformPod extends NetworkPod {
  readonly address: number;
  readonly what: string;
}

/** Adds the entries under `prefix` to `into`, the prefix removed (later entries win). */
function underPrefix(
  entries: Iterable<readonly [string, string]>,
  prefix: string,
  into: Record<string, string>,
): Record<string, string> {
  for (const [key, value] of entries)
    if (key.startsWith(prefix)) putMember(into, key.slice(prefix.length), value);
  return into;
}

/**
 * The pods of the environment with their labels: EMR's job submitter, driver and executors of
 * each JobRun (the labels EMR and Spark give them: `jobsubmitter.label.*`; the pod template's,
 * `spark.kubernetes.<role>.label.*` and `spark-role`), and each workload's pods.
 */
function networkPods(context: SystemContext): NetworkPod[] {
  const pods: NetworkPod[] = [];
  for (const o of context.objects.all) {
    if (o.namespace === undefined) continue;
    if (o.kind !== 'JobRun') {
      const template = workloadShape(o)?.template;
      if (template !== undefined)
        pods.push({
          owner: o,
          role: 'workload',
          namespace: o.namespace,
          labels: stringMap(obj(template.metadata).labels),
        });
      continue;
    }
    const spec = obj(o.object.spec);
    const submitter = classificationProperties(parseOverrides(spec), 'emr-job-submitter');
    pods.push({
      owner: o,
      role: 'job-submitter',
      namespace: o.namespace,
      labels: underPrefix(Object.entries(submitter), 'jobsubmitter.label.', {}),
    });
    const { conf } = jobRunConf(spec);
    for (const role of ['driver', 'executor'] as const) {
      const template = jobRunTemplate(conf, role, o.namespace, context.podTemplates);
      const labels = underPrefix(conf, `spark.kubernetes.${role}.label.`, {
        ...stringMap(obj(template?.pod.metadata).labels),
      });
      labels['spark-role'] = role;
      pods.push({ owner: o, role, namespace: o.namespace, labels });
    }
  }
  return pods;
}

/** The first address of the first CIDR of the given subnets, plus an offset. */
function subnetAddress(
  context: SystemContext,
  subnetRefs: readonly unknown[],
  offset: number,
): number | undefined {
  for (const ref of subnetRefs) {
    const subnet = context.referenced(ref);
    const cidr = str(subnet?.body.cidr_block);
    const base = ip(cidr?.split('/')[0] ?? '');
    if (base !== undefined) return base + offset;
  }
  return undefined;
}

function clusterSubnets(context: SystemContext): unknown[] {
  return arr(obj(context.terraform('aws_eks_cluster')[0]?.body.vpc_config).subnet_ids);
}

function policyNames(policies: readonly Policy[]): string {
  return policies.map((p) => p.object.name).join(', ');
}

export const network: SystemModel = {
  name: 'network',
  check(sink: FindingSink, context) {
    if (context.objects.ofKind('NetworkPolicy').length === 0) return;
    const matrix = new Matrix(context);
    const subnets = clusterSubnets(context);
    const podAddress = subnetAddress(context, subnets, 10) ?? ip('100.64.0.10')!;
    const apiAddress = subnetAddress(context, subnets, 5) ?? ip('100.64.0.5')!;
    const pods: PlatformPod[] = networkPods(context).map((pod) => ({
      ...pod,
      address: podAddress,
      what:
        pod.role === 'workload'
          ? `the pods of ${named(pod.owner)}`
          : `the ${pod.role} of ${named(pod.owner)}`,
    }));
    const dns: Peer = {
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' },
      address: subnetAddress(context, subnets, 20) ?? ip('100.64.0.20')!,
      portNames: { dns: 'UDP/53', 'dns-tcp': 'TCP/53', metrics: 'TCP/9153' },
    };
    const https: Port = { protocol: 'TCP', port: 443 };
    const external: { name: string; peer: Peer; port: Port }[] = [
      { name: 'the API server', peer: { address: apiAddress }, port: https },
      ...AWS_ENDPOINTS.map((e) => ({
        name: `${e.name} (${e.address})`,
        peer: { address: ip(e.address)! },
        port: https,
      })),
    ];
    const dnsPorts: Port[] = [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ];
    const reported = new Set<string>();
    const report = (key: string, file: string, path: string, rule: string, message: string): void => {
      if (reported.has(key)) return;
      reported.add(key);
      sink.report(file, path, rule, message);
    };
    // What each row of the matrix cannot reach, evaluated once per row; reported per pod labels.
    const blockedByRow = new Map<string, { dns: Port[]; external: typeof external }>();
    for (const p of pods) {
      const row = matrix.row(p);
      let blocked = blockedByRow.get(row);
      if (blocked === undefined) {
        blocked = {
          dns: dnsPorts.filter((port) => matrix.admits('Egress', p, dns, port) === undefined),
          external: external.filter((t) => matrix.admits('Egress', p, t.peer, t.port) === undefined),
        };
        blockedByRow.set(row, blocked);
      }
      if (blocked.dns.length === 0 && blocked.external.length === 0) continue;
      const signature = `${p.namespace}\0${JSON.stringify(Object.entries(p.labels).sort())}`;
      const egress = matrix.egressPolicies(p);
      const where = egress[0]?.object.file ?? p.owner.file;
      for (const port of blocked.dns) {
        const dnsPolicy = egress.find((e) => JSON.stringify(e.spec.egress ?? []).includes('53'));
        const nsLabels = matrix.labelsOf('kube-system');
        report(
          `dns\0${signature}\0${port.protocol}`,
          dnsPolicy?.object.file ?? where,
          '$.spec.egress',
          'system.network-dns',
          `${p.what} cannot reach CoreDNS (pods k8s-app=kube-dns in Namespace kube-system, which carries only ${Object.entries(
            nsLabels,
          )
            .map(([k, v]) => `${k}=${v}`)
            .join(
              ', ',
            )}) on ${port.protocol} 53: ${dnsPolicy !== undefined ? `NetworkPolicy ${dnsPolicy.object.namespace}/${dnsPolicy.object.name} selects no such peer or port` : `no egress rule of ${policyNames(egress)} admits it`}; allow egress to namespaceSelector kubernetes.io/metadata.name=kube-system, podSelector k8s-app=kube-dns, UDP and TCP 53`,
        );
      }
      for (const target of blocked.external) {
        const httpsPolicy = egress.find((e) => JSON.stringify(e.spec.egress ?? []).includes('443'));
        report(
          `ext\0${signature}\0${target.name}`,
          httpsPolicy?.object.file ?? where,
          '$.spec.egress',
          'system.network-egress',
          `${p.what} cannot reach ${target.name} on TCP 443: ${httpsPolicy !== undefined ? `NetworkPolicy ${httpsPolicy.object.namespace}/${httpsPolicy.object.name}'s ipBlock does not cover its address` : `no egress rule of ${policyNames(egress)} admits it`}; allow egress on TCP 443 to an ipBlock that covers it (0.0.0.0/0 without excepting it)`,
        );
      }
    }
    // Driver and executors of each JobRun, both ways, on Spark's ports.
    const podsOf = new Map<unknown, { driver?: PlatformPod; executor?: PlatformPod }>();
    for (const p of pods) {
      if (p.role !== 'driver' && p.role !== 'executor') continue;
      const roles = podsOf.get(p.owner) ?? {};
      roles[p.role] ??= p;
      podsOf.set(p.owner, roles);
    }
    const evaluated = new Set<string>();
    for (const run of context.objects.ofKind('JobRun')) {
      const { driver, executor } = podsOf.get(run) ?? {};
      if (driver === undefined || executor === undefined) continue;
      const { conf } = jobRunConf(obj(run.object.spec));
      const number = (key: string, fallback: number): number => Number(conf.get(key) ?? fallback) || fallback;
      const driverPort = number('spark.driver.port', 7078);
      const blockManager = number('spark.blockManager.port', 7079);
      const driverBlockManager = number('spark.driver.blockManager.port', blockManager);
      const linkKey = [
        matrix.row(driver),
        matrix.row(executor),
        driverPort,
        blockManager,
        driverBlockManager,
      ].join('\0');
      if (evaluated.has(linkKey)) continue;
      evaluated.add(linkKey);
      const links: [PlatformPod, PlatformPod, number][] = [
        [executor, driver, driverPort],
        [executor, driver, driverBlockManager],
        [driver, executor, blockManager],
        [executor, executor, blockManager],
      ];
      for (const [from, to, portNumber] of links) {
        const port: Port = { protocol: 'TCP', port: portNumber };
        const out = matrix.admits('Egress', from, to, port);
        const into = matrix.admits('Ingress', to, from, port);
        if (out !== undefined && into !== undefined) continue;
        const isolating = out === undefined ? matrix.egressPolicies(from) : matrix.ingressPolicies(to);
        const field = out === undefined ? 'egress' : 'ingress';
        // The policy meant to open the namespace to itself, if any: a rule with a podSelector peer
        // and no namespaceSelector; else the first policy that isolates the pod.
        const within = isolating.find((p) =>
          arr(p.spec[field])
            .filter(isObject)
            .some((rule) =>
              arr(field === 'egress' ? rule.to : rule.from)
                .filter(isObject)
                .some((peer) => peer.podSelector !== undefined && peer.namespaceSelector === undefined),
            ),
        );
        const blocking = within ?? isolating[0];
        report(
          `spark\0${run.namespace ?? ''}\0${from.role}\0${to.role}\0${portNumber}`,
          blocking?.object.file ?? run.file,
          out === undefined ? '$.spec.egress' : '$.spec.ingress',
          'system.network-spark',
          `${from.role} pods of ${named(run)} cannot reach its ${to.role} pods on TCP ${portNumber}: ${field} of ${policyNames(isolating)} (namespace ${to.namespace}) admits no such peer, so the job hangs; allow the namespace's pods to reach each other on all ports (podSelector {} in both directions)`,
        );
      }
    }
    // Nothing crosses teams.
    const teams = new Set(
      context.objects
        .ofKind('Namespace')
        .filter((n) => obj(obj(n.object.metadata).labels)['emr-eks-gitops/team'] !== undefined)
        .map((n) => n.name),
    );
    for (const vc of context.objects.ofKind('VirtualCluster'))
      if (vc.namespace !== undefined) teams.add(vc.namespace);
    const teamPods = pods.filter((p) => teams.has(p.namespace));
    const representative = new Map<string, PlatformPod>();
    for (const p of teamPods) representative.set(matrix.row(p), p);
    const sample = [...representative.values()];
    const byNamespace = new Map<string, PlatformPod[]>();
    for (const p of sample) {
      const list = byNamespace.get(p.namespace);
      if (list === undefined) byNamespace.set(p.namespace, [p]);
      else list.push(p);
    }
    const ports = matrix.ports([...teams]);
    for (const to of sample) {
      // Only namespaces some ingress rule of `to` could admit are candidates (linear in teams).
      for (const namespace of matrix.ingressSources(to, teams)) {
        if (namespace === to.namespace) continue;
        for (const from of byNamespace.get(namespace) ?? []) {
          const key = `cross\0${from.namespace}\0${to.namespace}`;
          if (reported.has(key)) continue;
          for (const port of ports) {
            const out = matrix.admits('Egress', from, to, port);
            const into = matrix.admits('Ingress', to, from, port);
            if (out === undefined || into === undefined) continue;
            const admitting = into === 'open' ? undefined : into;
            report(
              key,
              admitting?.object.file ?? to.owner.file,
              '$.spec.ingress',
              'system.network-cross-team',
              `${from.what} (team ${from.namespace}) can reach ${to.what} (team ${to.namespace}) on ${port.protocol} ${port.port}: ${admitting !== undefined ? `NetworkPolicy ${admitting.object.namespace}/${admitting.object.name} admits it` : `no ingress policy isolates namespace ${to.namespace}`}${out === 'open' ? ` and no egress policy isolates namespace ${from.namespace}` : ''}; restrict ingress in ${to.namespace} to its own pods (podSelector without namespaceSelector) and the platform namespaces that need it`,
            );
            break;
          }
        }
      }
    }
  },
};
