import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { loadPlatform } from '../../config/load';
import type { EnvironmentInput } from '../../config/schema';
import { NO_JOB_FILES, type JobFileSet } from '../../config/job-files';
import { seedEnvironmentInput, seedPlatformInput } from '../fixtures';

/** The default environment with one change applied (a deep copy; the default stays untouched). */
function platformWith(change: (env: EnvironmentInput & Record<string, unknown>) => void): unknown {
  const env = structuredClone(seedEnvironmentInput()) as EnvironmentInput & Record<string, unknown>;
  change(env);
  return { environments: [env] };
}

function problemsOf(input: unknown, jobFiles?: JobFileSet): string[] {
  try {
    loadPlatform(input, jobFiles);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('loadPlatform', () => {
  it('accepts the embedded default and fills in defaults', () => {
    const platform = loadPlatform(seedPlatformInput());
    const env = platform.environments[0];
    expect(env?.cluster).toMatchObject({ name: 'emr-eks-karpenter', region: 'us-west-2', version: '1.34' });
    expect(env?.teams.map((t) => t.name)).toEqual(['emr-data-team-a', 'emr-data-team-b']);
    expect(env?.nodePools.map((p) => p.name)).toEqual([
      'spark-compute-optimized',
      'spark-memory-optimized',
      'spark-graviton-memory-optimized',
    ]);
    expect(env?.nodePools[0]).toMatchObject({
      consolidateAfter: '120s',
      capacityTypes: ['spot', 'on-demand'],
    });
  });

  it('keeps the seed add-on table as defaults', () => {
    const addons = loadPlatform(seedPlatformInput()).environments[0]?.addons;
    expect(addons).toMatchObject({
      vpcCni: true,
      coreDns: true,
      kubeProxy: true,
      ebsCsiDriver: true,
      karpenter: true,
      clusterAutoscaler: true,
      clusterProportionalAutoscaler: true,
      metricsServer: true,
      prometheus: true,
      amazonManagedPrometheus: true,
      kubecost: true,
      cloudwatchMetrics: false,
      fluentBit: false,
      fsxCsiDriver: false,
    });
  });

  const bad: [string, (env: EnvironmentInput & Record<string, unknown>) => void, string, JobFileSet?][] = [
    [
      'a cluster version the repository does not render and validate for',
      (env) => {
        env.cluster.version = '1.35';
      },
      'Invalid config at environments[0].cluster.version: "1.35" is not 1.34, the Kubernetes version this repository renders and validates for: leave cluster.version out, or move config/versions.ts (kubernetes, with schemas.lock.json, clusterAutoscaler and the node AMI) one minor at a time.',
    ],
    [
      'a non-DNS-1123 team name',
      (env) => {
        env.teams[0]!.name = 'Team_A';
      },
      `Invalid config at environments[0].teams[0].name: "Team_A" must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit).`,
    ],
    [
      'duplicate team names',
      (env) => {
        env.teams[1]!.name = 'emr-data-team-a';
      },
      'Invalid config at environments[0].teams[1].name: "emr-data-team-a" duplicates environments[0].teams[0].name.',
    ],
    [
      'two teams in one namespace',
      (env) => {
        env.teams[1]!.namespace = 'emr-data-team-a';
      },
      'Invalid config at environments[0].teams[1].namespace (team emr-data-team-b): "emr-data-team-a" duplicates environments[0].teams[0].namespace.',
    ],
    [
      'duplicate node pool names',
      (env) => {
        env.nodePools.push(structuredClone(env.nodePools[0]!));
      },
      'Invalid config at environments[0].nodePools[3].name: "spark-compute-optimized" duplicates environments[0].nodePools[0].name.',
    ],
    [
      'an unknown node pool reference',
      (env) => {
        env.teams[0]!.nodePools = ['spark-gpu'];
        delete env.teams[0]!.jobDefaults;
      },
      'Invalid config at environments[0].teams[0].nodePools[0] (team emr-data-team-a): "spark-gpu" names no node pool of this environment (known: spark-compute-optimized, spark-memory-optimized, spark-graviton-memory-optimized).',
      NO_JOB_FILES, // its jobs would also report their pools
    ],
    [
      'overlapping subnets',
      (env) => {
        env.cluster.vpc.privateSubnets = ['10.1.0.64/26', '10.1.2.0/24'];
      },
      'Invalid config at environments[0].cluster.vpc.privateSubnets[0]: "10.1.0.64/26" overlaps environments[0].cluster.vpc.publicSubnets[1] (10.1.0.64/26).',
    ],
    [
      'a secondary CIDR overlapping the VPC',
      (env) => {
        env.cluster.vpc.secondaryCidrs = ['10.1.128.0/17'];
        env.cluster.vpc.nodeSubnets = ['10.1.128.0/18', '10.1.192.0/18'];
      },
      'Invalid config at environments[0].cluster.vpc.secondaryCidrs[0]: "10.1.128.0/17" overlaps environments[0].cluster.vpc.cidr (10.1.0.0/16).',
    ],
    [
      'a subnet outside its CIDR',
      (env) => {
        env.cluster.vpc.nodeSubnets = ['100.64.0.0/17', '100.65.0.0/17'];
      },
      'Invalid config at environments[0].cluster.vpc.nodeSubnets[1]: "100.65.0.0/17" must lie inside 100.64.0.0/16.',
    ],
    [
      'a CIDR with host bits',
      (env) => {
        env.cluster.vpc.cidr = '10.1.0.1/16';
      },
      'Invalid config at environments[0].cluster.vpc.cidr: "10.1.0.1/16" has host bits set (the block starts at 10.1.0.0).',
    ],
    [
      'a zone of another region',
      (env) => {
        env.cluster.vpc.azs = ['us-west-2a', 'us-east-1b'];
        env.nodePools.forEach((p) => (p.zones = ['us-west-2a']));
      },
      'Invalid config at environments[0].cluster.vpc.azs[1]: "us-east-1b" must be a zone of us-west-2 such as us-west-2a.',
    ],
    [
      'a node pool zone outside the cluster',
      (env) => {
        env.nodePools[1]!.zones = ['us-west-2c'];
      },
      `Invalid config at environments[0].nodePools[1].zones[0] (node pool spark-memory-optimized): "us-west-2c" must be one of the cluster's zones (us-west-2a, us-west-2b).`,
    ],
    [
      'a team budget larger than its pools',
      (env) => {
        env.teams[0]!.nodePools = ['spark-compute-optimized'];
        env.teams[0]!.budget.cpu = 1500;
      },
      'Invalid config at environments[0].teams[0].budget.cpu (team emr-data-team-a): 1500 exceeds the 1000 vCPU limit of the node pools the team may use (spark-compute-optimized).',
      NO_JOB_FILES, // some of its jobs use the other pools
    ],
    [
      'budgets that do not add up across teams',
      (env) => {
        env.teams[0]!.budget.cpu = 2000;
        env.teams[1]!.budget.cpu = 2000;
      },
      `Invalid config at environments[0].teams: "4000 vCPU" is more than the 3000 vCPU the teams' node pools may hold together; lower budgets or raise nodePools[].limits.cpu.`,
    ],
    [
      'a misspelled field',
      (env) => {
        (env.cluster as Record<string, unknown>).regoin = 'us-west-2';
      },
      'Invalid config at environments[0].cluster.regoin: "us-west-2" is not a known field (check the spelling against config/schema.ts).',
    ],
    [
      'a missing required field',
      (env) => {
        delete (env.cluster as Partial<typeof env.cluster>).accountId;
      },
      'Invalid config at environments[0].cluster.accountId: missing is required (a string).',
    ],
    [
      'a bad account id',
      (env) => {
        env.cluster.accountId = '1234';
      },
      'Invalid config at environments[0].cluster.accountId: "1234" must be a 12-digit AWS account id.',
    ],
    [
      'an unknown architecture',
      (env) => {
        (env.nodePools[0] as Record<string, unknown>).arch = 'x86_64';
      },
      'Invalid config at environments[0].nodePools[0].arch (node pool spark-compute-optimized): "x86_64" must be one of "amd64", "arm64".',
    ],
    [
      'a system namespace for a team',
      (env) => {
        env.teams[0]!.namespace = 'kube-system';
      },
      'Invalid config at environments[0].teams[0].namespace (team emr-data-team-a): "kube-system" is a system namespace; give the team a namespace of its own.',
    ],
    [
      'a core node group whose desired size is out of bounds',
      (env) => {
        env.cluster.coreNodeGroup = { instanceTypes: ['m6a.xlarge'], minSize: 1, maxSize: 2, desiredSize: 3 };
      },
      'Invalid config at environments[0].cluster.coreNodeGroup.desiredSize: 3 must lie between minSize (1) and maxSize (2).',
    ],
    [
      'FSx without its CSI driver',
      (env) => {
        env.storage = { fsx: { dynamic: { enabled: true } } };
      },
      'Invalid config at environments[0].addons.fsxCsiDriver: false must be true when storage.fsx is enabled (pods mount FSx through the CSI driver).',
    ],
    [
      'Kubecost without Prometheus',
      (env) => {
        env.addons = { ...env.addons, prometheus: false, amazonManagedPrometheus: false };
      },
      'Invalid config at environments[0].addons.kubecost: true needs addons.prometheus enabled (Kubecost reads its metrics from Prometheus).',
    ],
    [
      'the ACK controller without the Pod Identity agent',
      (env) => {
        env.addons = {
          ...env.addons,
          podIdentityAgent: false,
          karpenter: false,
          amazonManagedPrometheus: false,
          clusterAutoscaler: false,
        };
      },
      'Invalid config at environments[0].addons.ackEmrContainers: true needs addons.podIdentityAgent enabled (the ACK controller authenticates through EKS Pod Identity).',
    ],
    [
      'a cluster name that makes IAM names too long',
      (env) => {
        env.cluster.name = 'a'.repeat(30);
        env.teams[0]!.name = 'b'.repeat(40);
      },
      `Invalid config at environments[0].cluster.name: "${'a'.repeat(30)}" makes the IAM role name ${'a'.repeat(30)}-${'b'.repeat(40)}-input-seeder longer than 64 characters; shorten the cluster or team name.`,
      NO_JOB_FILES, // the job files live in the old team's folder
    ],
    [
      'a cluster name that makes an EventBridge rule name too long',
      (env) => {
        env.cluster.name = 'a'.repeat(34);
      },
      `Invalid config at environments[0].cluster.name: "${'a'.repeat(34)}" makes the EventBridge rule name ${'a'.repeat(34)}-karpenter-instance-state-change longer than 64 characters; shorten the cluster name.`,
    ],
    [
      'no addons applier when the cluster creator gets no access',
      (env) => {
        env.cluster.bootstrapCreatorAdmin = false;
      },
      'Invalid config at environments[0].cluster.addonsApplierArns: [] must name the IAM role or user that runs terraform apply of the addons stack (a CI role, say) when bootstrapCreatorAdmin is false: nobody else would have the cluster access Helm needs.',
    ],
    [
      'an addons applier that is also an admin',
      (env) => {
        env.cluster.adminPrincipalArns = ['arn:aws:iam::111122223333:role/ci'];
        env.cluster.addonsApplierArns = ['arn:aws:iam::111122223333:role/ci'];
      },
      'Invalid config at environments[0].cluster.addonsApplierArns[0]: "arn:aws:iam::111122223333:role/ci" is also cluster.adminPrincipalArns[0], and EKS allows one access entry per principal; list it in one of the two.',
    ],
    [
      'the same addons applier twice',
      (env) => {
        env.cluster.addonsApplierArns = [
          'arn:aws:iam::111122223333:role/ci',
          'arn:aws:iam::111122223333:role/ci',
        ];
      },
      'Invalid config at environments[0].cluster.addonsApplierArns[1]: "arn:aws:iam::111122223333:role/ci" duplicates environments[0].cluster.addonsApplierArns[0].',
    ],
    [
      'a cluster name with a prefix S3 reserves for bucket names',
      (env) => {
        env.cluster.name = 'sthree-emr';
      },
      'Invalid config at environments[0].cluster.name: "sthree-emr" starts with "sthree-", which S3 reserves, so the bucket sthree-emr-emr-data-team-a-111122223333-us-west-2 could not be created; rename the cluster.',
    ],
    [
      'a job reading input data its team does not declare',
      (env) => {
        env.teams[0]!.jobs = [
          { name: 'reader', script: 'jobs/emr-data-team-a/taxi-trip.py', arguments: ['{{input:nyc-taxis}}'] },
        ];
      },
      'Invalid config at environments[0].teams[0].jobs[0].arguments[0] (job reader): "{{input:nyc-taxis}}" refers to input data nyc-taxis, which team emr-data-team-a does not declare (inputData: nyc-taxi); add it to the team\'s inputData.',
    ],
    [
      'input data declared twice',
      (env) => {
        env.teams[0]!.inputData = [...env.teams[0]!.inputData!, env.teams[0]!.inputData![0]!];
      },
      'Invalid config at environments[0].teams[0].inputData[1].name: "nyc-taxi" duplicates environments[0].teams[0].inputData[0].name.',
    ],
    [
      'input data from a plain http URL',
      (env) => {
        env.teams[0]!.inputData = [{ name: 'x', url: 'http://example.org/x.parquet', sha256: 'unpinned' }];
      },
      'Invalid config at environments[0].teams[0].inputData[0].url: "http://example.org/x.parquet" must be an https URL of one file, such as https://example.org/data/file.parquet.',
      NO_JOB_FILES, // the seed's taxi jobs read nyc-taxi, which this team no longer declares
    ],
    [
      'a wrong number of subnets',
      (env) => {
        env.cluster.vpc.publicSubnets = ['10.1.0.0/26'];
      },
      'Invalid config at environments[0].cluster.vpc.publicSubnets: ["10.1.0.0/26"] must list one subnet per availability zone (2).',
    ],
    [
      'an S3 backend without a bucket',
      (env) => {
        env.cluster.backend = { type: 's3', keyPrefix: 'state', region: 'us-west-2' } as never;
      },
      'Invalid config at environments[0].cluster.backend.bucket: missing is required (a string).',
    ],
  ];

  it.each(bad)('rejects %s with one sentence', (_name, change, message, jobFiles) => {
    expect(problemsOf(platformWith(change), jobFiles)).toEqual([message]);
  });

  it('rejects duplicate environment names', () => {
    const env = structuredClone(seedEnvironmentInput());
    expect(problemsOf({ environments: [env, env] })).toEqual([
      'Invalid config at environments[1].name: "default" duplicates environments[0].name.',
    ]);
  });

  it('reports every problem, one sentence each', () => {
    const problems = problemsOf(
      platformWith((env) => {
        env.teams[0]!.name = 'A';
        env.cluster.accountId = 'x';
      }),
    );
    expect(problems).toHaveLength(2);
    for (const line of problems) expect(line).toMatch(/^Invalid config at \S+: .+\.$/);
  });
});

describe('regions', () => {
  it('refuses a region outside the commercial partition, saying why', () => {
    for (const region of ['us-gov-west-1', 'cn-north-1']) {
      const problems = problemsOf(platformWith((env) => (env.cluster.region = region)));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('cluster.region');
      expect(problems[0]).toContain('outside the commercial partition');
    }
  });

  it('accepts a commercial region', () => {
    const input = platformWith((env) => {
      env.cluster.region = 'eu-central-1';
      env.cluster.vpc = { ...env.cluster.vpc, azs: ['eu-central-1a', 'eu-central-1b'] };
      for (const pool of env.nodePools ?? []) if (pool.zones) pool.zones = ['eu-central-1a'];
    });
    expect(problemsOf(input)).toEqual([]);
  });
});
