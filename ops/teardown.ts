import type { CommandStep } from './command-step';
import {
  needsPlatformBucket,
  platformBucketName,
  teamBucketName,
  teamNamespace,
  type Environment,
} from '../config';
import { ADDONS } from '../config/addons';

const ARGOCD_NAMESPACE = ADDONS.argocd.namespace;

/** One teardown step; `emptyBucket` steps run in-process under `--execute` (the command is their by-hand form). */
export interface TeardownStep extends CommandStep {
  /** The bucket this step empties (every object version and delete marker). */
  readonly emptyBucket?: string;
}

/** How the printed commands reach the same config (`--config FILE` when one was given). */
export interface TeardownOptions {
  readonly configFile?: string;
}

/** The stack that creates each bucket, so it is emptied right before that stack is destroyed. */
function bucketsOfStack(env: Environment, stack: string): string[] {
  if (stack === 'teams') return env.teams.map((team) => teamBucketName(env, team));
  if (stack === 'base' && needsPlatformBucket(env)) return [platformBucketName(env)];
  return [];
}

/**
 * The safe order to take an environment down. Argo CD must stop re-creating what is deleted;
 * JobRuns go first (switched to deletion policy `delete`, so running jobs are cancelled rather
 * than orphaned), then the virtual clusters; NodePools and EC2NodeClasses next, and the
 * Terraform destroy waits until Karpenter's NodeClaims are gone, or their EC2 instances would
 * outlive the cluster and block the VPC's deletion. Stacks are destroyed in reverse order; unless
 * `forceDestroyBuckets` is on, the buckets a stack owns are emptied right before its destroy
 * (versioned buckets cannot be destroyed while they hold any version), after everything that
 * writes to them is gone.
 */
export function teardownPlan(
  env: Environment,
  stacks: readonly string[],
  applications: readonly string[],
  options: TeardownOptions = {},
): TeardownStep[] {
  const namespaces = env.teams.map(teamNamespace);
  const kubectl = (...args: string[]) => ['kubectl', '--context', env.cluster.name, ...args];
  // The root Application first: with self-heal on, it would restore its children's sync policy.
  const steps: TeardownStep[] = applications.map((name) => ({
    title: `Pause Argo CD auto-sync of Application ${name}`,
    command: kubectl(
      '-n',
      ARGOCD_NAMESPACE,
      'patch',
      'applications.argoproj.io',
      name,
      '--type',
      'merge',
      '-p',
      '{"spec":{"syncPolicy":{"automated":null}}}',
    ),
  }));
  for (const namespace of namespaces) {
    steps.push(
      {
        title: `Switch the JobRuns of ${namespace} to deletion policy delete (deleting them cancels running jobs)`,
        command: kubectl(
          '-n',
          namespace,
          'annotate',
          'jobruns.emrcontainers.services.k8s.aws',
          '--all',
          '--overwrite',
          'services.k8s.aws/deletion-policy=delete',
        ),
      },
      {
        title: `Delete the JobRuns of ${namespace}`,
        command: kubectl(
          '-n',
          namespace,
          'delete',
          'jobruns.emrcontainers.services.k8s.aws',
          '--all',
          '--wait',
        ),
      },
      {
        title: `Delete the virtual cluster of ${namespace}`,
        command: kubectl(
          '-n',
          namespace,
          'delete',
          'virtualclusters.emrcontainers.services.k8s.aws',
          '--all',
          '--wait',
        ),
      },
    );
  }
  steps.push(
    {
      title: 'Delete the NodePools (Karpenter drains and terminates their nodes)',
      command: kubectl('delete', 'nodepools.karpenter.sh', '--all', '--wait'),
    },
    {
      title: 'Delete the EC2NodeClasses',
      command: kubectl('delete', 'ec2nodeclasses.karpenter.k8s.aws', '--all', '--wait'),
    },
    {
      title: "Wait until Karpenter's NodeClaims are gone",
      command: kubectl('wait', '--for=delete', 'nodeclaims.karpenter.sh', '--all', '--timeout=30m'),
    },
  );
  for (const stack of [...stacks].reverse()) {
    for (const bucket of env.forceDestroyBuckets ? [] : bucketsOfStack(env, stack)) {
      steps.push({
        title: `Empty bucket ${bucket} (every object version and delete marker; its data is gone for good)`,
        command: emptyBucketCommand(env, bucket, options.configFile),
        emptyBucket: bucket,
      });
    }
    steps.push({
      title: `terraform destroy ${stack}`,
      command: ['terraform', `-chdir=dist/${env.name}/terraform/${stack}`, 'destroy'],
    });
  }
  return steps;
}

