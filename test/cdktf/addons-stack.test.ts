import { load } from 'js-yaml';
import { withoutChartPins } from '../fixtures';
import { describe, expect, it } from 'vitest';
import { resourceHealthChecks } from '../../argocd/health-checks';
import { isDestinationPermitted, isObjectPermitted, isSourcePermitted } from '../../argocd/permissions';
import { renderArgoCd } from '../../argocd/render';
import { withSyncWaves } from '../../argocd/sync-waves';
import { IN_CLUSTER_SERVER } from '../../argocd/types';
import { CORE_NODE_GROUP_NAME } from '../../cdktf/constructs/helm-cluster-autoscaler';
import { bootstrapProject, rootApplication } from '../../cdktf/constructs/helm-argocd';
import { CORE_NODE_SELECTOR, helmValuesJson } from '../../cdktf/constructs/helm-release';
import { ADDONS, chartAddon, fluentBitNamespaces, type AddonSpec } from '../../config/addons';
import { jobExecutionRoleArn } from '../../config/naming';
import type { Environment } from '../../config/schema';
import { charts, versions, type ChartPin } from '../../config/versions';
import { admissionNamespaces } from '../../manifests/constructs/yunikorn-queues';
import { renderManifests } from '../../manifests/render';
import {
  environment,
  policy,
  resource,
  resourcesOfType,
  synthStacks,
  type TerraformJson,
} from '../helpers/terraform';
import { environmentModel } from '../helpers/model';

type Args = Record<string, unknown>;
type Statement = Record<string, unknown>;

const env = environment();
const addons = synthStacks(env).addons!;

/** Every add-on on, FSx dynamic volumes included: the widest stack the config can produce. */
const everything: Environment = {
  ...env,
  addons: Object.fromEntries(Object.keys(env.addons).map((key) => [key, true])) as Environment['addons'],
  storage: { ...env.storage, fsx: { ...env.storage.fsx, dynamic: { enabled: true } } },
};
const full = synthStacks(everything).addons!;

/** Each release address and the chart it must pin. */
const RELEASE_CHARTS: Readonly<Record<string, ChartPin>> = {
  karpenter_crd: charts.karpenterCrd,
  karpenter: charts.karpenter,
  'ack-emrcontainers': charts.ackEmrContainers,
  yunikorn: charts.yunikorn,
  'fsx-csi-driver': charts.fsxCsiDriver,
  'kube-prometheus-stack': charts.kubePrometheusStack,
  kubecost: charts.kubecost,
  'fluent-bit': charts.fluentBit,
  'cluster-autoscaler': charts.clusterAutoscaler,
  'coredns-autoscaler': charts.clusterProportionalAutoscaler,
  argocd: charts.argocd,
  argocd_root: charts.argocdApps,
};

function releases(stack: TerraformJson): Record<string, Args> {
  return resourcesOfType(stack, 'helm_release');
}

/** The values document of a release, parsed as Helm parses it (YAML; JSON is a subset). */
function values(stack: TerraformJson, name: string): Record<string, unknown> {
  const documents = resource(stack, 'helm_release', name).values as string[];
  expect(documents).toHaveLength(1);
  return load(documents[0] ?? '') as Record<string, unknown>;
}

function statements(stack: TerraformJson, address: string): Statement[] {
  return policy(resource(stack, 'aws_iam_role_policy', address).policy).Statement;
}

function bySid(list: Statement[]): Record<string, Statement> {
  return Object.fromEntries(list.map((statement) => [statement.Sid as string, statement]));
}

function without(addon: keyof Environment['addons']): TerraformJson {
  return synthStacks({ ...everything, addons: { ...everything.addons, [addon]: false } }).addons!;
}

