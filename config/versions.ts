/**
 * Every pinned version in the project, in one place. Both halves (CDKTF and cdk8s) read these;
 * nothing else in the code base may spell a version.
 *
 * Kubernetes-side versions move in step with the schema lock (`schemas.lock.json`): bump the chart
 * and its CRD schema together.
 */
export const versions = {
  /** EKS control plane (Kubernetes minor). 1.34 is what the schema lock validates against. */
  kubernetes: '1.34',
  /**
   * Terraform CLI the rendered JSON targets (`terraform.required_version`): 1.10 is the first
   * release whose S3 backend takes `use_lockfile` (S3-native state locking). Provider versions
   * are not spelled here: `required_providers` pins the exact version each CDKTF provider
   * binding (`@cdktf/provider-aws`, `@cdktf/provider-helm` in package.json) was generated from.
   */
  terraform: '>= 1.10.0',
  /** Karpenter controller chart and its CRDs (karpenter.sh/v1, karpenter.k8s.aws/v1). */
  karpenter: '1.14.1',
  /** EKS-optimized Amazon Linux 2023 AMI alias used by every EC2NodeClass (pinned, never `@latest`). */
  al2023AmiAlias: 'al2023@v20260714',
  /**
   * The Kubernetes minor the AMI release above was checked to ship (the amazon-eks-ami release
   * notes list one AMI per minor): bump it with `kubernetes`, after checking the release has it.
   */
  al2023AmiKubernetes: '1.34',
  /** Cluster Autoscaler, set as the chart's image tag: it supports only its own Kubernetes minor. */
  clusterAutoscaler: '1.34.2',
  /** Core managed node group AMI type. */
  coreNodeAmiType: 'AL2023_x86_64_STANDARD',
  /** Default EMR on EKS release label for jobs (Spark 3.5.x). */
  emrReleaseLabel: 'emr-7.12.0-latest',
  /** ACK EMR on EKS (emrcontainers) controller chart and CRDs. */
  ackEmrContainers: '1.4.1',
  /** Argo CD application version (CRDs validated against this tag). */
  argocd: '3.5.1',
  /** Image of the init container that hands scratch volumes to Spark's uid/gid (999:1000). */
  busyboxImage: 'public.ecr.aws/docker/library/busybox:1.37.0',
  /** Apache YuniKorn chart. */
  yunikorn: '1.9.0',
  /** Image of the hook Job that uploads a team's job artifacts to S3 (multi-arch, exact tag). */
  awsCliImage: 'public.ecr.aws/aws-cli/aws-cli:2.37.9',
  /**
   * Image of each team's Spark History Server: EMR on EKS's release image of the jobs' default
   * release (`emrReleaseLabel`), so it reads their event logs with the same Spark and S3A build.
   * EMR publishes one repository per release and moves its `latest` tag with that release's
   * patch builds, exactly as the jobs' `-latest` release label does; the tag could not be
   * resolved to a digest here (no registry access): replace it with `@sha256:<digest>` before
   * the first apply.
   */
  sparkHistoryServerImage: 'public.ecr.aws/emr-on-eks/spark/emr-7.12.0:latest',
  /**
   * Image of the job launcher CronJobs (schedules, `after`, `retry`): Node.js runs the committed
   * launcher script (`manifests/launcher/launcher-script.ts`) with no package beyond its own
   * `https` and `crypto`. Docker's official image, mirrored on ECR Public, exact tag; its `node`
   * user is uid/gid 1000.
   */
  nodeImage: 'public.ecr.aws/docker/library/node:22.12.0-alpine3.20',
} as const;

export type Versions = typeof versions;

/** A Helm chart pinned to one exact version. */
export interface ChartPin {
  /** Chart repository: an `https://` Helm repository or an `oci://` registry path. */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version (never a range): an upgrade is a reviewed diff. */
  readonly version: string;
}

/**
 * Every Helm chart the `addons` Terraform stack installs (decision 2, docs/decisions.md), keyed by add-on.
 * Charts whose version equals an application version above reuse it.
 */
export const charts = {
  /** Karpenter's CRDs, installed (and upgraded) before the controller. */
  karpenterCrd: {
    repository: 'oci://public.ecr.aws/karpenter',
    chart: 'karpenter-crd',
    version: versions.karpenter,
  },
  karpenter: {
    repository: 'oci://public.ecr.aws/karpenter',
    chart: 'karpenter',
    version: versions.karpenter,
  },
  ackEmrContainers: {
    repository: 'oci://public.ecr.aws/aws-controllers-k8s',
    chart: 'emrcontainers-chart',
    version: versions.ackEmrContainers,
  },
  yunikorn: {
    repository: 'https://apache.github.io/yunikorn-release',
    chart: 'yunikorn',
    version: versions.yunikorn,
  },
  /** Chart 1.17.0 ships the driver v1.9.0. */
  fsxCsiDriver: {
    repository: 'https://kubernetes-sigs.github.io/aws-fsx-csi-driver',
    chart: 'aws-fsx-csi-driver',
    version: '1.17.0',
  },
  /** The version data-on-eks pins at HEAD (Prometheus v3: SigV4 with EKS Pod Identity credentials). */
  kubePrometheusStack: {
    repository: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '82.13.3',
  },
  kubecost: {
    repository: 'https://kubecost.github.io/cost-analyzer/',
    chart: 'cost-analyzer',
    version: '2.9.7',
  },
  /** The version data-on-eks pins at HEAD. */
  fluentBit: {
    repository: 'https://aws.github.io/eks-charts',
    chart: 'aws-for-fluent-bit',
    version: '0.2.0',
  },
  /** Chart 9.53.0 ships Cluster Autoscaler 1.34.2, the minor of `kubernetes` above. */
  clusterAutoscaler: {
    repository: 'https://kubernetes.github.io/autoscaler',
    chart: 'cluster-autoscaler',
    version: '9.53.0',
  },
  clusterProportionalAutoscaler: {
    repository: 'https://kubernetes-sigs.github.io/cluster-proportional-autoscaler',
    chart: 'cluster-proportional-autoscaler',
    version: '1.1.0',
  },
  /**
   * Chart 10.3.3 is the argo-helm release that moved to Argo CD v3.5.1 (`argocd` above, whose
   * CRDs the validator uses): argo-helm PR #4015. Bump both together.
   */
  argocd: { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.3.3' },
  /** Creates the bootstrap AppProject and the root Application from values. */
  argocdApps: { repository: 'https://argoproj.github.io/argo-helm', chart: 'argocd-apps', version: '2.0.4' },
} as const satisfies Readonly<Record<string, ChartPin>>;

export type Charts = typeof charts;
