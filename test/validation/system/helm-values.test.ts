/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument --
   the corpus edits rendered trees in place. */
import { dump, load } from 'js-yaml';
import { editTerraform, runCorpus, type MustCatch, type NearMiss } from './corpus';
import type { Tree } from '../helpers';

const ADDONS = 'terraform/addons/cdk.tf.json';

function values(release: string, change: (v: Tree) => void) {
  return editTerraform('addons', (s) => {
    const r = s.resource.helm_release[release];
    const parsed = (load(r.values[0]) ?? {}) as Tree;
    change(parsed);
    r.values = [dump(parsed)];
  });
}

const mustCatch: MustCatch[] = [
  {
    name: 'a misspelt top-level key',
    rule: 'helm.values-unknown-key',
    file: ADDONS,
    mentions: ['helm_release.karpenter', 'serviceAcount', 'did you mean serviceAccount'],
    set: values('karpenter', (v) => {
      v.serviceAcount = { name: 'karpenter' };
    }),
  },
  {
    name: 'a misspelt nested key',
    rule: 'helm.values-unknown-key',
    file: ADDONS,
    mentions: ['helm_release.kube-prometheus-stack', 'prometheus.prometheusSpec.retentionn'],
    set: values('kube-prometheus-stack', (v) => {
      v.prometheus ??= {};
      v.prometheus.prometheusSpec ??= {};
      v.prometheus.prometheusSpec.retentionn = '10d';
    }),
  },
  {
    name: 'a map where the chart has a list',
    rule: 'helm.values-type',
    file: ADDONS,
    mentions: ['helm_release.yunikorn', 'tolerations', 'a list'],
    set: values('yunikorn', (v) => {
      v.tolerations = { key: 'x' };
    }),
  },
  {
    name: 'a chart whose values are not derived',
    rule: 'system.helm-chart-unknown',
    file: ADDONS,
    mentions: ['karpenter-next@1.14.1', 'npm run schemas'],
    set: editTerraform('addons', (s) => {
      s.resource.helm_release.karpenter.chart = 'karpenter-next';
    }),
  },
  {
    name: 'a misspelt key in a bumped chart, checked against the reference values it names',
    rule: 'helm.values-unknown-key',
    file: ADDONS,
    mentions: [
      'serviceAcount',
      'karpenter/1.14.1 (the reference values karpenter@1.14.2 is checked against)',
    ],
    set: editTerraform('addons', (s) => {
      const release = s.resource.helm_release.karpenter;
      release.version = '1.14.2';
      const parsed = (load(release.values[0]) ?? {}) as Tree;
      parsed.serviceAcount = { name: 'karpenter' };
      release.values = [dump(parsed)];
    }),
  },
];

const nearMisses: NearMiss[] = [
  {
    name: 'a version bump of a chart (the documented day-2 change), checked against the version held',
    set: editTerraform('addons', (s) => {
      s.resource.helm_release['kube-prometheus-stack'].version = '82.13.4';
    }),
  },
  {
    name: 'a key under an open path (argo-cd configs.cm)',
    set: values('argocd', (v) => {
      v.configs ??= {};
      v.configs.cm ??= {};
      v.configs.cm['timeout.reconciliation'] = '180s';
    }),
  },
  {
    name: 'any key under nodeSelector',
    set: values('karpenter', (v) => {
      v.nodeSelector = { 'example.com/pool': 'system' };
    }),
  },
  {
    name: 'a key the chart documents only in a comment (kubecost)',
    set: values('kubecost', (v) => {
      v.kubecostProductConfigs = { clusterName: 'emr-eks-karpenter' };
    }),
  },
];

runCorpus('system model: Helm values against the pinned charts', mustCatch, nearMisses);
