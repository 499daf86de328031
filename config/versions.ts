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
  /** Terraform CLI the rendered JSON targets (`terraform.required_version`). */
  terraform: '>= 1.9.0',
  /** Terraform providers, pinned exactly in `required_providers` (match the CDKTF provider bindings). */
  terraformProviders: {
    aws: '6.25.0',
    helm: '3.1.1',
  },
  /** Karpenter controller chart and its CRDs (karpenter.sh/v1, karpenter.k8s.aws/v1). */
  karpenter: '1.14.1',
  /** EKS-optimized Amazon Linux 2023 AMI alias used by every EC2NodeClass (pinned, never `@latest`). */
  al2023AmiAlias: 'al2023@v20251016',
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
} as const;

export type Versions = typeof versions;
