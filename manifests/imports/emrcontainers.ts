import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * Typed bindings for the ACK EMR on EKS controller (`emrcontainers.services.k8s.aws/v1alpha1`,
 * v1.4.1 CRDs), written by hand for the fields this project renders.
 */

export interface VirtualClusterSpec {
  readonly name: string;
  readonly containerProvider: {
    readonly id: string;
    /** ACK spells the API's `type` field `type_`. */
    readonly type_: 'EKS';
    readonly info: { readonly eksInfo: { readonly namespace: string } };
  };
  readonly tags?: Readonly<Record<string, string>>;
}

export class VirtualCluster extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    props: { metadata: ApiObjectMetadata; spec: VirtualClusterSpec },
  ) {
    super(scope, id, {
      apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
      kind: 'VirtualCluster',
      ...props,
    });
  }
}
