/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call --
   the corpus edits rendered trees in place. */
import { editObject, runCorpus, type MustCatch, type NearMiss } from './corpus';
import type { Tree } from '../helpers';

const KARPENTER = 'argocd/Application.karpenter.yaml';
const TEAM_A = 'argocd/Application.team-emr-data-team-a.yaml';
const YUNIKORN = 'argocd/Application.yunikorn.yaml';
const PROJECT_A = 'argocd/AppProject.team-emr-data-team-a.yaml';
const PLATFORM = 'argocd/AppProject.platform.yaml';
const NAMESPACE_A = 'Namespace.emr-data-team-a.yaml';
const WAVE = 'argocd.argoproj.io/sync-wave';

const mustCatch: MustCatch[] = [
  {
    name: 'source.path that is not in dist/',
    rule: 'system.argocd-source-path',
    file: KARPENTER,
    mentions: ['dist/default/k8s/karpenterr', 'dist/default/k8s/karpenter,'],
    set: editObject(KARPENTER, (o) => {
      o.spec.source.path = 'dist/default/k8s/karpenterr';
    }),
  },
  {
    name: "a team app deploying to another team's namespace",
    rule: 'system.argocd-destination',
    file: TEAM_A,
    mentions: ['emr-data-team-b', 'AppProject argocd/team-emr-data-team-a'],
    set: editObject(TEAM_A, (o) => {
      o.spec.destination.namespace = 'emr-data-team-b';
    }),
  },
  {
    name: 'the platform project loses the yunikorn destination',
    rule: 'system.argocd-destination',
    file: YUNIKORN,
    mentions: ['namespace yunikorn', 'AppProject argocd/platform'],
    set: editObject(PLATFORM, (o) => {
      o.spec.destinations = o.spec.destinations.filter((d: Tree) => d.namespace !== 'yunikorn');
    }),
  },
  {
    name: 'an Application in a project that is not rendered',
    rule: 'system.argocd-project-missing',
    file: TEAM_A,
    mentions: ['team-emr-data-team-x', 'team-emr-data-team-a'],
    set: editObject(TEAM_A, (o) => {
      o.spec.project = 'team-emr-data-team-x';
    }),
  },
  {
    name: 'team project whitelist without Job',
    rule: 'system.argocd-whitelist',
    file: 'Job.upload-artifacts-d54848e3.yaml',
    mentions: ['AppProject argocd/team-emr-data-team-a', 'namespaceResourceWhitelist', 'kind Job'],
    set: editObject(PROJECT_A, (o) => {
      o.spec.namespaceResourceWhitelist = o.spec.namespaceResourceWhitelist.filter(
        (e: Tree) => e.kind !== 'Job',
      );
    }),
  },
  {
    name: 'platform project whitelist without StorageClass',
    rule: 'system.argocd-whitelist',
    file: 'StorageClass.spark-ebs.yaml',
    mentions: ['AppProject argocd/platform', 'clusterResourceWhitelist'],
    set: editObject(PLATFORM, (o) => {
      o.spec.clusterResourceWhitelist = o.spec.clusterResourceWhitelist.filter(
        (e: Tree) => e.kind !== 'StorageClass',
      );
    }),
  },
  {
    name: "team project whitelisting another team's Namespace by name",
    rule: 'system.argocd-whitelist',
    file: NAMESPACE_A,
    mentions: ['name emr-data-team-a'],
    set: editObject(PROJECT_A, (o) => {
      o.spec.clusterResourceWhitelist[0].name = 'emr-data-team-b';
    }),
  },
  {
    name: 'Namespace in a later wave than its objects',
    rule: 'system.argocd-namespace-wave',
    file: 'emr-data-team-a/LimitRange.container-defaults.yaml',
    mentions: ['Namespace emr-data-team-a', 'wave 7'],
    set: editObject(NAMESPACE_A, (o) => {
      o.metadata.annotations[WAVE] = '7';
    }),
  },
  {
    name: 'team app synced before the storage and YuniKorn apps it needs',
    rule: 'system.argocd-app-wave',
    file: TEAM_A,
    mentions: ['Application argocd/storage', 'StorageClass spark-ebs', 'Application argocd/yunikorn'],
    set: editObject(TEAM_A, (o) => {
      o.metadata.annotations[WAVE] = '3';
    }),
  },
  {
    name: 'team app in the same wave as the Karpenter app',
    rule: 'system.argocd-app-wave',
    file: TEAM_A,
    mentions: ['Application argocd/karpenter', 'NodePool spark-'],
    set: editObject(KARPENTER, (o) => {
      o.metadata.annotations[WAVE] = '5';
    }),
  },
  {
    name: 'AppProject created after its Application',
    rule: 'system.argocd-app-wave',
    file: TEAM_A,
    mentions: ['AppProject argocd/team-emr-data-team-a', 'earlier wave'],
    set: editObject(PROJECT_A, (o) => {
      o.metadata.annotations[WAVE] = '6';
    }),
  },
];

const nearMisses: NearMiss[] = [
  {
    name: 'source.path with a trailing slash',
    set: editObject(KARPENTER, (o) => {
      o.spec.source.path = 'dist/default/k8s/karpenter/';
    }),
  },
  {
    name: 'team project admitting every namespaced kind',
    set: editObject(PROJECT_A, (o) => {
      o.spec.namespaceResourceWhitelist = [{ group: '*', kind: '*' }];
    }),
  },
  {
    name: 'team app in a later wave than needed',
    set: editObject(TEAM_A, (o) => {
      o.metadata.annotations[WAVE] = '6';
    }),
  },
  {
    name: 'Namespace in the same wave as its first objects',
    set: editObject(NAMESPACE_A, (o) => {
      o.metadata.annotations[WAVE] = '6';
    }),
  },
];

runCorpus('system model: Argo CD structure', mustCatch, nearMisses);
