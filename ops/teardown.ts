import type { CommandStep } from './command-step';
import { teamNamespace, type Environment } from '../config';

const ARGOCD_NAMESPACE = 'argocd';

/**
 * The safe order to take an environment down. Argo CD must stop re-creating what is deleted;
 * JobRuns go first (switched to deletion policy `delete`, so running jobs are cancelled rather
 * than orphaned), then the virtual clusters; NodePools and EC2NodeClasses next, and the
 * Terraform destroy waits until Karpenter's NodeClaims are gone, or their EC2 instances would
 * outlive the cluster and block the VPC's deletion. Stacks are destroyed in reverse order.
 */
export function teardownPlan(
  env: Environment,
  stacks: readonly string[],
  applications: readonly string[],
): CommandStep[] {
  const namespaces = env.teams.map(teamNamespace);
  const kubectl = (...args: string[]) => ['kubectl', '--context', env.cluster.name, ...args];
  // The root Application first: with self-heal on, it would restore its children's sync policy.
  const steps: CommandStep[] = applications.map((name) => ({
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
