import type { Construct, Node } from 'constructs';
import { LocalBackend, S3Backend, TerraformStack, type TerraformElement } from '../framework';
import { versions, type Environment } from '../../config';

/**
 * Where local Terraform state lives, relative to a stack's folder `<out>/<env>/terraform/<stack>`:
 * `<out>/../terraform-state/<env>/<stack>.tfstate`, beside the output folder and outside it, so
 * that replacing the output (every synth), removing an environment or deleting `dist/` never
 * touches state. The CDKTF CLI's own layout (`cdktf.out/stacks/<stack>`) is one level shallower:
 * scripts/cdktf-app.ts sets the context key below so both reach the same state files.
 */
export const LOCAL_STATE_ROOT = '../../../..';
/** Context key that overrides {@link LOCAL_STATE_ROOT} (a path relative to the stack folder). */
export const LOCAL_STATE_ROOT_CONTEXT = 'emr-eks-gitops:local-state-root';
/** The folder (beside the output folder) that holds local state, one subfolder per environment. */
export const LOCAL_STATE_FOLDER = 'terraform-state';

/** Props shared by every stack of an environment. */
export interface PlatformStackProps {
  /** The validated environment this stack belongs to. */
  readonly env: Environment;
  /** Short stack name; also the folder under `dist/<env>/terraform/`. */
  readonly stackName: string;
}

/**
 * Base for the project's stacks: readable Terraform addresses, the configured state backend and
 * Terraform's own conventions for the `terraform {}` block: `required_version` from
 * `versions.terraform` (the oldest release that reads everything a stack may contain: the S3
 * backend's `use_lockfile` needs 1.10) and `required_providers` with full source addresses
 * (`hashicorp/aws`) pinned to the exact version of the CDKTF provider binding, whose schema the
 * JSON was generated against.
 *
 * Logical ids are the construct path below the stack joined with `_` (`network_vpc`,
 * `team-emr-data-team-a_execution-role`) instead of CDKTF's hashed ids, so reviewers see
 * meaningful addresses. Renaming or moving a construct renames its address: that is a state
 * migration (`moved` block), never a drive-by.
 */
export class PlatformStack extends TerraformStack {
  readonly env: Environment;
  readonly stackName: string;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, `${props.env.name}-${props.stackName}`);
    this.env = props.env;
    this.stackName = props.stackName;
    this.addOverride('terraform.required_version', versions.terraform);
    const backend = props.env.cluster.backend;
    if (backend.type === 's3') {
      new S3Backend(this, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix.replace(/\/$/, '')}/${props.env.name}/${props.stackName}.tfstate`,
        region: backend.region,
        encrypt: true,
      });
      // S3-native locking (Terraform >= 1.10); the CDKTF binding predates the attribute.
      if (backend.useLockfile) this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      const root =
        (this.node.tryGetContext(LOCAL_STATE_ROOT_CONTEXT) as string | undefined) ?? LOCAL_STATE_ROOT;
      const state = `${root}/${LOCAL_STATE_FOLDER}/${props.env.name}/${props.stackName}.tfstate`;
      new LocalBackend(this, { path: state, workspaceDir: `${state}.d` });
    }
  }

  /** The stack's Terraform JSON, with full provider source addresses. */
  override toTerraform(): Record<string, unknown> {
    const json = super.toTerraform() as Record<string, unknown>;
    const settings = json.terraform as
      { required_providers?: Record<string, { source?: string }> } | undefined;
    for (const requirement of Object.values(settings?.required_providers ?? {}))
      if (requirement.source !== undefined) requirement.source = providerSource(requirement.source);
    return json;
  }

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = 'node' in element ? element.node : element;
    const parts = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    return parts
      .filter((part) => part !== 'Resource' && part !== 'Default')
      .join('_')
      .replace(/[^A-Za-z0-9_-]/g, '_');
  }
}

/**
 * A provider's full source address (`namespace/type`): Terraform reads a bare `aws`, as CDKTF's
 * bindings write it, as the legacy default namespace `hashicorp/aws`; spelling it out is what
 * `terraform init` and the registry document, and what OpenTofu resolves the same way.
 */
export function providerSource(source: string): string {
  return source.includes('/') ? source : `hashicorp/${source}`;
}
