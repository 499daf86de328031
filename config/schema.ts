import { z } from 'zod';
import { jobSchema, jobSettingsSchema } from './jobs';
import { notifyTargetSchema } from './notify';
import { EMR_ON_EKS_RELEASE_IMAGES, IMAGE_PREFIX } from './spark-properties';
import { versions } from './versions';
import { partitionOf } from '../lib/arn';
import { DNS_LABEL } from '../lib/dns';

/**
 * The shape of the platform description. Field-level rules live here; rules that relate several
 * fields (duplicates, references, CIDR overlaps, budgets) live in `rules.ts`.
 */

const dnsLabel = (max = 63) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .regex(DNS_LABEL, {
      message:
        "must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)",
    });

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, {
  message: 'must be an IPv4 CIDR block such as 10.1.0.0/16',
});
const positiveInt = z
  .number()
  .int({ message: 'must be a whole number' })
  .positive({ message: 'must be > 0' });
const githubOwner = z.string().regex(/^@[\w./-]+$/, { message: 'must be a GitHub owner such as @org/team' });
const principalArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, {
  message: 'must be an IAM role or user ARN',
});
/** AWS tags on every resource; keys and values are checked in config/tags.ts. */
const tags = z.record(z.string(), z.string()).prefault({});

export const terraformBackendSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('local'),
  }),
  z.strictObject({
    type: z.literal('s3'),
    /** State bucket (created outside this project). */
    bucket: z.string().min(3).max(63),
    /** Key prefix; each stack's state lives at `<keyPrefix>/<env>/<stack>.tfstate`. */
    keyPrefix: z.string().regex(/^[a-zA-Z0-9!_.*'()/-]+$/, { message: 'must be an S3 key prefix' }),
    region: z.string(),
    /** S3-native state locking (Terraform >= 1.10). */
    useLockfile: z.boolean().default(true),
  }),
]);

/** The AWS APIs nodes and add-ons call, reached privately when interface endpoints are enabled. */
export const DEFAULT_INTERFACE_ENDPOINTS = [
  'autoscaling',
  'ec2',
  'ec2messages',
  'ecr.api',
  'ecr.dkr',
  'eks',
  'eks-auth',
  'elasticloadbalancing',
  'kms',
  'logs',
  'ssm',
  'ssmmessages',
  'sts',
] as const;

export const vpcSchema = z.strictObject({
  cidr,
  /** Secondary CIDR blocks (RFC 6598 100.64.0.0/10 upstream) that hold the node and pod subnets. */
  secondaryCidrs: z.array(cidr).default([]),
  /** Availability zones, full names (`us-west-2a`); two or more. */
  azs: z.array(z.string()).min(2, { message: 'must list at least 2 availability zones' }),
  /** One public subnet per AZ (load balancers, NAT). */
  publicSubnets: z.array(cidr),
  /** One private subnet per AZ in the primary CIDR (VPC endpoints, internal load balancers). */
  privateSubnets: z.array(cidr),
  /** One node/pod subnet per AZ in the secondary CIDR: nodes, pods and the EKS control-plane ENIs. */
  nodeSubnets: z.array(cidr),
  /** `single` (cheap, the upstream default) or `per-az` (no cross-AZ dependency). */
  natGateways: z.enum(['single', 'per-az']).default('single'),
  /**
   * VPC endpoints. The S3 gateway endpoint is on by default: it costs nothing and routes the node
   * subnets' S3 traffic (Spark's input, output, shuffle and event logs) around the NAT gateway.
   * Interface endpoints are billed per hour and zone, so they are off until `enabled` is true.
   */
  endpoints: z
    .strictObject({
      /** The S3 gateway endpoint, on the private and node route tables. */
      s3Gateway: z.boolean().default(true),
      /** Creates the interface endpoints listed in `interface` (in the private subnets). */
      enabled: z.boolean().default(false),
      interface: z
        .array(z.string().regex(/^[a-z0-9.-]+$/, { message: 'must be a service short name like ecr.api' }))
        .default([...DEFAULT_INTERFACE_ENDPOINTS]),
    })
    .prefault({}),
});