/** The by-hand form of emptying one bucket (it asks for confirmation too). */
export function emptyBucketCommand(env: Environment, bucket: string, configFile?: string): string[] {
  const config = configFile === undefined ? [] : ['--config', configFile];
  return [
    'npm',
    'run',
    'teardown',
    '--',
    '--env',
    env.name,
    ...config,
    '--empty-bucket',
    bucket,
    '--execute',
  ];
}

/** Runs one read-only command and returns what it printed (the real one spawns it; tests fake it). */
export type CommandRunner = (command: readonly string[]) => {
  readonly status: number | null;
  readonly stdout: string;
  readonly error?: Error;
};

/**
 * What `--execute` checks before it asks for confirmation, all read-only: the AWS credentials
 * are for the environment's account, its EKS cluster exists, and kubectl's context of that name
 * points at that very cluster (the same API server URL, and the same certificate authority when
 * both give one). Returns the first mismatch as a sentence, or undefined when all match.
 */
export function checkIdentity(env: Environment, run: CommandRunner): string | undefined {
  const { accountId, name, region } = env.cluster;
  const updateKubeconfig = `aws eks update-kubeconfig --name ${name} --region ${region} --alias ${name}`;
  const noContext = `kubectl has no context named ${name} (run: ${updateKubeconfig})`;
  const account = output(
    run,
    ['aws', 'sts', 'get-caller-identity', '--query', 'Account', '--output', 'text'],
    'the AWS CLI has no valid credentials (aws sts get-caller-identity failed)',
  );
  if (typeof account !== 'string') return account.problem;
  if (account.trim() !== accountId) {
    return `AWS credentials are for account ${account.trim() || '(none)'}, but ${env.name} is in ${accountId}`;
  }
  const cluster = describeCluster(env, run);
  if (typeof cluster === 'string') return cluster;
  const context = output(
    run,
    [
      'kubectl',
      'config',
      'view',
      '--context',
      name,
      '--minify',
      '--raw',
      '-o',
      'jsonpath={.clusters[0].cluster.server}{"\\t"}{.clusters[0].cluster.certificate-authority-data}',
    ],
    noContext,
  );
  if (typeof context !== 'string') return context.problem;
  const [server = '', authority = ''] = context.trim().split('\t');
  if (!server.startsWith('https://')) return noContext;
  if (normalUrl(server) !== normalUrl(cluster.endpoint)) {
    return `kubectl context ${name} points at ${server}, not at cluster ${name} (${cluster.endpoint}); run: ${updateKubeconfig}`;
  }
  if (authority !== '' && cluster.authority !== '' && authority !== cluster.authority) {
    return `kubectl context ${name} trusts another certificate authority than cluster ${name} does; run: ${updateKubeconfig}`;
  }
  return undefined;
}

/** The cluster's API endpoint and CA data from `aws eks describe-cluster`, or why not. */
function describeCluster(
  env: Environment,
  run: CommandRunner,
): { readonly endpoint: string; readonly authority: string } | string {
  const { name, region } = env.cluster;
  const missing = `cluster ${name} was not found in ${region}`;
  const answer = output(
    run,
    [
      'aws',
      'eks',
      'describe-cluster',
      '--region',
      region,
      '--name',
      name,
      '--query',
      '{endpoint: cluster.endpoint, ca: cluster.certificateAuthority.data}',
      '--output',
      'json',
    ],
    missing,
  );
  if (typeof answer !== 'string') return answer.problem;
  try {
    const { endpoint, ca } = JSON.parse(answer) as { endpoint?: unknown; ca?: unknown };
    if (typeof endpoint !== 'string' || !endpoint.startsWith('https://')) return missing;
    return { endpoint, authority: typeof ca === 'string' ? ca : '' };
  } catch {
    return missing;
  }
}

/** A command's output, or `{ problem }`: the program is missing, or `failure` when it failed. */
function output(
  run: CommandRunner,
  command: readonly string[],
  failure: string,
): string | { readonly problem: string } {
  const result = run(command);
  if (result.error !== undefined) {
    return { problem: `${command[0] ?? ''} is not available (${result.error.message})` };
  }
  return result.status === 0 ? result.stdout : { problem: failure };
}

/** An API server URL as compared: host in lower case, no trailing slash. */
function normalUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}
