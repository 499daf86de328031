import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { isatty } from 'node:tty';
import { App } from '../cdktf/framework';
import { environmentStacks } from '../cdktf/app';
import { renderArgoCd } from '../argocd/render';
import { withSyncWaves } from '../argocd/sync-waves';
import { ROOT_APPLICATION } from '../cdktf/constructs/helm-argocd';
import { renderManifests } from '../manifests/render';
import { parseOptions, UsageError } from '../pipeline/cli';
import { selectEnvironment } from '../pipeline/config-file';
import { loadModel } from '../pipeline/load-model';
import { runStep, shellLine } from '../ops/command-step';
import { EmptyBucketError, emptyBucket } from '../ops/empty-bucket';
import { refusal, readLine, unattended } from '../ops/confirm';
import { checkIdentity, emptyBucketCommand, teardownPlan, type CommandRunner } from '../ops/teardown';
import { allBucketNames, type Environment } from '../config';

const HELP = `Usage: npm run teardown -- --env NAME [--empty-bucket BUCKET] [--execute [--yes=CLUSTER]] [--config FILE]

Prints (default) or runs the safe order to take an environment down: pause Argo CD auto-sync,
cancel and delete JobRuns and virtual clusters, delete NodePools and EC2NodeClasses, wait until
Karpenter's NodeClaims are gone, then terraform destroy each stack in reverse order. Unless
forceDestroyBuckets is on, each bucket a stack owns is emptied (every object version and delete
marker) right before that stack's destroy: its data is gone for good.

Nothing is changed without --execute. With it, teardown first checks, reading only, that the AWS
credentials are for the environment's account, that its EKS cluster exists, and that the kubectl
context of the cluster's name points at that cluster (same API server URL and, when both give
one, the same certificate authority). Then it names the account, the cluster and the buckets and
asks you to type the cluster's name; only then does it change anything. Without a terminal
(CI, a pipe) it refuses unless --yes=CLUSTER names the cluster. terraform destroy still asks for
its own approval. Buckets are emptied only when they carry this cluster's emr-eks-gitops/cluster tag.

  --env NAME             the environment (required)
  --execute              run the steps instead of printing them (after the checks and your confirmation)
  --empty-bucket BUCKET  only empty one of the environment's buckets (printed; emptied with --execute)
  --yes=CLUSTER          confirm without a prompt, for scripts: must be the cluster's name
  --config FILE          a YAML/JSON platform description instead of the embedded one
  --help                 show this help`;

/** Runs a read-only check command, output captured. */
const runCheck: CommandRunner = (command) => {
  const [program = '', ...args] = command;
  return spawnSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
};

/** Checks who and where we are, then asks; throws the refusal sentence. Changes nothing. */
function confirmed(env: Environment, what: string, yes: string | undefined): void {
  const interactive = isatty(0);
  const answer = env.cluster.name;
  // Nobody to ask and no --yes: refuse before looking anything up.
  if (!interactive && yes === undefined) {
    throw new UsageError(`teardown: refusing to run: ${unattended(answer)}.`);
  }
  const mismatch = checkIdentity(env, runCheck);
  if (mismatch !== undefined) throw new UsageError(`teardown: refusing to run: ${mismatch}.`);
  const prompt = (question: string): string | undefined => {
    process.stderr.write(question);
    return readLine();
  };
  const why = refusal({ what, answer }, { interactive, yes, prompt });
  if (why !== undefined) throw new UsageError(`teardown: not confirmed, nothing was changed: ${why}.`);
}

/** The sentence a full teardown is confirmed with. */
function teardownSentence(env: Environment, stacks: readonly string[]): string {
  const { accountId, name, region } = env.cluster;
  const buckets = allBucketNames(env);
  return `teardown: this destroys environment ${env.name} in AWS account ${accountId}: EKS cluster ${name} (${region}) with its jobs, virtual clusters and node pools, the Terraform stacks ${[...stacks].reverse().join(', ')}, and the buckets ${buckets.join(', ')} with every object version in them (that data is gone for good).`;
}

/** The sentence emptying one bucket is confirmed with. */
function bucketSentence(env: Environment, bucket: string): string {
  const { accountId, name } = env.cluster;
  return `teardown: this empties bucket ${bucket} of cluster ${name} in AWS account ${accountId}: every object version and delete marker (that data is gone for good).`;
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

/** `--empty-bucket`: prints what it would do, or (with `--execute`, once confirmed) does it. */
function emptyOneBucket(
  env: Environment,
  bucket: string,
  options: { readonly execute: boolean; readonly yes?: string; readonly config?: string },
): void {
  const buckets = allBucketNames(env);
  if (!buckets.includes(bucket)) {
    throw new UsageError(
      `teardown: --empty-bucket ${bucket} is not a bucket of ${env.name} (its buckets: ${buckets.join(', ')}).`,
    );
  }
  if (!options.execute) {
    const command = emptyBucketCommand(env, bucket, options.config);
    process.stdout.write(
      `${bucketSentence(env, bucket).replace('teardown: this empties', 'Would empty')}\nNothing was changed; run it with: ${shellLine(command)}\n`,
    );
    return;
  }
  confirmed(env, bucketSentence(env, bucket), options.yes);
  empty(env, bucket);
}

/** `emr-eks-gitops teardown`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('teardown', args, {
    env: { type: 'string' },
    execute: { type: 'boolean', default: false },
    'empty-bucket': { type: 'string' },
    yes: { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = selectEnvironment('teardown', values.config, values.env);
  const only = values['empty-bucket'];
  if (values.yes !== undefined && !values.execute) {
    throw new UsageError(
      'teardown: --yes confirms --execute; add --execute, or leave out --yes to print the plan.',
    );
  }
  if (only !== undefined) {
    emptyOneBucket(env, only, values);
    return 0;
  }
  const [model] = loadModel({ environments: [env] }).environments;
  if (model === undefined) throw new Error(`teardown: no model for environment ${env.name}`);
  const stacks = environmentStacks(new App({ outdir: tmpdir(), skipValidation: true }), model).map(
    (s) => s.stackName,
  );
  const applications = renderArgoCd(model, withSyncWaves(renderManifests(model)))
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
    const config = values.config === undefined ? [] : ['--config', values.config];
    const command = ['npm', 'run', 'teardown', '--', '--env', env.name, ...config, '--execute'];
    process.stdout.write(`\nNothing was changed; run them with: ${shellLine(command)}\n`);
    return 0;
  }
  confirmed(env, teardownSentence(env, stacks), values.yes);
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
