import { quantityValue } from '../lib/kubernetes-formats';
import type { FieldChange } from './value-diff';

/** A resource type every argument of which updates in place (only tags, or nothing, besides). */
const NONE: readonly string[] = [];

/**
 * Terraform arguments whose change makes the provider destroy and re-create the resource
 * (`ForceNew` / `RequiresReplace` in the AWS provider 6.x and Helm provider 3.x schemas), for
 * every resource type the project can render; `NONE` marks types that always update in place.
 * Nested arguments are dotted (`launch_template.id`); a test fails when synth renders a type
 * that is missing here. Special cases the table cannot express are in `replacementReason`.
 */
export const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  aws_cloudwatch_event_rule: ['.name', '.name_prefix', '.event_bus_name'],
  aws_cloudwatch_event_target: ['.rule', '.target_id', '.event_bus_name'],
  aws_cloudwatch_log_group: ['.name', '.name_prefix', '.log_group_class'],
  aws_ec2_tag: ['.resource_id', '.key'],
  aws_eip: [
    '.address',
    '.customer_owned_ipv4_pool',
    '.domain',
    '.ipam_pool_id',
    '.network_border_group',
    '.public_ipv4_pool',
  ],
  aws_eks_access_entry: ['.cluster_name', '.principal_arn', '.type'],
  aws_eks_access_policy_association: ['.access_scope', '.cluster_name', '.policy_arn', '.principal_arn'],
  aws_eks_addon: ['.addon_name', '.cluster_name'],
  aws_eks_cluster: [
    '.access_config.bootstrap_cluster_creator_admin_permissions',
    '.bootstrap_self_managed_addons',
    '.kubernetes_network_config.ip_family',
    '.kubernetes_network_config.service_ipv4_cidr',
    '.name',
    '.outpost_config',
    '.role_arn',
  ],
  aws_eks_node_group: [
    '.ami_type',
    '.capacity_type',
    '.cluster_name',
    '.disk_size',
    '.instance_types',
    '.launch_template.id',
    '.launch_template.name',
    '.node_group_name',
    '.node_group_name_prefix',
    '.node_role_arn',
    '.remote_access',
    '.subnet_ids',
  ],
  aws_eks_pod_identity_association: ['.cluster_name', '.namespace', '.service_account'],
  aws_fsx_data_repository_association: [
    '.batch_import_meta_data_on_create',
    '.data_repository_path',
    '.file_system_id',
    '.file_system_path',
  ],
  aws_fsx_lustre_file_system: [
    '.backup_id',
    '.copy_tags_to_backups',
    '.deployment_type',
    '.drive_cache_type',
    '.export_path',
    '.file_system_type_version',
    '.import_path',
    '.imported_file_chunk_size',
    '.kms_key_id',
    '.per_unit_storage_throughput',
    '.security_group_ids',
    '.storage_type',
    '.subnet_ids',
  ],
  aws_iam_openid_connect_provider: ['.url'],
  aws_iam_role: ['.name', '.name_prefix', '.path'],
  aws_iam_role_policy: ['.name', '.name_prefix', '.role'],
  aws_iam_role_policy_attachment: ['.policy_arn', '.role'],
  /** `vpc_id` detaches and re-attaches the same gateway. */
  aws_internet_gateway: NONE,
  aws_kms_alias: ['.name', '.name_prefix'],
  aws_kms_key: [
    '.custom_key_store_id',
    '.customer_master_key_spec',
    '.key_usage',
    '.multi_region',
    '.xks_key_id',
  ],
  /** Every other change writes a new template version. */
  aws_launch_template: ['.name', '.name_prefix'],
  aws_nat_gateway: ['.allocation_id', '.connectivity_type', '.private_ip', '.subnet_id'],
  aws_prometheus_workspace: ['.kms_key_arn'],
  aws_route: [
    '.destination_cidr_block',
    '.destination_ipv6_cidr_block',
    '.destination_prefix_list_id',
    '.route_table_id',
  ],
  aws_route_table: ['.vpc_id'],
  /** `route_table_id` re-associates in place. */
  aws_route_table_association: ['.gateway_id', '.subnet_id'],
  aws_s3_bucket: ['.bucket', '.bucket_prefix', '.object_lock_enabled'],
  aws_s3_bucket_lifecycle_configuration: ['.bucket', '.expected_bucket_owner'],
  aws_s3_bucket_ownership_controls: ['.bucket'],
  aws_s3_bucket_policy: ['.bucket'],
  aws_s3_bucket_public_access_block: ['.bucket'],
  aws_s3_bucket_server_side_encryption_configuration: ['.bucket', '.expected_bucket_owner'],
  aws_s3_bucket_versioning: ['.bucket', '.expected_bucket_owner'],
  aws_security_group: ['.description', '.name', '.name_prefix', '.vpc_id'],
  aws_sqs_queue: ['.fifo_queue', '.name', '.name_prefix'],
  aws_sqs_queue_policy: ['.queue_url'],
  aws_subnet: [
    '.availability_zone',
    '.availability_zone_id',
    '.cidr_block',
    '.ipv6_native',
    '.outpost_arn',
    '.vpc_id',
  ],
  aws_vpc: ['.cidr_block', '.ipv4_ipam_pool_id', '.ipv4_netmask_length'],
  aws_vpc_endpoint: ['.service_name', '.service_region', '.vpc_endpoint_type', '.vpc_id'],
  aws_vpc_ipv4_cidr_block_association: [
    '.cidr_block',
    '.ipv4_ipam_pool_id',
    '.ipv4_netmask_length',
    '.vpc_id',
  ],
  helm_release: ['.name', '.namespace'],
};

