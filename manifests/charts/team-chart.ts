import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { KubeConfigMap, KubePersistentVolumeClaim, Quantity } from 'cdk8s-plus-27/lib/imports/k8s';
import { teamNamespace, virtualClusterName, type Environment, type Team } from '../../config';
import { toYaml } from '../../pipeline/serialize';
import { EmrTeamNamespace } from '../constructs/emr-team-namespace';
import { sparkPodTemplate } from '../constructs/spark-pod-template';
import { TeamNetworkPolicies } from '../constructs/team-network-policies';
import { VirtualCluster } from '../imports/emrcontainers';
import {
  FSX_DYNAMIC_PVC,
  FSX_STATIC_PVC,
  FSX_STORAGE_CLASS,
  POD_TEMPLATES_CONFIG_MAP,
  SPARK_DRIVER_PVC,
  SPARK_EBS_STORAGE_CLASS,
  fsxStaticVolumeName,
  podTemplateFile,
  storageVariants,
} from '../names';

/** Props for {@link TeamChart}. */
export interface TeamChartProps {
  readonly env: Environment;
  readonly team: Team;
}

/** Every pod template a team may use: (its node pools) × (storage variants) × (driver, executor). */
export function teamPodTemplates(
  env: Environment,
  team: Team,
): Map<string, ReturnType<typeof sparkPodTemplate>> {
  const templates = new Map<string, ReturnType<typeof sparkPodTemplate>>();
  for (const pool of env.nodePools.filter((p) => team.nodePools.includes(p.name))) {
    for (const variant of storageVariants(env, pool)) {
      for (const role of ['driver', 'executor'] as const) {
        templates.set(podTemplateFile(pool.name, variant, role), sparkPodTemplate({ pool, variant, role }));
      }
    }
  }
  return templates;
}

/**
 * App `team-<name>`: the team's namespace with RBAC, quota and network isolation, its EMR
 * virtual cluster (ACK), its storage claims, and its Spark pod templates (a ConfigMap whose
 * entries are the files the job artifact step ships to S3 unchanged).
 */
export class TeamChart extends Chart {
  constructor(scope: Construct, id: string, props: TeamChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { env, team } = props;
    const namespace = teamNamespace(team);

    new EmrTeamNamespace(this, 'namespace', { env, team });
    new TeamNetworkPolicies(this, 'network', { env, team });
    new VirtualCluster(this, 'virtual-cluster', {
      metadata: { name: virtualClusterName(env, team), namespace },
      spec: {
        name: virtualClusterName(env, team),
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
    if (env.storage.ebs.enabled) claim(SPARK_DRIVER_PVC, SPARK_EBS_STORAGE_CLASS, '50Gi', false);
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

    const templates = teamPodTemplates(env, team);
    new KubeConfigMap(this, 'pod-templates', {
      metadata: { name: POD_TEMPLATES_CONFIG_MAP, namespace },
      data: Object.fromEntries([...templates].map(([file, template]) => [file, toYaml(template)])),
    });
  }
}
