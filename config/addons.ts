import type { Addons } from './schema';
import type { Charts } from './versions';

/** Who installs an add-on, and so creates (and on removal deletes) what it runs in. */
export type AddonOwner = 'terraform-addons' | 'terraform-base' | 'eks-managed';

/**
 * The rows of the "Who owns what" table of `dist/<env>/README.md`, in order: Terraform owns the
 * stacks (and every add-on), Argo CD the apps (and the configuration of add-ons that have one).
 */
export const OWNER_GROUPS = ['Terraform', 'Argo CD'] as const;
export type OwnerGroup = (typeof OWNER_GROUPS)[number];

/** How each owner is named in messages, and the README row it falls under. */
export const OWNERS: { readonly [O in AddonOwner]: { readonly label: string; readonly group: OwnerGroup } } =
  {
    'terraform-addons': { label: 'the Terraform addons stack', group: 'Terraform' },
    'terraform-base': { label: 'the Terraform base stack', group: 'Terraform' },
    'eks-managed': { label: 'EKS as a managed add-on of the Terraform base stack', group: 'Terraform' },
  };

/** One add-on: one toggle of `addons` in the platform config. */
export interface AddonSpec {
  /** What it is, as messages name it. */
  readonly title: string;
  /** The namespace its workloads run in; none for an AWS service outside the cluster. */
  readonly namespace?: string;
  readonly owner: AddonOwner;
  /** The Helm charts it installs, as keys of `charts` in `config/versions.ts` (their pins). */
  readonly charts: readonly (keyof Charts)[];
  /**
   * The Argo CD app that holds its configuration, and the phase of `SYNC_PHASES`
   * (`argocd/sync-waves.ts`) the app's earliest objects are in: the app's sync wave is that
   * phase's position.
   */
  readonly app?: { readonly name: string; readonly phase: string };
}

/** Namespace of the cluster's own components, and of the add-ons that sit beside them. */
const KUBE_SYSTEM = 'kube-system';

/** The namespaces Kubernetes itself creates. */
export const KUBERNETES_NAMESPACES: readonly string[] = [
  'default',
  KUBE_SYSTEM,
  'kube-public',
  'kube-node-lease',
];

/**
 * Every add-on, one row per toggle of `addons` (the type refuses a toggle without a row). This is
 * the one place a platform namespace is spelled: constructs, the reserved namespaces a team may
 * not use, Fluent Bit's inputs and the README's ownership table all read it.
 */
