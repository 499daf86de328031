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
import { identityChecks, teardownPlan } from '../ops/teardown';

const HELP = `Usage: npm run teardown -- --env NAME [--execute] [--config FILE]

Prints (default) or runs the safe order to take an environment down: pause Argo CD auto-sync,
cancel and delete JobRuns and virtual clusters, delete NodePools and EC2NodeClasses, wait until
Karpenter's NodeClaims are gone, then terraform destroy each stack in reverse order.

With --execute it first checks that the AWS account, the EKS cluster and the kubectl context
all match the config, and refuses to run otherwise. terraform destroy still asks for approval.

  --env NAME     the environment (required)
  --execute      run the steps instead of printing them
  --config FILE  a YAML/JSON platform description instead of the embedded one
  --help         show this help`;

/** `emr-eks-gitops teardown`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('teardown', args, {
    env: { type: 'string' },
    execute: { type: 'boolean', default: false },
    config: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = selectEnvironment('teardown', values.config, values.env);
  const stacks = environmentStacks(new App({ outdir: tmpdir(), skipValidation: true }), env).map(
    (s) => s.stackName,
  );
  const applications = renderArgoCd(env, withSyncWaves(renderManifests(env, loadOutputs(env.name))))
    .filter(({ object }) => object.kind === 'Application')
    .map(({ object }) => object.metadata.name);
  const steps = teardownPlan(env, stacks, env.addons.argocd ? [ROOT_APPLICATION, ...applications] : []);
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
  for (const { command, check } of identityChecks(env)) {
    const [program = '', ...args] = command;
    const run = spawnSync(program, args, { encoding: 'utf8' });
    const problem =
      run.error !== undefined ? `${program} is not available (${run.error.message})` : check(run.stdout);
    if (problem !== undefined) throw new UsageError(`teardown: refusing to run: ${problem}.`);
  }
  for (const [i, step] of steps.entries()) {
    process.stderr.write(`teardown: ${i + 1}/${steps.length} ${step.title}\n`);
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