export const clusterSchema = z.strictObject({
  name: dnsLabel(40),
  region: z
    .string()
    .regex(/^[a-z]{2,4}(-gov|-iso|-isob)?-[a-z]+-\d$/, { message: 'must be an AWS region such as us-west-2' })
    .refine((region) => partitionOf(region) === 'aws', {
      message:
        "is outside the commercial partition (aws); the platform renders only for it (EMR's image registries, the AMI aliases and the ECR Public images it pins are the commercial partition's): choose a region such as us-west-2",
    }),
  accountId: z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' }),
  version: z
    .string()
    .regex(/^1\.\d{2}$/, { message: 'must be a Kubernetes minor version such as 1.34' })
    .default(versions.kubernetes),
  vpc: vpcSchema,
  endpoint: z
    .strictObject({
      publicAccess: z.boolean().default(false),
      privateAccess: z.boolean().default(true),
      publicAccessCidrs: z.array(cidr).default(['0.0.0.0/0']),
    })
    .prefault({}),
  /** IAM principals (role/user ARNs) granted cluster-admin through an access entry. */
  adminPrincipalArns: z.array(principalArn).default([]),
  /**
   * IAM principals (role/user ARNs), besides the identity that created the cluster, that run
   * `terraform apply` of the `addons` stack (a CI or deploy role, say). Each gets an access entry
   * with cluster-admin in `base` (Helm installs CRDs and cluster-wide RBAC); the Helm provider signs
   * in as whoever runs the apply (`aws eks get-token`). Required when `bootstrapCreatorAdmin` is
   * false. A principal listed here must not also be in `adminPrincipalArns` or be the creator.
   */
  addonsApplierArns: z.array(principalArn).default([]),
  /** Give the identity that creates the cluster admin access (bootstrap only). */
  bootstrapCreatorAdmin: z.boolean().default(true),
  controlPlaneLogRetentionDays: positiveInt.default(90),
  coreNodeGroup: z
    .strictObject({
      instanceTypes: z
        .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, { message: 'must be an EC2 instance type' }))
        .min(1)
        .default(['m6a.xlarge']),
      minSize: z.number().int().min(0).default(1),
      maxSize: positiveInt.default(9),
      desiredSize: z.number().int().min(0).default(3),
      diskSizeGiB: positiveInt.default(100),
    })
    .prefault({}),
  tags,
  backend: terraformBackendSchema.prefault({ type: 'local' }),
});

/**
 * A public file a team's jobs read, seeded into the team bucket through GitOps: a Job in the same
 * Argo CD sync as the JobRuns, in an earlier wave, downloads it and copies it under
 * `inputs/<name>/<version>/`, which `{{input:<name>}}` names in a job's arguments. The version is a
 * hash of `url`, `sha256` and `copies`, so changing any of them seeds a new prefix (and re-runs
 * the jobs that read it) instead of mixing old and new files.
 */
/** What `inputData[].sha256` says for a file whose bytes are deliberately not pinned. */
export const UNPINNED = 'unpinned';
const SHA256_OR_UNPINNED = new RegExp(`^([0-9a-f]{64}|${UNPINNED})$`);

export const inputDataSchema = z.strictObject({
  /** Dataset name; `{{input:<name>}}` is its S3 prefix. */
  name: dnsLabel(40),
  /** Where the file is downloaded from (https only; redirects stay on https). */
  url: z.string().regex(/^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._~%!$&()*+,;=:@/-]*[A-Za-z0-9._~-]$/, {
    message: 'must be an https URL of one file, such as https://example.org/data/file.parquet',
  }),
  /**
   * SHA-256 (hex) of the file: the seeding Job refuses a download with other bytes. Required: a
   * dataset whose publisher gives no checksum, and that cannot be hashed ahead, says so with
   * `unpinned`, and then only TLS vouches for what the URL serves.
   */
  sha256: z
    .string()
    .regex(SHA256_OR_UNPINNED, {
      message: `must be 64 lowercase hex digits (the output of sha256sum), or "${UNPINNED}"`,
    })
    .optional()
    .superRefine((value, context) => {
      if (value === undefined)
        context.addIssue({
          code: 'custom',
          message: `is required: the file's SHA-256 (the output of sha256sum), or "${UNPINNED}" to accept whatever the URL serves over TLS`,
        });
    })
    .transform((value) => (value === UNPINNED ? undefined : value)),
  /** Copies placed under the prefix (the seed copies its month of taxi trips 10 times, so jobs have input to spread over executors). */
  copies: positiveInt.max(100, { message: 'must be at most 100' }).default(1),
  /** Largest download accepted, in MiB; also the size of the seeding Job's scratch volume. */
  maxSizeMiB: positiveInt.max(10240, { message: 'must be at most 10240 (10 GiB)' }).default(1024),
  description: z.string().default(''),
});