export const ADDONS = {
  vpcCni: { title: 'Amazon VPC CNI', namespace: KUBE_SYSTEM, owner: 'eks-managed', charts: [] },
  coreDns: { title: 'CoreDNS', namespace: KUBE_SYSTEM, owner: 'eks-managed', charts: [] },
  kubeProxy: { title: 'kube-proxy', namespace: KUBE_SYSTEM, owner: 'eks-managed', charts: [] },
  ebsCsiDriver: { title: 'EBS CSI driver', namespace: KUBE_SYSTEM, owner: 'eks-managed', charts: [] },
  podIdentityAgent: {
    title: 'EKS Pod Identity Agent',
    namespace: KUBE_SYSTEM,
    owner: 'eks-managed',
    charts: [],
  },
  karpenter: {
    title: 'Karpenter',
    namespace: 'karpenter',
    owner: 'terraform-addons',
    charts: ['karpenterCrd', 'karpenter'],
    app: { name: 'karpenter', phase: 'node-classes' },
  },
  clusterAutoscaler: {
    title: 'Cluster Autoscaler',
    namespace: KUBE_SYSTEM,
    owner: 'terraform-addons',
    charts: ['clusterAutoscaler'],
  },
  clusterProportionalAutoscaler: {
    title: 'CoreDNS autoscaler',
    namespace: KUBE_SYSTEM,
    owner: 'terraform-addons',
    charts: ['clusterProportionalAutoscaler'],
  },
  metricsServer: { title: 'Metrics Server', namespace: KUBE_SYSTEM, owner: 'eks-managed', charts: [] },
  prometheus: {
    title: 'kube-prometheus-stack',
    namespace: 'kube-prometheus-stack',
    owner: 'terraform-addons',
    charts: ['kubePrometheusStack'],
    app: { name: 'monitoring', phase: 'storage-and-queues' },
  },
  amazonManagedPrometheus: { title: 'Amazon Managed Prometheus', owner: 'terraform-base', charts: [] },
  kubecost: { title: 'Kubecost', namespace: 'kubecost', owner: 'terraform-addons', charts: ['kubecost'] },
  cloudwatchMetrics: {
    title: 'CloudWatch observability',
    namespace: 'amazon-cloudwatch',
    owner: 'eks-managed',
    charts: [],
  },
  fluentBit: {
    title: 'Fluent Bit',
    namespace: KUBE_SYSTEM,
    owner: 'terraform-addons',
    charts: ['fluentBit'],
  },
  fsxCsiDriver: {
    title: 'FSx for Lustre CSI driver',
    namespace: KUBE_SYSTEM,
    owner: 'terraform-addons',
    charts: ['fsxCsiDriver'],
  },
  yunikorn: {
    title: 'YuniKorn',
    namespace: 'yunikorn',
    owner: 'terraform-addons',
    charts: ['yunikorn'],
    app: { name: 'yunikorn', phase: 'storage-and-queues' },
  },
  ackEmrContainers: {
    title: 'ACK EMR on EKS controller',
    namespace: 'ack-system',
    owner: 'terraform-addons',
    charts: ['ackEmrContainers'],
  },
  argocd: {
    title: 'Argo CD',
    namespace: 'argocd',
    owner: 'terraform-addons',
    charts: ['argocd', 'argocdApps'],
  },
} as const satisfies { readonly [K in keyof Addons]: AddonSpec };

export type AddonKey = keyof typeof ADDONS;

/** The rows of {@link ADDONS} with their toggles, in table order. */
export const ADDON_ROWS: readonly (readonly [AddonKey, AddonSpec])[] = Object.entries(ADDONS) as [
  AddonKey,
  AddonSpec,
][];

/** The toggles of the add-ons that run in a namespace, in table order (empty for any other). */
export function addonsInNamespace(namespace: string): AddonKey[] {
  return ADDON_ROWS.filter(([, spec]) => spec.namespace === namespace).map(([key]) => key);
}

/** Namespaces no team may use: Kubernetes' own and every add-on's, whether enabled or not. */
export const RESERVED_NAMESPACES: ReadonlySet<string> = new Set([
  ...KUBERNETES_NAMESPACES,
  ...ADDON_ROWS.flatMap(([, spec]) => (spec.namespace === undefined ? [] : [spec.namespace])),
]);

/**
 * The namespaces whose container logs Fluent Bit ships, sorted: `kube-system` and the namespace
 * of every enabled add-on the addons stack installs. Team namespaces are not among them (EMR
 * ships job logs), nor is the CloudWatch add-on's (its agent ships its own).
 */
export function fluentBitNamespaces(addons: Addons): string[] {
  const installed = ADDON_ROWS.filter(([key, spec]) => addons[key] && spec.owner === 'terraform-addons');
  return [...new Set([KUBE_SYSTEM, ...installed.flatMap(([, spec]) => spec.namespace ?? [])])].sort();
}

/** The add-on a chart of `charts` (`config/versions.ts`) belongs to. */
export function chartAddon(chart: keyof Charts): AddonKey {
  const row = ADDON_ROWS.find(([, spec]) => spec.charts.includes(chart));
  if (row === undefined) throw new Error(`Chart ${chart} belongs to no add-on in config/addons.ts.`);
  return row[0];
}

/** The README rows an add-on appears under: its owner's, and Argo CD's when an app configures it. */
export function ownerGroups(spec: AddonSpec): OwnerGroup[] {
  const groups: OwnerGroup[] = [OWNERS[spec.owner].group];
  if (spec.app !== undefined && !groups.includes('Argo CD')) groups.push('Argo CD');
  return groups;
}
