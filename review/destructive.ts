import type { FieldChange } from './value-diff';

/**
 * Terraform attributes whose change makes the AWS provider destroy and re-create the resource,
 * for the resource types this project creates (AWS provider 6.x "forces replacement" fields).
 */
export const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  aws_eks_cluster: [
    '.name',
    '.encryption_config',
    '.kubernetes_network_config',
    '.bootstrap_self_managed_addons',
  ],
  aws_vpc: ['.cidr_block'],
  aws_vpc_ipv4_cidr_block_association: ['.cidr_block', '.vpc_id'],
  aws_subnet: ['.cidr_block', '.availability_zone', '.vpc_id'],
  aws_nat_gateway: ['.subnet_id', '.allocation_id'],
  aws_s3_bucket: ['.bucket'],
  aws_kms_key: ['.customer_master_key_spec', '.key_usage'],
  aws_kms_alias: ['.name'],
  aws_fsx_lustre_file_system: [
    '.deployment_type',
    '.storage_type',
    '.subnet_ids',
    '.per_unit_storage_throughput',
    '.kms_key_id',
    '.import_path',
    '.export_path',
  ],
  aws_iam_role: ['.name', '.path'],
  aws_iam_policy: ['.name', '.path'],
  aws_iam_openid_connect_provider: ['.url'],
  aws_cloudwatch_log_group: ['.name', '.kms_key_id'],
  aws_sqs_queue: ['.name', '.fifo_queue'],
  aws_eks_node_group: [
    '.node_group_name',
    '.cluster_name',
    '.subnet_ids',
    '.instance_types',
    '.ami_type',
    '.capacity_type',
    '.disk_size',
    '.remote_access',
  ],
  aws_eks_access_entry: ['.cluster_name', '.principal_arn', '.type'],
  aws_eks_pod_identity_association: ['.cluster_name', '.namespace', '.service_account'],
  aws_eks_addon: ['.addon_name', '.cluster_name'],
  aws_launch_template: ['.name'],
  aws_security_group: ['.name', '.vpc_id', '.description'],
  aws_prometheus_workspace: ['.kms_key_arn'],
  aws_vpc_endpoint: ['.vpc_id', '.service_name', '.vpc_endpoint_type'],
  helm_release: ['.name', '.namespace'],
};

function minorVersion(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+)\.(\d+)/.exec(value) : null;
  return match ? Number(match[1]) * 1000 + Number(match[2]) : undefined;
}

/** Why a Terraform change destroys and re-creates the resource, or undefined when it updates in place. */
export function replacementReason(type: string, changes: readonly FieldChange[]): string | undefined {
  const fields = FORCES_REPLACEMENT[type] ?? [];
  const forcing = changes.filter((c) =>
    fields.some((f) => c.path === f || c.path.startsWith(`${f}.`) || c.path.startsWith(`${f}[`)),
  );
  if (forcing.length > 0) return `${forcing.map((c) => c.path.slice(1)).join(', ')} cannot change in place`;
  if (type === 'aws_eks_cluster') {
    const version = changes.find((c) => c.path === '.version');
    const before = minorVersion(version?.before);
    const after = minorVersion(version?.after);
    if (before !== undefined && after !== undefined && after < before) {
      return `EKS cannot downgrade ${String(version?.before)} → ${String(version?.after)}; only a new cluster can`;
    }
  }
  return undefined;
}
