import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { KubeConfigMap, KubePersistentVolumeClaim, Quantity } from '../imports/k8s';
import type { Environment } from '../../config';
import type { TeamModel } from '../../model/team-model';
import { ArtifactUploadJob } from '../constructs/artifact-upload-job';
import { EmrJobRun } from '../constructs/emr-job-run';
import { JobLauncher } from '../constructs/job-launcher';
import { JobRunTemplate } from '../constructs/job-run-template';
import { EmrTeamNamespace } from '../constructs/emr-team-namespace';
import { InputSeedJob } from '../constructs/input-seed-job';
import { SparkHistoryServer } from '../constructs/spark-history-server';
import { TeamNetworkPolicies } from '../constructs/team-network-policies';
import { VirtualCluster } from '../imports/emrcontainers.services.k8s.aws';
import { teamArtifacts, type Artifact } from '../jobs/artifacts';
import { dependencies, jobLaunch } from '../launcher/launcher-config';
import { launcherStarts } from '../../config/job-chains';
import {
  FSX_DYNAMIC_PVC,
  FSX_STATIC_PVC,
  FSX_STORAGE_CLASS,
  JOB_FILES_CONFIG_MAP,
  POD_TEMPLATES_CONFIG_MAP,
  fsxStaticVolumeName,
} from '../names';

/** Props for {@link TeamChart}. */
export interface TeamChartProps {
  /** The environment as the cluster side renders it. */
  readonly env: Environment;
  readonly team: TeamModel;
}

/**
 * App `team-<name>`: the team's namespace with RBAC, quota and network isolation, its EMR
 * virtual cluster (ACK), its storage claims, its job artifacts (the Spark pod templates and the
 * jobs' files, as ConfigMaps whose entries the upload Job ships to S3 unchanged), the Job that
 * seeds its input data (when it declares any), and one content-addressed JobRun per job; a job
 * with a schedule, `after` or `retry` also gets its JobRun template and the team's job launcher
 * (`JobLauncher`), which creates the runs Argo CD does not sync.
 */
export class TeamChart extends Chart {
  constructor(scope: Construct, id: string, props: TeamChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { env } = props;
    const model = props.team;
    const { config: team, namespace } = model;

    new EmrTeamNamespace(this, 'namespace', { env, team });
    new TeamNetworkPolicies(this, 'network', { env, team });
    new VirtualCluster(this, 'virtual-cluster', {
      metadata: { name: model.virtualCluster, namespace },
      spec: {
        name: model.virtualCluster,
        containerProvider: { id: env.cluster.name, type_: 'EKS', info: { eksInfo: { namespace } } },
        tags: { team: team.name },
      },
    });

    const claim = (name: string, storageClassName: string, size: string, rwx: boolean, volumeName?: string) =>
      new KubePersistentVolumeClaim(this, name, {
        metadata: { name, namespace },
        spec: {
          accessModes: [rwx ? 'ReadWriteMany' : 'ReadWriteOnce'],
          storageClassName,
          resources: { requests: { storage: Quantity.fromString(size) } },
          ...(volumeName ? { volumeName } : {}),
        },
      });
    // No fixed EBS claim: Spark creates one per driver and executor pod (OnDemand) in the pod's
    // zone. A fixed claim on the WaitForFirstConsumer class would stay Pending until a job mounts
    // it, and Argo CD would never apply the waves after it (docs/decisions.md).
    if (env.storage.fsx.static.enabled) {
      claim(
        FSX_STATIC_PVC,
        '',
        `${env.storage.fsx.static.storageCapacityGiB}Gi`,
        true,
        fsxStaticVolumeName(namespace),
      );
    }
    if (env.storage.fsx.dynamic.enabled) claim(FSX_DYNAMIC_PVC, FSX_STORAGE_CLASS, '1200Gi', true);

    const artifacts = teamArtifacts(env, model);
    const configMap = (id: string, name: string, files: ReadonlyMap<string, Artifact>) =>
      new KubeConfigMap(this, id, {
        metadata: { name, namespace },
        data: Object.fromEntries([...files.values()].map((a) => [a.file, a.content])),
      });
    configMap('pod-templates', POD_TEMPLATES_CONFIG_MAP, artifacts.podTemplates);
    if (artifacts.jobFiles.size > 0) configMap('job-files', JOB_FILES_CONFIG_MAP, artifacts.jobFiles);
    new ArtifactUploadJob(this, 'artifact-upload', { env, team, artifacts });
    if (team.inputData.length > 0) new InputSeedJob(this, 'input-seed', { env, team });

    new SparkHistoryServer(this, 'spark-history-server', { env, team });

    const jobs = model.jobs;
    const followed = dependencies(jobs);
    const hashes = new Map<string, string>();
    const templates = new Map<string, string>();
    for (const job of jobs) {
      const launch = jobLaunch(job);
      const run = new EmrJobRun(this, `job-${job.name}`, {
        env,
        job,
        artifacts,
        committed: launch === 'committed',
        chain: launch === 'committed' && (job.retry !== undefined || followed.has(job.name)),
      });
      hashes.set(job.name, run.hash);
      if (launcherStarts(job)) {
        const template = new JobRunTemplate(this, `job-template-${job.name}`, {
          job: job.name,
          hash: run.hash,
          template: run.template,
        });
        templates.set(job.name, template.name);
      }
    }
    if (templates.size > 0)
      new JobLauncher(this, 'job-launcher', { team, namespace, jobs, hashes, templates });
  }
}