describe('addons stack', () => {
  it('matches the snapshot of the default environment', () => {
    // Chart versions are the platform engineers' to bump (config/versions.ts), not the tool's.
    expect(withoutChartPins(addons)).toMatchSnapshot();
  });

  it('is the third stack, applied after base and teams', () => {
    expect(Object.keys(synthStacks(env))).toEqual(['base', 'teams', 'addons']);
  });

  it('authenticates Helm through aws eks get-token on each use, not a stored token or a kubeconfig file', () => {
    const helm = addons.provider?.helm;
    expect(helm).toHaveLength(1);
    expect(helm?.[0]).toEqual({
      kubernetes: {
        host: '${data.aws_eks_cluster.cluster.endpoint}',
        cluster_ca_certificate: '${base64decode(data.aws_eks_cluster.cluster.certificate_authority[0].data)}',
        exec: {
          api_version: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: [
            'eks',
            'get-token',
            '--cluster-name',
            'emr-eks-karpenter',
            '--region',
            'us-west-2',
            '--output',
            'json',
          ],
        },
      },
    });
    // The 15-minute token of aws_eks_cluster_auth could expire during a long apply.
    expect(addons.data?.aws_eks_cluster_auth).toBeUndefined();
    expect(JSON.stringify(addons)).not.toContain('"token"');
    expect(addons.terraform?.required_providers).toEqual({
      helm: { source: 'hashicorp/helm', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) as string },
      aws: { source: 'hashicorp/aws', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) as string },
    });
  });

  it('pins every release to the exact chart version of config/versions.ts', () => {
    const installed = releases(full);
    expect(Object.keys(installed).sort()).toEqual(Object.keys(RELEASE_CHARTS).sort());
    for (const [name, args] of Object.entries(installed)) {
      const pin = RELEASE_CHARTS[name];
      expect(args, name).toMatchObject({
        repository: pin?.repository,
        chart: pin?.chart,
        version: pin?.version,
      });
      expect(args.version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
    // Every pinned chart is installed by some release: no stale pin in versions.ts.
    expect(new Set(Object.values(RELEASE_CHARTS))).toEqual(new Set(Object.values(charts)));
    expect(charts.karpenter.version).toBe(versions.karpenter);
    expect(charts.karpenterCrd.version).toBe(versions.karpenter);
    expect(charts.ackEmrContainers.version).toBe(versions.ackEmrContainers);
    expect(charts.yunikorn.version).toBe(versions.yunikorn);
  });

  it('installs each release into the namespace the add-ons table gives its add-on', () => {
    for (const [name, args] of Object.entries(releases(full))) {
      const chart = (Object.keys(charts) as (keyof typeof charts)[]).find(
        (key) => charts[key] === RELEASE_CHARTS[name],
      );
      if (chart === undefined) throw new Error(`release ${name} pins no chart of versions.ts`);
      const spec: AddonSpec = ADDONS[chartAddon(chart)];
      expect(args.namespace, name).toBe(spec.namespace);
    }
    const paths = String((values(full, 'fluent-bit').input as Args).path).split(',');
    expect(paths).toEqual(
      fluentBitNamespaces(everything.addons).map((ns) => `/var/log/containers/*_${ns}_*.log`),
    );
  });

  it('installs the default environment’s enabled add-ons only', () => {
    expect(Object.keys(releases(addons)).sort()).toEqual([
      'ack-emrcontainers',
      'argocd',
      'argocd_root',
      'cluster-autoscaler',
      'coredns-autoscaler',
      'karpenter',
      'karpenter_crd',
      'kube-prometheus-stack',
      'kubecost',
      'yunikorn',
    ]);
  });

  it.each([
    ['karpenter', ['karpenter', 'karpenter_crd']],
    ['ackEmrContainers', ['ack-emrcontainers']],
    ['yunikorn', ['yunikorn']],
    ['fsxCsiDriver', ['fsx-csi-driver']],
    ['prometheus', ['kube-prometheus-stack', 'kubecost']],
    ['kubecost', ['kubecost']],
    ['fluentBit', ['fluent-bit']],
    ['clusterAutoscaler', ['cluster-autoscaler']],
    ['clusterProportionalAutoscaler', ['coredns-autoscaler']],
    ['argocd', ['argocd', 'argocd_root']],
  ] as const)('leaves out %s when its toggle is off', (addon, absent) => {
    const stack = without(addon);
    const left = Object.keys(releases(stack));
    for (const name of absent) expect(left).not.toContain(name);
    expect(left).toHaveLength(Object.keys(RELEASE_CHARTS).length - absent.length);
  });

  it('drops every AWS resource of an add-on with its release', () => {
    const stack = without('fsxCsiDriver');
    expect(Object.keys(resourcesOfType(stack, 'aws_iam_role'))).not.toContain('fsx-csi-driver_role');
    expect(Object.keys(resourcesOfType(full, 'aws_iam_role'))).toContain('fsx-csi-driver_role');
    const noAmp = without('amazonManagedPrometheus');
    expect(noAmp.data?.aws_prometheus_workspace).toBeUndefined();
    expect(resourcesOfType(noAmp, 'aws_iam_role')['kube-prometheus-stack_role']).toBeUndefined();
    const prometheusSpec = (values(noAmp, 'kube-prometheus-stack').prometheus as Args).prometheusSpec as Args;
    expect(prometheusSpec.remoteWrite).toBeUndefined();
  });

  it('leaves CloudWatch metrics to the EKS add-on of the base stack (no second agent)', () => {
    const stacks = synthStacks(everything);
    expect(resource(stacks.base!, 'aws_eks_addon', 'addons_amazon-cloudwatch-observability')).toMatchObject({
      addon_name: 'amazon-cloudwatch-observability',
    });
    const installed = Object.values(releases(stacks.addons!)).map((args) => String(args.chart));
    expect(installed.filter((chart) => /cloudwatch/.test(chart))).toEqual([]);
  });

  it('installs the Karpenter CRDs first, then the controller without its crds/ folder', () => {
    const controller = resource(addons, 'helm_release', 'karpenter');
    expect(controller.depends_on).toEqual(['helm_release.karpenter_crd']);
    expect(controller.skip_crds).toBe(true);
    expect(resource(addons, 'helm_release', 'karpenter_crd').values).toBeUndefined();
  });

  it('configures Karpenter for this cluster, its queue and the base stack’s service account', () => {
    expect(values(addons, 'karpenter')).toMatchObject({
      settings: {
        clusterName: 'emr-eks-karpenter',
        clusterEndpoint: '${data.aws_eks_cluster.cluster.endpoint}',
        interruptionQueue: 'karpenter-emr-eks-karpenter',
      },
      serviceAccount: { name: 'karpenter' },
      nodeSelector: { NodeGroupType: 'core' },
    });
    const base = synthStacks(env).base!;
    expect(resource(base, 'aws_eks_pod_identity_association', 'karpenter_controller-identity')).toMatchObject(
      {
        namespace: resource(addons, 'helm_release', 'karpenter').namespace,
        service_account: 'karpenter',
      },
    );
    expect(resource(base, 'aws_sqs_queue', 'karpenter_interruption-queue').name).toBe(
      'karpenter-emr-eks-karpenter',
    );
  });

  it('serializes every release’s values as one parseable document', () => {
    for (const [name, args] of Object.entries(releases(full))) {
      if (args.values === undefined) continue;
      expect(() => values(full, name), name).not.toThrow();
      expect(values(full, name), name).toBeTypeOf('object');
    }
  });

  it('keeps controllers on the core node group', () => {
    const base = synthStacks(env).base!;
    const coreGroup = resource(base, 'aws_eks_node_group', 'core-node-group_node-group');
    expect(coreGroup.labels).toMatchObject(CORE_NODE_SELECTOR);
    expect(coreGroup.node_group_name).toBe(CORE_NODE_GROUP_NAME);
    expect(values(full, 'ack-emrcontainers')).toMatchObject({
      deployment: { nodeSelector: CORE_NODE_SELECTOR },
    });
    expect(values(full, 'argocd')).toMatchObject({ global: { nodeSelector: CORE_NODE_SELECTOR } });
    expect(values(full, 'fsx-csi-driver')).toMatchObject({
      controller: { nodeSelector: CORE_NODE_SELECTOR },
    });
  });

  it('limits the YuniKorn admission controller to the team namespaces', () => {
    const defaults = values(addons, 'yunikorn').yunikornDefaults as Args;
    expect(defaults['admissionController.filtering.processNamespaces']).toBe(
      '^emr-data-team-a$,^emr-data-team-b$',
    );
    expect(defaults['admissionController.filtering.processNamespaces']).toBe(admissionNamespaces(env));
  });

  it('runs the FSx CSI node plugin on tainted nodes and lets the controller delete only its own filesystems', () => {
    expect(values(full, 'fsx-csi-driver')).toMatchObject({
      node: { tolerations: [{ operator: 'Exists' }] },
      controller: { extraTags: { 'fsx.csi.aws.com/cluster': 'emr-eks-karpenter' } },
    });
    const sids = bySid(statements(full, 'fsx-csi-driver_role_policy'));
    expect(sids.DeleteOwnFileSystems).toMatchObject({
      Action: 'fsx:DeleteFileSystem',
      Condition: { StringEquals: { 'aws:ResourceTag/fsx.csi.aws.com/cluster': 'emr-eks-karpenter' } },
    });
    // Static volumes only: the controller may describe, nothing else.
    const staticOnly = synthStacks({
      ...everything,
      storage: {
        ...env.storage,
        fsx: { ...env.storage.fsx, static: { ...env.storage.fsx.static, enabled: true } },
      },
    }).addons!;
    expect(statements(staticOnly, 'fsx-csi-driver_role_policy').map((s) => s.Sid)).toEqual([
      'DescribeFileSystems',
    ]);
  });

  it('waits for each Pod Identity association before installing the release that uses it', () => {
    for (const name of Object.keys(resourcesOfType(full, 'aws_eks_pod_identity_association'))) {
      const addon = name.replace(/_role_association$/, '');
      expect(resource(full, 'helm_release', addon).depends_on, addon).toContain(
        `aws_eks_pod_identity_association.${name}`,
      );
    }
  });

  it('lets each new role be assumed only through Pod Identity by its own service account', () => {
    const roles = resourcesOfType(full, 'aws_iam_role');
    expect(Object.keys(roles).sort()).toEqual([
      'ack-emrcontainers_role',
      'cluster-autoscaler_role',
      'fluent-bit_role',
      'fsx-csi-driver_role',
      'kube-prometheus-stack_role',
    ]);
    for (const [name, role] of Object.entries(roles)) {
      const association = resource(full, 'aws_eks_pod_identity_association', `${name}_association`);
      expect(association.role_arn).toBe(`\${aws_iam_role.${name}.arn}`);
      expect(policy(role.assume_role_policy).Statement, name).toEqual([
        {
          Sid: 'AssumeByEksPodIdentity',
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '111122223333',
              'aws:RequestTag/eks-cluster-name': 'emr-eks-karpenter',
              'aws:RequestTag/kubernetes-namespace': association.namespace,
              'aws:RequestTag/kubernetes-service-account': association.service_account,
            },
          },
        },
      ]);
    }
  });

  it('matches each association to the service account its chart creates', () => {
    const serviceAccount = (name: string, path: string[]) =>
      path.reduce<unknown>((value, key) => (value as Args)[key], values(full, name));
    const expected: [string, string[]][] = [
      ['ack-emrcontainers', ['serviceAccount', 'name']],
      ['cluster-autoscaler', ['rbac', 'serviceAccount', 'name']],
      ['fluent-bit', ['serviceAccount', 'name']],
      ['fsx-csi-driver', ['controller', 'serviceAccount', 'name']],
      ['kube-prometheus-stack', ['prometheus', 'serviceAccount', 'name']],
    ];
    for (const [name, path] of expected) {
      const association = resource(full, 'aws_eks_pod_identity_association', `${name}_role_association`);
      expect(serviceAccount(name, path), name).toBe(association.service_account);
      expect(resource(full, 'helm_release', name).namespace, name).toBe(association.namespace);
    }
  });

  it('scopes every statement to resources except the actions AWS cannot scope', () => {
    const unscoped = Object.entries(resourcesOfType(full, 'aws_iam_role_policy')).flatMap(([address, args]) =>
      policy(args.policy)
        .Statement.filter((s) => [s.Resource].flat().includes('*'))
        .map((s) => ({ address, sid: s.Sid, actions: [s.Action].flat(), condition: s.Condition })),
    );
    const region = { StringEquals: { 'aws:RequestedRegion': 'us-west-2' } };
    expect(unscoped).toEqual([
      {
        address: 'ack-emrcontainers_role_policy',
        sid: 'CreateAndListVirtualClusters',
        actions: ['emr-containers:CreateVirtualCluster', 'emr-containers:ListVirtualClusters'],
        condition: region,
      },
      {
        address: 'cluster-autoscaler_role_policy',
        sid: 'DescribeScalingInputs',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        condition: region,
      },
      {
        address: 'fsx-csi-driver_role_policy',
        sid: 'DescribeFileSystems',
        actions: ['fsx:DescribeFileSystems'],
        condition: region,
      },
    ]);
    // Only read and list actions, never a write, go unscoped (CreateVirtualCluster has no ARN yet).
    for (const { actions } of unscoped) {
      for (const action of actions) {
        expect(action).toMatch(/:(Describe|List|Get|CreateVirtualCluster$)/);
      }
    }
  });

  it('lets the ACK controller work on this account’s virtual clusters and pass only team execution roles', () => {
    const sids = bySid(statements(addons, 'ack-emrcontainers_role_policy'));
    expect(sids.PassTeamExecutionRoles).toEqual({
      Sid: 'PassTeamExecutionRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: env.teams.map((team) => jobExecutionRoleArn(env, team)),
    });
    expect(sids.ManageVirtualClustersAndJobRuns?.Resource).toBe(
      'arn:aws:emr-containers:us-west-2:111122223333:/virtualclusters/*',
    );
    expect(sids.ManageVirtualClustersAndJobRuns?.Action).toEqual(
      expect.arrayContaining([
        'emr-containers:StartJobRun',
        'emr-containers:DescribeJobRun',
        'emr-containers:CancelJobRun',
        'emr-containers:DescribeVirtualCluster',
        'emr-containers:DeleteVirtualCluster',
      ]),
    );
    expect(sids.CreateEmrServiceLinkedRole?.Condition).toEqual({
      StringEquals: { 'iam:AWSServiceName': 'emr-containers.amazonaws.com' },
    });
    // No other statement hands out iam:PassRole.
    const passRole = Object.values(sids).filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(values(addons, 'ack-emrcontainers')).toMatchObject({ aws: { region: 'us-west-2' } });
  });

  it('scales only the core node group’s Auto Scaling group', () => {
    const sids = bySid(statements(addons, 'cluster-autoscaler_role_policy'));
    expect(sids.ScaleCoreNodeGroup).toMatchObject({
      Resource:
        'arn:aws:autoscaling:us-west-2:111122223333:autoScalingGroup:*:autoScalingGroupName/eks-core-node-group-*',
      Condition: {
        StringEquals: {
          'aws:ResourceTag/k8s.io/cluster-autoscaler/emr-eks-karpenter': 'owned',
          'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
        },
      },
    });
    expect(values(addons, 'cluster-autoscaler')).toMatchObject({
      autoDiscovery: { clusterName: 'emr-eks-karpenter' },
    });
  });

  it('remote-writes to the AMP workspace of the base stack with a role that may only write there', () => {
    const workspace = addons.data?.aws_prometheus_workspaces?.['amp-workspaces'];
    expect(workspace).toEqual({ alias_prefix: 'amp-ws-emr-eks-karpenter' });
    const base = synthStacks(env).base!;
    expect(resource(base, 'aws_prometheus_workspace', 'amp-workspace').alias).toBe(
      'amp-ws-emr-eks-karpenter',
    );
    expect(statements(addons, 'kube-prometheus-stack_role_policy')).toEqual([
      {
        Sid: 'RemoteWrite',
        Effect: 'Allow',
        Action: 'aps:RemoteWrite',
        Resource: '${data.aws_prometheus_workspace.amp-workspace.arn}',
      },
    ]);
    const prometheus = values(addons, 'kube-prometheus-stack').prometheus as Args;
    expect(prometheus.prometheusSpec).toMatchObject({
      remoteWrite: [
        {
          url: '${data.aws_prometheus_workspace.amp-workspace.prometheus_endpoint}api/v1/remote_write',
          sigv4: { region: 'us-west-2' },
        },
      ],
    });
  });

  it('scrapes Spark drivers of the team namespaces and YuniKorn', () => {
    const prometheus = values(addons, 'kube-prometheus-stack').prometheus as Args;
    expect(prometheus.additionalPodMonitors).toEqual([
      {
        name: 'spark-drivers',
        selector: { matchLabels: { 'spark-role': 'driver' } },
        namespaceSelector: { matchNames: ['emr-data-team-a', 'emr-data-team-b'] },
        podMetricsEndpoints: [
          { port: 'spark-ui', path: '/metrics/driver/prometheus/', interval: '30s' },
          { port: 'spark-ui', path: '/metrics/executors/prometheus/', interval: '30s' },
        ],
      },
    ]);
    const jobs = ((prometheus.prometheusSpec as Args).additionalScrapeConfigs as Args[]).map(
      (job) => job.job_name,
    );
    expect(jobs).toEqual(['yunikorn', 'karpenter']);
    const noYunikorn = values(without('yunikorn'), 'kube-prometheus-stack').prometheus as Args;
    const left = ((noYunikorn.prometheusSpec as Args).additionalScrapeConfigs as Args[]).map(
      (job) => job.job_name,
    );
    expect(left).toEqual(['karpenter']);
  });

  it('points Kubecost at that Prometheus, after it', () => {
    expect(values(addons, 'kubecost')).toMatchObject({
      global: {
        prometheus: {
          enabled: false,
          fqdn: 'http://kube-prometheus-stack-prometheus.kube-prometheus-stack.svc:9090',
        },
      },
    });
    expect(resource(addons, 'helm_release', 'kubecost').depends_on).toEqual([
      'helm_release.kube-prometheus-stack',
    ]);
  });

  it('ships Fluent Bit logs only to its log group and its prefix of the platform bucket', () => {
    const fluentBit = values(full, 'fluent-bit');
    expect(fluentBit).toMatchObject({
      tolerations: [{ operator: 'Exists' }],
      cloudWatchLogs: { logGroupName: '/emr-eks-karpenter/aws-fluentbit-logs', autoCreateGroup: false },
      s3: { bucket: 'emr-eks-karpenter-111122223333-us-west-2' },
    });
    expect((fluentBit.cloudWatchLogs as Args).logGroupTemplate).toBeNull();
    expect((fluentBit.input as Args).path).not.toMatch(/emr-data-team/);
    const sids = bySid(statements(full, 'fluent-bit_role_policy'));
    expect(sids.WriteLogObjects?.Resource).toBe(
      'arn:aws:s3:::emr-eks-karpenter-111122223333-us-west-2/fluent-bit/*',
    );
    expect(sids.WriteLogGroup?.Resource).toEqual([
      '${aws_cloudwatch_log_group.fluent-bit_log-group.arn}',
      '${aws_cloudwatch_log_group.fluent-bit_log-group.arn}:log-stream:*',
    ]);
  });

  it('installs Argo CD inside the cluster only, with the per-kind health checks in argocd-cm', () => {
    const argocd = values(addons, 'argocd');
    expect(argocd).toMatchObject({
      server: { service: { type: 'ClusterIP' } },
      dex: { enabled: false },
    });
    expect(JSON.stringify(argocd)).not.toMatch(/ingress|LoadBalancer/i);
    const cm = (argocd.configs as Args).cm as Args;
    expect(Object.keys(resourceHealthChecks).length).toBeGreaterThan(0);
    for (const [key, lua] of Object.entries(resourceHealthChecks)) {
      expect(key).not.toContain('*');
      expect(cm[`resource.customizations.health.${key}`], key).toBe(lua);
    }
    expect(Object.keys(cm)).toHaveLength(Object.keys(resourceHealthChecks).length);
  });

  it('creates the root Application for dist/<env>/argocd in a project that admits exactly what it syncs', () => {
    const apps = values(addons, 'argocd_root');
    const applications = apps.applications as Args;
    expect(Object.keys(applications)).toEqual(['root']);
    expect(applications.root).toMatchObject({
      project: 'bootstrap',
      namespace: 'argocd',
      source: {
        repoURL: env.gitops.repoUrl,
        targetRevision: env.gitops.revision,
        path: 'dist/default/argocd',
        directory: { recurse: true },
      },
    });
    expect(Object.keys(apps.projects as Args)).toEqual(['bootstrap']);
    const project = bootstrapProject(env);
    const root = rootApplication(env);
    expect(isSourcePermitted(project, root.source.repoURL)).toBe(true);
    expect(isDestinationPermitted(project, root.destination)).toBe(true);
    const synced = renderArgoCd(environmentModel(env), withSyncWaves(renderManifests(environmentModel(env))));
    expect(synced.length).toBeGreaterThan(0);
    for (const { object } of synced) {
      expect(
        isObjectPermitted(project, object, IN_CLUSTER_SERVER),
        `${object.kind}/${object.metadata.name}`,
      ).toBe(true);
    }
    // Nothing else: no cluster-scoped kind, no other namespace, no other repository.
    expect(project.clusterResourceWhitelist).toEqual([]);
    const stray = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'argocd' } };
    expect(isObjectPermitted(project, stray, IN_CLUSTER_SERVER)).toBe(false);
    const elsewhere = { ...synced[0]!.object, metadata: { name: 'x', namespace: 'kube-system' } };
    expect(isObjectPermitted(project, elsewhere, IN_CLUSTER_SERVER)).toBe(false);
    expect(isSourcePermitted(project, 'https://github.com/someone/else.git')).toBe(false);
  });

  it('starts the root Application only after Argo CD and every controller release', () => {
    const dependsOn = resource(full, 'helm_release', 'argocd_root').depends_on as string[];
    const others = Object.keys(releases(full)).filter((name) => name !== 'argocd_root');
    expect([...dependsOn].sort()).toEqual(others.map((name) => `helm_release.${name}`).sort());
  });

  it('rejects values Terraform would read as a template', () => {
    expect(() => helmValuesJson({ a: 'ok $TAG and %Y' })).not.toThrow();
    expect(() => helmValuesJson({ a: 'x ${var.y}' })).toThrow(/Terraform would read as a template/);
    expect(() => helmValuesJson({ a: ['%{ if true }'] })).toThrow(/Terraform would read as a template/);
  });
});
