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

/** `spec.jobDriver.sparkSubmitJobDriver` (the only driver the ACK controller supports). */
export interface SparkSubmitJobDriver {
  /** Script or jar: an S3 URI or a `local://` path inside the EMR image. */
  readonly entryPoint: string;
  readonly entryPointArguments?: readonly string[];
  /** `--conf k=v …`; this project puts every property in `configurationOverrides` instead. */
  readonly sparkSubmitParameters?: string;
}

/** The fields of a JobRun's spec (v1.4.1 CRD; every one is immutable once set). */
export interface JobRunSpec {
  /** AWS job name, `^[\.\-_/#A-Za-z0-9]+$`. */
  readonly name: string;
  /** The ACK VirtualCluster this job runs in (the controller copies its `status.id`). */
  readonly virtualClusterRef: { readonly from: { readonly name: string; readonly namespace?: string } };
  readonly executionRoleARN: string;
  readonly releaseLabel: string;
  readonly jobDriver: { readonly sparkSubmitJobDriver: SparkSubmitJobDriver };
  /** EMR's `ConfigurationOverrides` as a JSON string (the CRD cannot type the recursive shape). */
  readonly configurationOverrides: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export class JobRun extends ApiObject {
  constructor(scope: Construct, id: string, props: { metadata: ApiObjectMetadata; spec: JobRunSpec }) {
    super(scope, id, {
      apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
      kind: 'JobRun',
      ...props,
    });
  }
}
