import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy, type NetworkPolicySpec } from '../imports/k8s';
import { teamNamespace, type Environment, type Team } from '../../config';
import { ADDONS } from '../../config/addons';
import { MONITORING_NAMESPACE } from '../names';

/** Props for {@link TeamNetworkPolicies}. */
export interface TeamNetworkPoliciesProps {
  readonly env: Environment;
  readonly team: Team;
}

/** Spark UI port on drivers, where the Prometheus servlet serves driver and executor metrics. */
export const SPARK_UI_PORT = 4040;

const nsSelector = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

/**
 * Isolates a team: everything is denied, then the namespace may talk to itself (driver ↔
 * executors, shuffle), resolve DNS, reach AWS APIs and the Kubernetes API over HTTPS, reach FSx
 * for Lustre when enabled, and be scraped by Prometheus on the Spark UI port. Other teams'
 * namespaces are never allowed in. Enforced by the VPC CNI network policy agent.
 */
export class TeamNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: TeamNetworkPoliciesProps) {
    super(scope, id);
    const { env, team } = props;
    const namespace = teamNamespace(team);
    const policy = (name: string, spec: NetworkPolicySpec) =>
      new KubeNetworkPolicy(this, name, { metadata: { name, namespace }, spec });
    const all = {};

    policy('default-deny-all', { podSelector: all, policyTypes: ['Ingress', 'Egress'] });
    policy('allow-within-namespace', {
      podSelector: all,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: all }] }],
      egress: [{ to: [{ podSelector: all }] }],
    });
    policy('allow-dns', {
      podSelector: all,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: nsSelector(ADDONS.coreDns.namespace),
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: IntOrString.fromNumber(53) },
            { protocol: 'TCP', port: IntOrString.fromNumber(53) },
          ],
        },
      ],
    });
    policy('allow-https-egress', {
      podSelector: all,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
          ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(443) }],
        },
      ],
    });
    if (env.addons.prometheus) {
      policy('allow-prometheus-scrape', {
        podSelector: { matchLabels: { 'spark-role': 'driver' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: nsSelector(MONITORING_NAMESPACE) }],
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(SPARK_UI_PORT) }],
          },
        ],
      });
    }
    if (env.storage.fsx.static.enabled || env.storage.fsx.dynamic.enabled) {
      policy('allow-fsx-lustre', {
        podSelector: all,
        policyTypes: ['Egress'],
        egress: [
          {
            to: env.cluster.vpc.nodeSubnets.map((cidr) => ({ ipBlock: { cidr } })),
            ports: [
              { protocol: 'TCP', port: IntOrString.fromNumber(988) },
              { protocol: 'TCP', port: IntOrString.fromNumber(1018), endPort: 1023 },
            ],
          },
        ],
      });
    }
  }
}