export const teamSchema = z.strictObject({
  /** Team name; also the Kubernetes namespace unless `namespace` says otherwise. */
  name: dnsLabel(40),
  namespace: dnsLabel(63).optional(),
  /** Capacity the team may hold at once (YuniKorn max, ResourceQuota). */
  budget: z.strictObject({
    cpu: positiveInt,
    memoryGiB: positiveInt,
    /** Share of the budget YuniKorn guarantees (the rest is borrowed when free). */
    guaranteedFraction: z.number().gt(0).max(1, { message: 'must be at most 1' }).default(0.5),
  }),
  /** Node pools (by name) the team's jobs may run on. */
  nodePools: z.array(z.string()).min(1, { message: 'must name at least one node pool' }),
  logRetentionDays: positiveInt.default(7),
  /** GitHub owners (`@org/team`) for the team's folders, used for CODEOWNERS. */
  owners: z.array(githubOwner).default([]),
  /** Settings every job of the team inherits unless the job sets them (see config/jobs.ts). */
  jobDefaults: jobSettingsSchema.optional(),
  /** The team's Spark jobs, each rendered as a content-addressed ACK JobRun (see config/jobs.ts). */
  jobs: z.array(jobSchema).default([]),
  /** Public input files the jobs read, seeded into the team bucket before the JobRuns run. */
  inputData: z.array(inputDataSchema).default([]),
  /**
   * Where alerts of the team's failed or cancelled job runs go (config/notify.ts): email
   * addresses, SNS topics, webhooks with a referenced secret. Empty: no alert plumbing is made.
   */
  notify: z.array(notifyTargetSchema).default([]),
});

export const nodePoolSchema = z.strictObject({
  name: dnsLabel(63),
  /** `NodeGroupType` label value, kept from the seed (e.g. SparkComputeOptimized). */
  nodeGroupType: z
    .string()
    .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { message: 'must be a valid label value' }),
  instanceTypes: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9-]+\.[a-z0-9]+$/, { message: 'must be an EC2 instance type such as c5d.large' }),
    )
    .min(1),
  arch: z.enum(['amd64', 'arm64']),
  capacityTypes: z
    .array(z.enum(['spot', 'on-demand', 'reserved']))
    .min(1)
    .default(['spot', 'on-demand']),
  /** Availability zones (full names) the pool may launch in. */
  zones: z.array(z.string()).min(1),
  limits: z.strictObject({
    cpu: positiveInt,
    memoryGiB: positiveInt.optional(),
  }),
  /** How long an empty node lives before Karpenter removes it (`consolidateAfter`). */
  consolidateAfter: z
    .string()
    .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, { message: 'must be a duration such as 120s or 5m' })
    .default('120s'),
  rootVolumeGiB: positiveInt.default(100),
  /** `RAID0` mounts the instance-store NVMe disks as one array for kubelet and pods. */
  instanceStorePolicy: z.enum(['RAID0', 'none']).default('RAID0'),
  /**
   * Pin Spark drivers to on-demand capacity (a lost driver fails the whole job); needs `on-demand`
   * above. On by default for every pool (the seed pinned only its memory-optimized pool). A pool
   * that sets it false while allowing Spot marks its driver template as accepting Spot, and the
   * PR diff warns.
   */
  driverOnDemand: z.boolean().default(true),
  /** Voluntary disruption (drift, emptiness): how many nodes at once, and when never. */
  disruption: z
    .strictObject({
      /** Nodes that may be disrupted at once: a count or a percentage. */
      maxUnavailable: z
        .string()
        .regex(/^(\d+|\d{1,3}%)$/, { message: 'must be a count or a percentage such as 10%' })
        .default('10%'),
      /** Windows (UTC) in which Karpenter disrupts nothing, e.g. business hours of running jobs. */
      freezeWindows: z
        .array(
          z.strictObject({
            days: z.array(z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).min(1),
            startUtc: z
              .string()
              .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:MM (UTC)' }),
            hours: positiveInt.max(24, { message: 'must be at most 24' }),
          }),
        )
        .default([]),
    })
    .prefault({}),
  /** Taint `<name>=true:NoSchedule` so only pods that ask for the pool land there (the seed's model). */
  taint: z.boolean().default(true),
  description: z.string().default(''),
});

