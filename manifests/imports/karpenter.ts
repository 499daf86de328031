import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * Typed bindings for the parts of Karpenter v1 (`karpenter.sh/v1`, `karpenter.k8s.aws/v1`) this
 * project renders, written by hand from the v1.14.1 CRDs; every rendered object is validated
 * against those CRDs (structure and CEL) before it is written.
 */

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  readonly values?: readonly string[];
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface DisruptionBudget {
  /** Number or percentage of nodes that may be disrupted at once ("10%", "0"). */
  readonly nodes: string;
  /** Cron schedule (UTC) when this budget applies; needs `duration`. */
  readonly schedule?: string;
  readonly duration?: string;
  readonly reasons?: readonly ('Underutilized' | 'Empty' | 'Drifted')[];
}

export interface NodePoolSpec {
  readonly template: {
    readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
    readonly spec: {
      readonly nodeClassRef: {
        readonly group: 'karpenter.k8s.aws';
        readonly kind: 'EC2NodeClass';
        readonly name: string;
      };
      readonly requirements: readonly NodeSelectorRequirement[];
      readonly taints?: readonly Taint[];
      readonly expireAfter?: string;
    };
  };
  readonly disruption: {
    readonly consolidationPolicy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
    readonly consolidateAfter: string;
    readonly budgets?: readonly DisruptionBudget[];
  };
  readonly limits: Readonly<Record<string, string>>;
  readonly weight?: number;
}

export interface EC2NodeClassSpec {
  readonly amiSelectorTerms: readonly { readonly alias: string }[];
  readonly role: string;
  readonly subnetSelectorTerms: readonly { readonly tags: Readonly<Record<string, string>> }[];
  readonly securityGroupSelectorTerms: readonly { readonly tags: Readonly<Record<string, string>> }[];
  readonly instanceStorePolicy?: 'RAID0';
  readonly metadataOptions: {
    readonly httpEndpoint: 'enabled' | 'disabled';
    readonly httpProtocolIPv6: 'enabled' | 'disabled';
    readonly httpPutResponseHopLimit: number;
    readonly httpTokens: 'required' | 'optional';
  };
  readonly blockDeviceMappings: readonly {
    readonly deviceName: string;
    readonly rootVolume?: boolean;
    readonly ebs: {
      readonly volumeSize: string;
      readonly volumeType: 'gp3' | 'gp2' | 'io1' | 'io2';
      readonly encrypted: boolean;
      readonly deleteOnTermination: boolean;
    };
  }[];
  readonly tags?: Readonly<Record<string, string>>;
}

export class NodePool extends ApiObject {
  constructor(scope: Construct, id: string, props: { metadata: ApiObjectMetadata; spec: NodePoolSpec }) {
    super(scope, id, { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', ...props });
  }
}

export class EC2NodeClass extends ApiObject {
  constructor(scope: Construct, id: string, props: { metadata: ApiObjectMetadata; spec: EC2NodeClassSpec }) {
    super(scope, id, { apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', ...props });
  }
}
