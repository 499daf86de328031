import { tmpdir } from 'node:os';
import { App } from '../cdktf/framework';
import { environmentStacks } from '../cdktf/app';
import { waitingNotice } from '../config/two-phase';
import type { EnvironmentModel, PlatformModel } from '../model/platform-model';
import { renderArgoCd } from '../argocd/render';
import { withSyncWaves } from '../argocd/sync-waves';
import { renderManifests } from '../manifests/render';
import { environmentOverview } from './overview';
import { toJson, toYaml } from '../lib/serialize';
import { countStack, stackToJson } from './terraform';

/** What one environment rendered, for the summary table. */
export interface EnvironmentSummary {
  readonly env: string;
  readonly stacks: number;
  readonly resources: number;
  /** Kubernetes objects per Argo CD application folder. */
  readonly k8sObjects: Readonly<Record<string, number>>;
  readonly ms: number;
}

/** The whole render, in memory: `dist/`-relative path → file content. */
export interface RenderResult {
  readonly files: ReadonlyMap<string, string>;
  /** The Kubernetes objects behind the YAML files, by the same path (validation reuses them). */
  readonly objects: ReadonlyMap<string, unknown>;
  readonly summaries: readonly EnvironmentSummary[];
  /** One sentence per feature whose in-cluster side waits for Terraform outputs. */
  readonly notices: readonly string[];
}

/** Renders every environment of the model without touching the disk. */
export function renderPlatform(platform: PlatformModel): RenderResult {
  const files = new Map<string, string>();
  const objects = new Map<string, unknown>();
  const notices: string[] = [];
  const summaries = withoutTokenStackTraces(() =>
    platform.environments.map((env) => renderEnvironment(env, files, objects, notices)),
  );
  return { files, objects, summaries, notices };
}

/**
 * Runs `render` with V8's stack-trace formatting hook (`Error.prepareStackTrace`, the public
 * Stack Trace API) set so that only real `Error`s get a stack, formatted as V8 formats it. CDKTF
 * records a creation stack for every token by asking V8 for the stack of a plain object, which
 * is most of the Terraform side's CPU on a large platform, and which the App's `stackTraces: false`
 * does not turn off; under the hook those stacks are empty. No package file is changed, and the
 * previous hook is restored when `render` returns or throws.
 */
export function withoutTokenStackTraces<T>(render: () => T): T {
  const previous = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  Error.prepareStackTrace = (error: unknown, frames: readonly NodeJS.CallSite[]) =>
    error instanceof Error
      ? [String(error), ...frames.map((frame) => `    at ${callSite(frame)}`)].join('\n')
      : '';
  try {
    return render();
  } finally {
    if (previous === undefined) Reflect.deleteProperty(Error, 'prepareStackTrace');
    else Object.defineProperty(Error, 'prepareStackTrace', previous);
  }
}

/** One frame as V8 prints it: `function (file:line:column)`, or the location alone. */
function callSite(frame: NodeJS.CallSite): string {
  const location = `${frame.getFileName() ?? '<anonymous>'}:${frame.getLineNumber() ?? 0}:${frame.getColumnNumber() ?? 0}`;
  const name = frame.getFunctionName();
  return name ? `${name} (${location})` : location;
}

function renderEnvironment(
  model: EnvironmentModel,
  files: Map<string, string>,
  objects: Map<string, unknown>,
  notices: string[],
): EnvironmentSummary {
  const started = performance.now();
  const env = model.config;
  const { stacks, resources } = renderTerraform(model, files);
  const k8sObjects: Record<string, number> = {};
  // Terraform renders what the config enables; the cluster side waits for outputs it needs.
  notices.push(...model.waiting.map((waiting) => waitingNotice(env.name, waiting)));
  const apps = withSyncWaves(renderManifests(model));
  for (const k8sApp of apps) {
    k8sObjects[k8sApp.name] = k8sApp.objects.length;
    for (const { path, object } of k8sApp.objects) {
      files.set(`${env.name}/k8s/${path}`, toYaml(object));
      objects.set(`${env.name}/k8s/${path}`, object);
    }
  }
  const argocd = renderArgoCd(model, apps);
  k8sObjects.argocd = argocd.length;
  for (const { path, object } of argocd) {
    files.set(`${env.name}/argocd/${path}`, toYaml(object));
    objects.set(`${env.name}/argocd/${path}`, object);
  }
  files.set(`${env.name}/README.md`, environmentOverview(model, apps));
  return { env: env.name, stacks, resources, k8sObjects, ms: performance.now() - started };
}

/**
 * The environment's Terraform stacks, as files. The CDKTF app (every construct of every stack)
 * is garbage once this returns, before the Kubernetes side is built.
 */
function renderTerraform(
  model: EnvironmentModel,
  files: Map<string, string>,
): { stacks: number; resources: number } {
  // CDKTF's App wants an output directory that exists; nothing is written to it.
  const app = new App({ outdir: tmpdir(), stackTraces: false, skipValidation: true });
  let resources = 0;
  const stacks = environmentStacks(app, model);
  for (const stack of stacks) {
    const json = stackToJson(stack);
    resources += countStack(json).resources;
    files.set(`${model.config.name}/terraform/${stack.stackName}/cdk.tf.json`, toJson(json));
  }
  return { stacks: stacks.length, resources };
}
