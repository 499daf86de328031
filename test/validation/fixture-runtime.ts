import { createHash } from 'node:crypto';
import { dump, load } from 'js-yaml';
import type { Environment, Team } from '../../config/schema';
import {
  jobExecutionRoleArn,
  jobLogUri,
  teamBucketName,
  teamLogGroupName,
  teamNamespace,
  virtualClusterName,
} from '../../config/naming';
import { renderArgoCd } from '../../argocd/render';
import { withSyncWaves } from '../../argocd/sync-waves';
import { renderManifests } from '../../manifests/render';
import type { Finding } from '../../validation/findings';
import { validateSet, type SourceDocument, type ValidationSet } from '../../validation/validate';
import { fixturePlatform, SAMPLE_OUTPUTS } from '../helpers/manifests';
import type { Tree } from './helpers';
import { environmentModel } from '../helpers/model';

/**
 * Validation sets of the test platform (test/pipeline/fixtures/platform.yaml), rendered as synth
 * renders them (sync waves, Argo CD applications), for the runtime models' corpus. No Terraform:
 * the rules these tests exercise read only the Kubernetes objects.
 */

/** The fixture's `dev` environment (two teams on one NVMe compute pool). */
export function devEnvironment(): Environment {
  const env = fixturePlatform().find((e) => e.name === 'dev');
  if (env === undefined) throw new Error('the fixture platform has no dev environment');
  return env;
}

/** One environment as the validator sees it after synth. */
export function fixtureSet(env: Environment, extra: readonly SourceDocument[] = []): ValidationSet {
  const apps = withSyncWaves(renderManifests(environmentModel(env, SAMPLE_OUTPUTS)));
  return {
    documents: [
      ...apps.flatMap((app) =>
        app.objects.map(({ path, object }) => ({ file: `${env.name}/k8s/${path}`, object })),
      ),
      ...renderArgoCd(environmentModel(env, SAMPLE_OUTPUTS), apps).map(({ path, object }) => ({
        file: `${env.name}/argocd/${path}`,
        object,
      })),
      ...extra,
    ],
  };
}

/** The file of a set whose path ends with `suffix` (or matches a pattern). */
export function fileOf(set: ValidationSet, suffix: string | RegExp): string {
  const found = set.documents.find((d) =>
    suffix instanceof RegExp ? suffix.test(d.file) : d.file.endsWith(suffix),
  );
  if (found === undefined) throw new Error(`no document ${String(suffix)}`);
  return found.file;
}

/** `set` with the document matching `suffix` replaced by an edited deep copy. */
export function edited(
  set: ValidationSet,
  suffix: string | RegExp,
  change: (o: Tree) => void,
): ValidationSet {
  const file = fileOf(set, suffix);
  return {
    ...set,
    documents: set.documents.map((d) => {
      if (d.file !== file) return d;
      const copy = structuredClone(d.object) as Tree;
      change(copy);
      return { file, object: copy };
    }),
  };
}

/** Edits one Spark pod template inside a pod-templates ConfigMap. */
export function editPodTemplate(configMap: Tree, key: string, change: (pod: Tree) => void): void {
  const data = configMap.data as Record<string, string>;
  const text = data[key];
  if (text === undefined) throw new Error(`no pod template ${key}`);
  const pod = load(text) as Tree;
  change(pod);
  data[key] = dump(pod);
}

/** The findings of one rule (or rule family, as a pattern). */
export function findingsOf(set: ValidationSet, rule: string | RegExp): Finding[] {
  return validateSet(set).filter((f) => (rule instanceof RegExp ? rule.test(f.rule) : f.rule === rule));
}

function teamOf(env: Environment, index: number): Team {
  const team = env.teams[index];
  if (team === undefined) throw new Error(`environment ${env.name} has no team ${index}`);
  return team;
}

/** The parts of a rendered object these helpers read. */
interface Rendered {
  readonly kind?: string;
  readonly metadata?: { readonly namespace?: string; readonly annotations?: Record<string, string> };
  readonly data?: Record<string, string>;
}

/** The content-addressed S3 URI of a rendered pod template of a team, as its upload Job ships it. */
export function podTemplateUri(set: ValidationSet, env: Environment, team: Team, key: string): string {
  const content = set.documents
    .map((d) => d.object as Rendered)
    .find(
      (o) => o.kind === 'ConfigMap' && o.metadata?.namespace === teamNamespace(team) && key in (o.data ?? {}),
    )?.data?.[key];
  if (content === undefined) throw new Error(`no pod template ${key} for team ${team.name}`);
  const hash = createHash('sha256').update(content, 'utf8').digest('hex');
  return `s3://${teamBucketName(env, team)}/artifacts/${hash}/${key}`;
}

/**
 * A JobRun of the first team of `env` on its first pool's NVMe templates, hand-written as the
 * jobs work renders one (wave after the upload Job, ACK's retain policy, logs shipped), with the
 * given `emr-containers-defaults` properties. Its file path is returned with it.
 */
export function fixtureJobRun(
  set: ValidationSet,
  env: Environment,
  defaults: Readonly<Record<string, string>> = {},
): SourceDocument {
  const team = teamOf(env, 0);
  const pool = env.nodePools[0]?.name ?? '';
  const namespace = teamNamespace(team);
  const wave = Math.max(
    ...set.documents.map((d) =>
      Number((d.object as Rendered).metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0),
    ),
  );
  const object = {
    apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
    kind: 'JobRun',
    metadata: {
      name: 'pi-0123abcd',
      namespace,
      annotations: {
        'services.k8s.aws/deletion-policy': 'retain',
        'argocd.argoproj.io/sync-wave': String(wave + 1),
      },
    },
    spec: {
      name: 'pi-0123abcd',
      virtualClusterRef: { from: { name: virtualClusterName(env, team) } },
      executionRoleARN: jobExecutionRoleArn(env, team),
      releaseLabel: 'emr-7.12.0-latest',
      jobDriver: {
        sparkSubmitJobDriver: {
          entryPoint: 'local:///usr/lib/spark/examples/src/main/python/pi.py',
          sparkSubmitParameters:
            '--conf spark.executor.instances=2 --conf spark.executor.memory=4g --conf spark.executor.cores=1 --conf spark.driver.memory=2g --conf spark.driver.cores=1',
        },
      },
      configurationOverrides: JSON.stringify({
        applicationConfiguration: [
          {
            classification: 'spark-defaults',
            properties: {
              'spark.kubernetes.driver.podTemplateFile': podTemplateUri(
                set,
                env,
                team,
                `${pool}-nvme-driver.yaml`,
              ),
              'spark.kubernetes.executor.podTemplateFile': podTemplateUri(
                set,
                env,
                team,
                `${pool}-nvme-executor.yaml`,
              ),
              'spark.local.dir': '/data1',
            },
          },
          ...(Object.keys(defaults).length > 0
            ? [{ classification: 'emr-containers-defaults', properties: defaults }]
            : []),
        ],
        monitoringConfiguration: {
          persistentAppUI: 'ENABLED',
          cloudWatchMonitoringConfiguration: {
            logGroupName: teamLogGroupName(env, team),
            logStreamNamePrefix: 'pi',
          },
          s3MonitoringConfiguration: { logUri: jobLogUri(env, team) },
        },
      }),
    },
  };
  return { file: `${env.name}/k8s/team-${team.name}/${namespace}/JobRun.pi-0123abcd.yaml`, object };
}
