import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadPlatform } from '../../config/load';
import type { Environment } from '../../config/schema';
import { NO_JOB_FILES } from '../../config/job-files';
import type { TerraformOutputs } from '../../config/outputs';
import { renderManifests, type K8sApp, type K8sObject } from '../../manifests/render';
import { environmentModel } from './model';

/**
 * The two-environment test platform (dev: eu-west-1; prod: three zones, three teams), without
 * the repository's job files (the seed's name the default environment, which it does not have).
 */
export function fixturePlatform(): Environment[] {
  return loadPlatform(
    load(readFileSync(join(__dirname, '..', 'pipeline', 'fixtures', 'platform.yaml'), 'utf8')),
    NO_JOB_FILES,
  ).environments;
}

export const SAMPLE_OUTPUTS: TerraformOutputs = {
  fsxFileSystemId: 'fs-0123456789abcdef0',
  fsxDnsName: 'fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com',
  fsxMountName: 'abcdefgh',
  fsxSubnetId: 'subnet-0123456789abcdef0',
  fsxSecurityGroupId: 'sg-0123456789abcdef0',
};

export function apps(env: Environment, outputs: TerraformOutputs = {}): Map<string, K8sApp> {
  return new Map(renderManifests(environmentModel(env, outputs)).map((app) => [app.name, app]));
}

/** Objects of an app, by `<Kind>/<name>`. */
export function objectsOf(app: K8sApp | undefined): Map<string, K8sObject> {
  if (!app) throw new Error('no such app');
  return new Map(app.objects.map(({ object }) => [`${object.kind}/${object.metadata.name}`, object]));
}

export function get(objects: Map<string, K8sObject>, key: string): K8sObject {
  const found = objects.get(key);
  if (!found) throw new Error(`no ${key} (have: ${[...objects.keys()].join(', ')})`);
  return found;
}
