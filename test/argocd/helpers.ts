import { teamNamespace, virtualClusterName, ARTIFACT_UPLOADER_SERVICE_ACCOUNT } from '../../config/naming';
import type { Environment } from '../../config/schema';
import type { EnvironmentInput } from '../../config/schema';
import type { K8sApp, K8sObject } from '../../manifests/render';
import { objectPath, renderManifests } from '../../manifests/render';
import { POD_TEMPLATES_CONFIG_MAP } from '../../manifests/names';
import { seedEnvironmentInput } from '../fixtures';
import { fixturePlatform, SAMPLE_OUTPUTS } from '../helpers/manifests';
import { environment } from '../helpers/terraform';
import { environmentModel } from '../helpers/model';

/**
 * The default environment with both FSx variants on: the only one whose team apps hold claims.
 * It is loaded under the default's name, so the seed's job files (`environments: [default]`)
 * apply to it too, and then labelled `fsx` for the test names.
 */
function withFsx(): Environment {
  const input = seedEnvironmentInput() as EnvironmentInput & Record<string, unknown>;
  const env = environment({
    environments: [
      {
        ...input,
        storage: { fsx: { static: { enabled: true }, dynamic: { enabled: true } } },
        addons: { ...input.addons, fsxCsiDriver: true },
      },
    ],
  });
  return { ...env, name: 'fsx' };
}

/**
 * Every environment the tests know, with FSx outputs so the static-volume objects render: the
 * default one (two teams), the same with FSx claims, dev (two teams) and prod (three teams, one
 * with its own namespace).
 */
export const ENVIRONMENTS: readonly Environment[] = [environment(), withFsx(), ...fixturePlatform()];

/**
 * The job objects the jobs work adds to a team app (a scripts ConfigMap, the artifact uploader
 * Job, a JobRun), built by hand here so waves and projects are tested on them before any
 * environment configures a job.
 */
export function sampleJobObjects(env: Environment, teamIndex = 0): K8sObject[] {
  const team = env.teams[teamIndex];
  if (team === undefined) throw new Error(`environment ${env.name} has no team ${teamIndex}`);
  const namespace = teamNamespace(team);
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'job-scripts-0123abcd', namespace },
      data: { 'taxi.py': 'print("hello")\n' },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'upload-artifacts-0123abcd', namespace },
      spec: {
        template: {
          spec: {
            serviceAccountName: ARTIFACT_UPLOADER_SERVICE_ACCOUNT,
            restartPolicy: 'Never',
            containers: [{ name: 'upload', image: 'public.ecr.aws/aws-cli/aws-cli:2.17.0' }],
            volumes: [
              { name: 'scripts', configMap: { name: 'job-scripts-0123abcd' } },
              { name: 'pod-templates', configMap: { name: POD_TEMPLATES_CONFIG_MAP } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
      kind: 'JobRun',
      metadata: {
        name: 'taxi-0123abcd',
        namespace,
        annotations: { 'services.k8s.aws/deletion-policy': 'retain' },
      },
      spec: {
        name: 'taxi-0123abcd',
        virtualClusterRef: { from: { name: virtualClusterName(env, team) } },
        releaseLabel: 'emr-7.12.0-latest',
      },
    },
  ];
}

/** The apps of an environment, with {@link sampleJobObjects} added to its first team's app. */
export function appsWithJobs(env: Environment): K8sApp[] {
  const team = env.teams[0];
  return renderManifests(environmentModel(env, SAMPLE_OUTPUTS)).map((app) =>
    team === undefined || app.name !== `team-${team.name}`
      ? app
      : {
          name: app.name,
          objects: [
            ...app.objects,
            ...sampleJobObjects(env).map((object) => ({ path: objectPath(app.name, object), object })),
          ],
        },
  );
}
