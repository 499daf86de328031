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
  const config = options.configFile === undefined ? [] : ['--config', options.configFile];
  for (const stack of [...stacks].reverse()) {
    for (const bucket of env.forceDestroyBuckets ? [] : bucketsOfStack(env, stack)) {
      steps.push({
        title: `Empty bucket ${bucket} (every object version and delete marker; its data is gone for good)`,
        command: ['npm', 'run', 'teardown', '--', '--env', env.name, ...config, '--empty-bucket', bucket],
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

/** The checks `--execute` runs first; each returns a mismatch sentence or undefined. */
export function identityChecks(
  env: Environment,
): { readonly command: readonly string[]; readonly check: (stdout: string) => string | undefined }[] {
  return [
    {
      command: ['aws', 'sts', 'get-caller-identity', '--query', 'Account', '--output', 'text'],
      check: (out) =>
        out.trim() === env.cluster.accountId
          ? undefined
          : `AWS credentials are for account ${out.trim() || '(none)'}, but ${env.name} is in ${env.cluster.accountId}`,
    },
    {
      command: [
        'aws',
        'eks',
        'describe-cluster',
        '--region',
        env.cluster.region,
        '--name',
        env.cluster.name,
        '--query',
        'cluster.endpoint',
        '--output',
        'text',
      ],
      check: (out) =>
        out.trim().startsWith('https://')
          ? undefined
          : `cluster ${env.cluster.name} was not found in ${env.cluster.region}`,
    },
    {
      command: [
        'kubectl',
        'config',
        'view',
        '--context',
        env.cluster.name,
        '--minify',
        '-o',
        'jsonpath={.clusters[0].cluster.server}',
      ],
      check: (out) =>
        out.trim().startsWith('https://')
          ? undefined
          : `kubectl has no context named ${env.cluster.name} (run: aws eks update-kubeconfig --name ${env.cluster.name} --region ${env.cluster.region} --alias ${env.cluster.name})`,
    },
  ];
}
