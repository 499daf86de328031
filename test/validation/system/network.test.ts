/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the corpus edits rendered trees in place. */
import { editObject, runCorpus, type MustCatch, type NearMiss } from './corpus';

const DNS = 'emr-data-team-a/NetworkPolicy.allow-dns.yaml';
const HTTPS = 'emr-data-team-a/NetworkPolicy.allow-https-egress.yaml';
const WITHIN = 'emr-data-team-a/NetworkPolicy.allow-within-namespace.yaml';

const mustCatch: MustCatch[] = [
  {
    name: 'DNS policy selecting kube-system by a label it does not carry',
    rule: 'system.network-dns',
    file: DNS,
    mentions: [
      'kubernetes.io/metadata.name=kube-system',
      'NetworkPolicy emr-data-team-a/allow-dns',
      'UDP 53',
    ],
    set: editObject(DNS, (o) => {
      o.spec.egress[0].to[0].namespaceSelector = { matchLabels: { name: 'kube-system' } };
    }),
  },
  {
    name: 'DNS policy selecting CoreDNS pods by the wrong label',
    rule: 'system.network-dns',
    file: DNS,
    mentions: ['k8s-app=kube-dns'],
    set: editObject(DNS, (o) => {
      o.spec.egress[0].to[0].podSelector = { matchLabels: { 'k8s-app': 'coredns' } };
    }),
  },
  {
    // Pods are evaluated once per row (namespace and the labels some selector reads): the
    // driver and executor rows differ only in spark-role, which this selector reads, and the
    // pods evaluated first are allowed.
    name: 'DNS open to every pod but executors',
    rule: 'system.network-dns',
    file: 'emr-data-team-a/NetworkPolicy.default-deny-all.yaml',
    mentions: ['the executor of JobRun'],
    set: editObject(DNS, (o) => {
      o.spec.podSelector = {
        matchExpressions: [{ key: 'spark-role', operator: 'NotIn', values: ['executor'] }],
      };
    }),
  },
  {
    // Only one job's pods carry the label value the selector leaves out.
    name: "DNS open to every pod but one job's",
    rule: 'system.network-dns',
    file: 'emr-data-team-a/NetworkPolicy.default-deny-all.yaml',
    mentions: ['JobRun emr-data-team-a/taxi-ebs-'],
    set: editObject(DNS, (o) => {
      o.spec.podSelector = {
        matchExpressions: [{ key: 'app.kubernetes.io/part-of', operator: 'NotIn', values: ['taxi-ebs'] }],
      };
    }),
  },
  {
    name: 'DNS over UDP only',
    rule: 'system.network-dns',
    file: DNS,
    mentions: ['TCP 53'],
    set: editObject(DNS, (o) => {
      o.spec.egress[0].ports = [{ port: 53, protocol: 'UDP' }];
    }),
  },
  {
    name: "HTTPS egress excepting AWS's public ranges",
    rule: 'system.network-egress',
    file: HTTPS,
    mentions: ['S3', 'STS', 'allow-https-egress'],
    set: editObject(HTTPS, (o) => {
      o.spec.egress[0].to[0].ipBlock.except = ['52.0.0.0/8'];
    }),
  },
  {
    name: 'HTTPS egress only inside 10.0.0.0/8 (the API server ENIs are in 100.64/16)',
    rule: 'system.network-egress',
    file: HTTPS,
    mentions: ['the API server'],
    set: editObject(HTTPS, (o) => {
      o.spec.egress[0].to[0].ipBlock = { cidr: '10.0.0.0/8' };
    }),
  },
  {
    name: 'no egress within the namespace: executors cannot reach the driver',
    rule: 'system.network-spark',
    file: 'emr-data-team-a/NetworkPolicy.default-deny-all.yaml',
    mentions: ['executor pods of JobRun', 'TCP 7078', 'allow-within-namespace', 'podSelector {}'],
    set: editObject(WITHIN, (o) => {
      delete o.spec.egress;
    }),
  },
  {
    name: 'ingress within the namespace only on the UI port',
    rule: 'system.network-spark',
    file: WITHIN,
    mentions: ['driver pods of JobRun', 'TCP 7079'],
    set: editObject(WITHIN, (o) => {
      o.spec.ingress[0].ports = [{ port: 4040, protocol: 'TCP' }];
    }),
  },
  {
    name: 'ingress from every namespace lets team b in',
    rule: 'system.network-cross-team',
    file: WITHIN,
    mentions: ['team emr-data-team-b', 'NetworkPolicy emr-data-team-a/allow-within-namespace admits it'],
    set: editObject(WITHIN, (o) => {
      o.spec.ingress[0].from = [{ namespaceSelector: {}, podSelector: {} }];
    }),
  },
];

const nearMisses: NearMiss[] = [
  {
    name: 'DNS by matchExpressions and named ports',
    set: editObject(DNS, (o) => {
      o.spec.egress[0].to[0].namespaceSelector = {
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kube-system'] }],
      };
      o.spec.egress[0].ports = [
        { port: 'dns', protocol: 'UDP' },
        { port: 'dns-tcp', protocol: 'TCP' },
      ];
    }),
  },
  {
    name: 'HTTPS egress excepting the instance metadata address',
    set: editObject(HTTPS, (o) => {
      o.spec.egress[0].to[0].ipBlock.except = ['169.254.169.254/32'];
    }),
  },
  {
    name: 'ingress from the monitoring namespace on every port',
    set: editObject('emr-data-team-a/NetworkPolicy.allow-prometheus-scrape.yaml', (o) => {
      delete o.spec.ingress[0].ports;
    }),
  },
];

runCorpus('system model: network reachability', mustCatch, nearMisses);