/** `.launch_template[0].id` → `.launch_template.id`: list positions do not matter to the table. */
const attributePath = (path: string): string => path.replace(/\[[^\]]*\]/g, '');

function minorVersion(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+)\.(\d+)/.exec(value) : null;
  return match ? Number(match[1]) * 1000 + Number(match[2]) : undefined;
}

/**
 * Why EKS refuses an in-place version change of a cluster: it upgrades one minor version at a
 * time (and never downgrades, which {@link replacementReason} reports). Undefined when it can.
 */
export function eksUpgradeProblem(changes: readonly FieldChange[]): string | undefined {
  const version = changes.find((change) => change.path === '.version');
  const before = minorVersion(version?.before);
  const after = minorVersion(version?.after);
  if (before === undefined || after === undefined || after <= before + 1) return undefined;
  const next = `${Math.floor(before / 1000)}.${(before % 1000) + 1}`;
  return `EKS upgrades one minor version at a time, so ${String(version?.before)} → ${String(version?.after)} fails at apply: upgrade to ${next} first (apply it, check the add-ons and node AMIs), then to the next minor`;
}

/**
 * Why a Terraform change destroys and re-creates the resource, or undefined when it updates in
 * place. Besides the table: an EKS version downgrade and removing EKS secrets encryption
 * (irreversible in EKS), and shrinking an FSx for Lustre file system.
 */
export function replacementReason(type: string, changes: readonly FieldChange[]): string | undefined {
  const fields = FORCES_REPLACEMENT[type] ?? [];
  const forcing = changes.filter((change) => {
    const path = attributePath(change.path);
    return fields.some((field) => path === field || path.startsWith(`${field}.`));
  });
  if (forcing.length > 0) {
    const names = [...new Set(forcing.map((change) => attributePath(change.path).slice(1)))];
    return `${names.join(', ')} cannot change in place`;
  }
  const at = (path: string) => changes.find((change) => change.path === path);
  if (type === 'aws_eks_cluster') {
    const version = at('.version');
    const before = minorVersion(version?.before);
    const after = minorVersion(version?.after);
    if (before !== undefined && after !== undefined && after < before)
      return `EKS cannot downgrade ${String(version?.before)} → ${String(version?.after)}; only a new cluster can`;
    const encryption = changes.filter((change) => change.path.startsWith('.encryption_config'));
    if (encryption.length > 0 && encryption.every((change) => change.after === undefined))
      return 'EKS secrets encryption cannot be turned off once enabled; only a new cluster can';
  }
  if (type === 'aws_fsx_lustre_file_system') {
    const capacity = at('.storage_capacity');
    const before = quantityValue(capacity?.before);
    const after = quantityValue(capacity?.after);
    if (before !== undefined && after !== undefined && after < before)
      return `storage_capacity cannot shrink (${String(capacity?.before)} → ${String(capacity?.after)}) in place`;
  }
  return undefined;
}
