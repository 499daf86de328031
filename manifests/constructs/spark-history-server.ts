import { Construct } from 'constructs';
import { IntOrString, KubeDeployment, KubeNetworkPolicy, KubeService, Quantity } from '../imports/k8s';
import { ServiceAccount } from 'cdk8s-plus-27';
import { IRSA_AUTOMOUNT_TOKEN } from '../jobs/aws-cli-pod';
import { nonRootPodSecurity, RESTRICTED_CONTAINER_SECURITY } from '../jobs/pod-security';
import { SPARK_GID, SPARK_UID } from './spark-pod-template';
import { teamNamespace, versions, type Environment, type Team } from '../../config';
import { CORE_NODE_SELECTOR } from '../../config/core-node-group';
import {
  SPARK_HISTORY_PORT,
  SPARK_HISTORY_SERVER,
  sparkEventLogDir,
  sparkHistoryRoleArn,
} from '../../config/observability';

/** Props for {@link SparkHistoryServer}. */
export interface SparkHistoryServerProps {
  readonly env: Environment;
  readonly team: Team;
}

/** Labels of the history server's pods (its Service and NetworkPolicy select them). */
export const SPARK_HISTORY_LABELS = {
  'app.kubernetes.io/name': SPARK_HISTORY_SERVER,
  'app.kubernetes.io/component': 'history-server',
  'app.kubernetes.io/part-of': 'spark',
  'app.kubernetes.io/managed-by': 'emr-eks-gitops',
} as const;

/** Memory of the history server's JVM (`SPARK_DAEMON_MEMORY`) and of its container (heap + overhead). */
const DAEMON_MEMORY = '1g';
const CONTAINER_MEMORY = '1536Mi';

/**
 * A team's Spark History Server: the Spark UI of finished (and running) jobs, rebuilt from the
 * rolling event logs every job writes to `s3a://<team bucket>/spark-event-logs/`. One per team,
 * in the team's namespace, on the core node group; it runs as the `spark-history-server` service
 * account, whose IAM role (the `teams` stack) may only list and read that prefix. Pod Security
 * `restricted` (non-root, no privilege escalation, every capability dropped, runtime-default
 * seccomp, read-only root filesystem with an emptyDir `/tmp`). Reached with
 * `kubectl port-forward -n <namespace> svc/spark-history-server 18080` (docs/operations.md); its
 * NetworkPolicy admits the UI port from the team's own namespace only and lets it reach DNS and
 * HTTPS (S3, STS), which the namespace's policies already allow.
 */
export class SparkHistoryServer extends Construct {
  constructor(scope: Construct, id: string, props: SparkHistoryServerProps) {
    super(scope, id);
    const { env, team } = props;
    const namespace = teamNamespace(team);
    const metadata = { name: SPARK_HISTORY_SERVER, namespace };

    new ServiceAccount(this, 'service-account', {
      metadata: {
        ...metadata,
        annotations: { 'eks.amazonaws.com/role-arn': sparkHistoryRoleArn(env, team) },
      },
      automountToken: IRSA_AUTOMOUNT_TOKEN,
    });

    const options = [
      `-Dspark.history.fs.logDirectory=${sparkEventLogDir(env, team)}`,
      `-Dspark.history.ui.port=${SPARK_HISTORY_PORT}`,
      '-Dspark.history.fs.update.interval=30s',
      // S3's lifecycle rule expires the logs (logObjectExpirationDays); the server may not delete,
      // so its own cleaner stays off. At most 50 applications' UIs are kept in memory.
      '-Dspark.history.fs.cleaner.enabled=false',
      '-Dspark.history.retainedApplications=50',
      // IRSA through the AWS SDK's default chain (web identity token, regional STS).
      '-Dspark.hadoop.fs.s3a.aws.credentials.provider=com.amazonaws.auth.DefaultAWSCredentialsProviderChain',
      `-Dspark.hadoop.fs.s3a.endpoint.region=${env.cluster.region}`,
    ].join(' ');

    new KubeDeployment(this, 'deployment', {
      metadata: { ...metadata, labels: SPARK_HISTORY_LABELS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': SPARK_HISTORY_SERVER } },
        template: {
          metadata: { labels: SPARK_HISTORY_LABELS },
          spec: {
            serviceAccountName: SPARK_HISTORY_SERVER,
            nodeSelector: { ...CORE_NODE_SELECTOR },
            securityContext: nonRootPodSecurity(SPARK_UID, SPARK_GID, { fsGroup: SPARK_GID }),
            containers: [
              {
                name: 'history-server',
                image: versions.sparkHistoryServerImage,
                command: ['/usr/lib/spark/bin/spark-class', 'org.apache.spark.deploy.history.HistoryServer'],
                env: [
                  { name: 'SPARK_HISTORY_OPTS', value: options },
                  { name: 'SPARK_DAEMON_MEMORY', value: DAEMON_MEMORY },
                  { name: 'SPARK_NO_DAEMONIZE', value: 'true' },
                  { name: 'AWS_REGION', value: env.cluster.region },
                  { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
                  { name: 'HOME', value: '/tmp' },
                  { name: 'SPARK_LOG_DIR', value: '/tmp/spark-logs' },
                ],
                ports: [{ name: 'http', containerPort: SPARK_HISTORY_PORT, protocol: 'TCP' }],
                readinessProbe: {
                  httpGet: { path: '/', port: IntOrString.fromString('http') },
                  initialDelaySeconds: 20,
                  periodSeconds: 15,
                },
                livenessProbe: {
                  httpGet: { path: '/', port: IntOrString.fromString('http') },
                  initialDelaySeconds: 120,
                  periodSeconds: 30,
                  failureThreshold: 5,
                },
                resources: {
                  requests: {
                    cpu: Quantity.fromString('250m'),
                    memory: Quantity.fromString(CONTAINER_MEMORY),
                  },
                  limits: { memory: Quantity.fromString(CONTAINER_MEMORY) },
                },
                securityContext: RESTRICTED_CONTAINER_SECURITY,
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('1Gi') } }],
          },
        },
      },
    });

    new KubeService(this, 'service', {
      metadata: { ...metadata, labels: SPARK_HISTORY_LABELS },
      spec: {
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': SPARK_HISTORY_SERVER },
        ports: [
          {
            name: 'http',
            port: SPARK_HISTORY_PORT,
            targetPort: IntOrString.fromString('http'),
            protocol: 'TCP',
          },
        ],
      },
    });

    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: 'allow-spark-history-server', namespace },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': SPARK_HISTORY_SERVER } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [{ podSelector: {} }],
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(SPARK_HISTORY_PORT) }],
          },
        ],
        egress: [
          {
            // S3 (event logs) and STS (IRSA), over HTTPS.
            to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(443) }],
          },
        ],
      },
    });
  }
}
