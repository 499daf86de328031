import { load } from 'js-yaml';
import type { Located, PodTemplate } from '../cross-checks';
import type { FindingSink } from '../findings';
import { asObject as obj, isObject, type Json } from '../../lib/json';
import { describe as describeObject, RuntimeObjects, type RuntimeObject } from '../runtime/objects';

/**
 * What the system models read of one environment: the rendered Kubernetes objects (indexed as the
 * runtime models index them) and the resources of its Terraform stacks, each with the file and
 * JSON path a finding names.
 */
export interface SystemSet {
  readonly objects: readonly Located[];
  readonly podTemplates: readonly PodTemplate[];
  /** Parsed `cdk.tf.json` stacks of the environment. */
  readonly terraform: readonly unknown[];
  /** The file of each stack, in the same order. */
  readonly terraformFiles: readonly string[];
}

/** One resource (or data source) of a Terraform stack. */
export interface TerraformResource {
  readonly type: string;
  readonly id: string;
  readonly body: Json;
  /** The stack's file. */
  readonly file: string;
  /** `$.resource.<type>['<id>']`. */
  readonly path: string;
}

/** One `values` document of a Helm release: its parsed value, or why it is not YAML. */
export type ParsedValues =
  { readonly value: unknown; readonly error?: undefined } | { readonly error: string };

/** One system model: a name for docs and errors, and its check. */
export interface SystemModel {
  readonly name: string;
  check(sink: FindingSink, context: SystemContext): void;
}

/** The environment, indexed for the system models. */
export class SystemContext {
  readonly objects: RuntimeObjects;
  readonly podTemplates: readonly PodTemplate[];
  private readonly resources = new Map<string, TerraformResource[]>();
  private rolesByName: Map<string, TerraformResource> | undefined;
  private namespaces: Map<string, RuntimeObject> | undefined;
  private readonly releaseValues = new Map<TerraformResource, ParsedValues[]>();

  constructor(set: SystemSet) {
    this.objects = new RuntimeObjects(set.objects);
    this.podTemplates = set.podTemplates;
    set.terraform.forEach((stack, i) => {
      const file = set.terraformFiles[i] ?? `terraform#${i}`;
      for (const section of ['resource', 'data'] as const) {
        for (const [type, byId] of Object.entries(obj(obj(stack)[section]))) {
          for (const [id, body] of Object.entries(obj(byId))) {
            if (!isObject(body)) continue;
            const key = section === 'data' ? `data.${type}` : type;
            const list = this.resources.get(key) ?? [];
            list.push({ type, id, body, file, path: `$.${section}.${type}['${id}']` });
            this.resources.set(key, list);
          }
        }
      }
    });
  }

  /** Whether the environment has Terraform at all (a bare folder of YAML has none). */
  get hasTerraform(): boolean {
    return this.resources.size > 0;
  }

  /** Every resource of a Terraform type (`aws_subnet`), or a data source (`data.aws_eks_cluster`). */
  terraform(type: string): readonly TerraformResource[] {
    return this.resources.get(type) ?? [];
  }

  /** The `aws_iam_role` of this name. */
  role(name: string | undefined): TerraformResource | undefined {
    this.rolesByName ??= new Map(this.terraform('aws_iam_role').map((r) => [String(r.body.name), r]));
    return name === undefined ? undefined : this.rolesByName.get(name);
  }

  /** The rendered Namespace of this name. */
  namespace(name: string | undefined): RuntimeObject | undefined {
    this.namespaces ??= new Map(this.objects.ofKind('Namespace').map((n) => [n.name, n]));
    return name === undefined ? undefined : this.namespaces.get(name);
  }

  /** The parsed `values` documents of a `helm_release`, parsed once. */
  helmValues(release: TerraformResource): readonly ParsedValues[] {
    let parsed = this.releaseValues.get(release);
    if (parsed === undefined) {
      parsed = (Array.isArray(release.body.values) ? release.body.values : []).map((text: unknown) => {
        if (typeof text !== 'string') return { value: undefined };
        try {
          return { value: load(text) };
        } catch (error) {
          return { error: (error as Error).message.split('\n')[0] ?? '' };
        }
      });
      this.releaseValues.set(release, parsed);
    }
    return parsed;
  }

  /** The resource a `${type.id.attr}` reference names, if it is one. */
  referenced(value: unknown): TerraformResource | undefined {
    if (typeof value !== 'string') return undefined;
    const match = /^\$\{([a-z0-9_]+)\.([^.}]+)(?:\.[^}]*)?\}$/.exec(value);
    if (match === null) return undefined;
    return this.terraform(match[1] ?? '').find((r) => r.id === match[2]);
  }
}

/** `Kind namespace/name (file)` for findings. */
export function named(o: RuntimeObject): string {
  return `${describeObject(o)} (${o.file})`;
}

/** `type.id (file)` for findings. */
export function address(r: TerraformResource): string {
  return `${r.type}.${r.id} (${r.file})`;
}