export const storageSchema = z.strictObject({
  nvme: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  ebs: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  fsx: z
    .strictObject({
      /** A PERSISTENT_2 filesystem created by Terraform and bound through a static PV. */
      static: z
        .strictObject({
          enabled: z.boolean().default(false),
          storageCapacityGiB: positiveInt.default(1200),
          perUnitStorageThroughput: z
            .union([z.literal(125), z.literal(250), z.literal(500), z.literal(1000)])
            .default(500),
        })
        .prefault({}),
      /** A StorageClass that provisions FSx filesystems per claim. */
      dynamic: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
    })
    .prefault({}),
});

/** Add-on toggles; defaults follow the seed's "enabled by default?" table. */
export const addonsSchema = z.strictObject({
  vpcCni: z.boolean().default(true),
  coreDns: z.boolean().default(true),
  kubeProxy: z.boolean().default(true),
  ebsCsiDriver: z.boolean().default(true),
  podIdentityAgent: z.boolean().default(true),
  karpenter: z.boolean().default(true),
  clusterAutoscaler: z.boolean().default(true),
  clusterProportionalAutoscaler: z.boolean().default(true),
  metricsServer: z.boolean().default(true),
  prometheus: z.boolean().default(true),
  amazonManagedPrometheus: z.boolean().default(true),
  kubecost: z.boolean().default(true),
  cloudwatchMetrics: z.boolean().default(false),
  fluentBit: z.boolean().default(false),
  fsxCsiDriver: z.boolean().default(false),
  yunikorn: z.boolean().default(false),
  ackEmrContainers: z.boolean().default(true),
  argocd: z.boolean().default(true),
});

export const gitopsSchema = z.strictObject({
  /** Git repository Argo CD reads `dist/` from. */
  repoUrl: z
    .string()
    .regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, { message: 'must be an https, ssh or git@ repository URL' }),
  revision: z.string().min(1).default('main'),
});

export const environmentSchema = z.strictObject({
  /** Environment name: the folder under dist/. */
  name: dnsLabel(32),
  cluster: clusterSchema,
  teams: z.array(teamSchema).min(1, { message: 'must define at least one team' }),
  nodePools: z.array(nodePoolSchema).min(1, { message: 'must define at least one node pool' }),
  storage: storageSchema.prefault({}),
  addons: addonsSchema.prefault({}),
  /** Days before objects under `logs/` and `spark-event-logs/` of each team bucket (and Fluent Bit's archive) expire. */
  logObjectExpirationDays: positiveInt.default(30),
  /**
   * Let `terraform destroy` delete the team and platform buckets with every object version in them
   * (`force_destroy`). Off (the default), a destroy, or removing a team from the config, stops at a
   * bucket that still holds objects, so no config edit loses data; `npm run teardown` empties the
   * buckets itself, after its identity checks. Turn it on for throw-away environments only.
   */
  forceDestroyBuckets: z.boolean().default(false),
  /**
   * Image prefixes a job may name in `sparkConf` (`spark.kubernetes[.driver|.executor].container.image`):
   * Amazon ECR repository paths ending in `/`. Default: EMR on EKS's own release images. A job
   * that names no image runs the release image EMR picks for its release label.
   */
  allowedSparkImages: z
    .array(
      z.string().regex(IMAGE_PREFIX, {
        message: `must be an Amazon ECR repository prefix ending in '/', such as ${EMR_ON_EKS_RELEASE_IMAGES} or 111122223333.dkr.ecr.us-west-2.amazonaws.com/spark/`,
      }),
    )
    .default([EMR_ON_EKS_RELEASE_IMAGES]),
  gitops: gitopsSchema,
});

export const platformSchema = z.strictObject({
  environments: z.array(environmentSchema).min(1, { message: 'must define at least one environment' }),
  /**
   * GitHub owners (`@org/team`) of everything that is not a team's: config/, the code, the docs,
   * `jobs/README.md` and the job schema. CODEOWNERS gives them `*`; teams keep their folders.
   */
  owners: z.array(githubOwner).default([]),
});

/** What a user writes (defaults may be omitted). */
export type PlatformInput = z.input<typeof platformSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;
export type TeamInput = z.input<typeof teamSchema>;
/** What the rest of the code reads (defaults filled in). */
export type Platform = z.output<typeof platformSchema>;
export type Environment = z.output<typeof environmentSchema>;
export type Cluster = Environment['cluster'];
export type Team = Environment['teams'][number];
export type NodePool = Environment['nodePools'][number];
export type Addons = Environment['addons'];
export type InputData = Team['inputData'][number];
