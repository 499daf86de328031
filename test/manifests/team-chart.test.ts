import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { SparkPodTemplate } from '../../manifests/constructs/spark-pod-template';
import { apps, get, objectsOf } from '../helpers/manifests';
import { environment } from '../helpers/terraform';

const env = environment();
const team = objectsOf(apps(env).get('team-emr-data-team-a'));
const templates = new Map(
  Object.entries(get(team, 'ConfigMap/spark-pod-templates').data as Record<string, string>).map(
    ([file, text]) => [file, load(text) as SparkPodTemplate],
  ),
);

describe('team chart', () => {
  it('matches the snapshot', () => {
    expect([...team.values()].filter((o) => o.kind !== 'ConfigMap')).toMatchSnapshot();
  });

  it('registers the namespace as an EMR virtual cluster through ACK', () => {
    expect(get(team, 'VirtualCluster/emr-eks-karpenter-emr-data-team-a')).toMatchObject({
      apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
      metadata: { namespace: 'emr-data-team-a' },
      spec: {
        name: 'emr-eks-karpenter-emr-data-team-a',
        containerProvider: {
          id: 'emr-eks-karpenter',
          type_: 'EKS',
          info: { eksInfo: { namespace: 'emr-data-team-a' } },
        },
      },
    });
  });

  it('binds the EMR role to the emr-containers user', () => {
    expect(get(team, 'RoleBinding/emr-containers')).toMatchObject({
      subjects: [{ kind: 'User', name: 'emr-containers' }],
      roleRef: { kind: 'Role', name: 'emr-containers' },
    });
    const rules = get(team, 'Role/emr-containers').rules as { resources: string[]; verbs: string[] }[];
    expect(rules.find((r) => r.resources.includes('pods'))?.verbs).toContain('deletecollection');
    expect(rules.find((r) => r.resources.includes('secrets'))?.verbs).toEqual([
      'create',
      'patch',
      'delete',
      'watch',
    ]);
  });

  it('annotates the artifact uploader service account with its team role', () => {
    expect(get(team, 'ServiceAccount/emr-artifact-uploader').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn':
        'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-a-artifacts',
    });
    // A cdk8s-plus-27 ServiceAccount, whose default (no token) is overridden to keep what IRSA pods get.
    expect(get(team, 'ServiceAccount/emr-artifact-uploader').automountServiceAccountToken).toBe(true);
  });

  it('turns the budget into a quota', () => {
    expect(get(team, 'ResourceQuota/team-budget').spec).toEqual({
      hard: { 'requests.cpu': '1200', 'requests.memory': '6000Gi' },
    });
  });

  it('denies everything by default and never admits another namespace', () => {
    const policies = [...team.values()].filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'allow-dns',
      'allow-https-egress',
      'allow-prometheus-scrape',
      'allow-within-namespace',
      'default-deny-all',
    ]);
    expect(get(team, 'NetworkPolicy/default-deny-all').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    const admitted = policies.flatMap((p) =>
      (
        (
          p.spec as {
            ingress?: { from?: { namespaceSelector?: { matchLabels: Record<string, string> } }[] }[];
          }
        ).ingress ?? []
      )
        .flatMap((rule) => rule.from ?? [])
        .map(
          (peer) => peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? 'same-namespace',
        ),
    );
    expect(new Set(admitted)).toEqual(new Set(['same-namespace', 'kube-prometheus-stack']));
  });

  it('renders driver and executor templates for every pool and storage variant the team uses', () => {
    expect([...templates.keys()].sort()).toEqual(
      ['spark-compute-optimized', 'spark-graviton-memory-optimized', 'spark-memory-optimized'].flatMap(
        (pool) =>
          ['ebs', 'nvme'].flatMap((variant) => [
            `${pool}-${variant}-driver.yaml`,
            `${pool}-${variant}-executor.yaml`,
          ]),
      ),
    );
  });

  it('targets the pool by its label, tolerates its taint, and names the containers as EMR expects', () => {
    for (const [file, template] of templates) {
      const pool = env.nodePools.find((p) => file.startsWith(`${p.name}-`))!;
      const driver = file.endsWith('-driver.yaml');
      expect(template.spec.nodeSelector?.NodeGroupType, file).toBe(pool.nodeGroupType);
      expect(template.spec.tolerations, file).toEqual([
        { key: pool.name, operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      ]);
      expect(
        template.spec.containers.map((c) => c.name),
        file,
      ).toEqual([driver ? 'spark-kubernetes-driver' : 'spark-kubernetes-executor']);
      expect(template.metadata.annotations?.['karpenter.sh/do-not-disrupt'], file).toBe(
        driver ? 'true' : undefined,
      );
    }
  });

  it('pins every driver to on-demand (a lost driver fails the job), executors not', () => {
    const capacity = (file: string) => templates.get(file)?.spec.nodeSelector?.['karpenter.sh/capacity-type'];
    for (const file of templates.keys())
      expect(capacity(file), file).toBe(file.endsWith('-driver.yaml') ? 'on-demand' : undefined);
  });

  it('mounts NVMe scratch as an emptyDir of the pod at /data1 (on the RAID0 array), with no init container', () => {
    const nvme = templates.get('spark-graviton-memory-optimized-nvme-executor.yaml')!;
    expect(nvme.spec.volumes).toEqual([{ name: 'spark-local-dir-1', emptyDir: {} }]);
    expect(nvme.spec.containers[0]?.volumeMounts).toEqual([
      { name: 'spark-local-dir-1', mountPath: '/data1' },
    ]);
    expect(nvme.spec.initContainers).toBeUndefined();
  });

  it('gives EBS pods no fixed claim: the templates mount nothing and rely on fsGroup', () => {
    for (const role of ['driver', 'executor']) {
      const template = templates.get(`spark-compute-optimized-ebs-${role}.yaml`)!;
      expect(template.spec.volumes, role).toBeUndefined();
      expect(template.spec.containers[0]?.volumeMounts, role).toBeUndefined();
      expect(template.spec.securityContext, role).toEqual({
        seccompProfile: { type: 'RuntimeDefault' },
        fsGroup: 1000,
      });
      expect(template.spec.initContainers, role).toBeUndefined();
    }
    // A fixed claim on the WaitForFirstConsumer class would stay Pending until a job mounts it,
    // and Argo CD would never get past its wave; Spark creates a claim per pod instead.
    expect([...team.values()].filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    const other = objectsOf(apps(env).get('team-emr-data-team-b'));
    expect([...other.values()].filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  it('renders no init container in any template of the default variants (NVMe, EBS)', () => {
    for (const [file, template] of templates) expect(template.spec.initContainers, file).toBeUndefined();
  });
});
