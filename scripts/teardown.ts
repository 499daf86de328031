import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { App } from '../cdktf/framework';
import { environmentStacks } from '../cdktf/app';
import { renderArgoCd } from '../argocd/render';
import { withSyncWaves } from '../argocd/sync-waves';
import { ROOT_APPLICATION } from '../cdktf/constructs/helm-argocd';
import { loadOutputs } from '../config/outputs';
import { renderManifests } from '../manifests/render';
import { parseOptions, UsageError } from '../pipeline/cli';
import { selectEnvironment } from '../pipeline/config-file';
import { runStep, shellLine } from '../ops/command-step';
import { EmptyBucketError, emptyBucket } from '../ops/empty-bucket';
import { identityChecks, teardownPlan } from '../ops/teardown';
import { allBucketNames, type Environment } from '../config';

const HELP = `Usage: npm run teardown -- --env NAME [--execute | --empty-bucket BUCKET] [--config FILE]

Prints (default) or runs the safe order to take an environment down: pause Argo CD auto-sync,
cancel and delete JobRuns and virtual clusters, delete NodePools and EC2NodeClasses, wait until
Karpenter's NodeClaims are gone, then terraform destroy each stack in reverse order. Unless
forceDestroyBuckets is on, each bucket a stack owns is emptied (every object version and delete
marker) right before that stack's destroy: its data is gone for good.

With --execute it first checks that the AWS account, the EKS cluster and the kubectl context
all match the config, and refuses to run otherwise. terraform destroy still asks for approval.
Buckets are emptied only when they carry this cluster's emr-eks-gitops/cluster tag.

  --env NAME             the environment (required)
  --execute              run the steps instead of printing them
  --empty-bucket BUCKET  only empty one of the environment's buckets (after the same checks)
  --config FILE          a YAML/JSON platform description instead of the embedded one
  --help                 show this help`;

/** The identity checks `--execute` and `--empty-bucket` run before changing anything. */
function checkIdentity(env: Environment): void {
  for (const { command, check } of identityChecks(env)) {
    const [program = '', ...args] = command;
    const run = spawnSync(program, args, { encoding: 'utf8' });
    const problem =
      run.error !== undefined ? `${program} is not available (${run.error.message})` : check(run.stdout);
    if (problem !== undefined) throw new UsageError(`teardown: refusing to run: ${problem}.`);
  }
}

function empty(env: Environment, bucket: string): void {
  try {
    const result = emptyBucket(bucket, env.cluster.region, env.cluster.name, (message) =>
      process.stderr.write(`teardown: ${message}\n`),
    );
    process.stderr.write(
      result.outcome === 'absent'
        ? `teardown: bucket ${bucket} does not exist (already destroyed).\n`
        : `teardown: bucket ${bucket} is empty (${result.deleted} versions deleted).\n`,
    );
  } catch (error) {
    if (error instanceof EmptyBucketError) throw new UsageError(`teardown: ${error.message}.`);
    throw error;
  }
}

/** `emr-eks-gitops teardown`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('teardown', args, {
    env: { type: 'string' },
    execute: { type: 'boolean', default: false },
    'empty-bucket': { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = selectEnvironment('teardown', values.config, values.env);
  const only = values['empty-bucket'];
  if (only !== undefined) {
    if (values.execute) throw new UsageError('teardown: --empty-bucket runs one step; leave out --execute.');
    const buckets = allBucketNames(env);
    if (!buckets.includes(only)) {
      throw new UsageError(
        `teardown: --empty-bucket ${only} is not a bucket of ${env.name} (its buckets: ${buckets.join(', ')}).`,
      );
    }
    checkIdentity(env);
    empty(env, only);
    return 0;
  }
  const stacks = environmentStacks(new App({ outdir: tmpdir(), skipValidation: true }), env).map(
    (s) => s.stackName,
  );
  const applications = renderArgoCd(env, withSyncWaves(renderManifests(env, loadOutputs(env.name))))
    .filter(({ object }) => object.kind === 'Application')
    .map(({ object }) => object.metadata.name);
  const steps = teardownPlan(env, stacks, env.addons.argocd ? [ROOT_APPLICATION, ...applications] : [], {
    configFile: values.config,
  });
  if (!values.execute) {
    process.stdout.write(
      `Teardown of ${env.name} (cluster ${env.cluster.name}, ${env.cluster.region}); run in this order:\n\n`,
    );
    steps.forEach((step, i) =>
      process.stdout.write(`${i + 1}. ${step.title}\n   ${shellLine(step.command)}\n`),
    );
    process.stdout.write('\nOr run them with: npm run teardown -- --env ' + env.name + ' --execute\n');
    return 0;
  }
  checkIdentity(env);
  for (const [i, step] of steps.entries()) {
    process.stderr.write(`teardown: ${i + 1}/${steps.length} ${step.title}\n`);
    if (step.emptyBucket !== undefined) {
      empty(env, step.emptyBucket);
      continue;
    }
    const run = runStep(step);
    if (run.status !== 0) {
      throw new UsageError(
        `teardown: step ${i + 1} failed (${shellLine(step.command)}); fix it and run again: finished steps are no-ops.`,
      );
    }
  }
  process.stderr.write(`teardown: ${env.name} is gone.\n`);
  return 0;
}
