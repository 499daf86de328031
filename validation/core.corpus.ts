/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { type KindCorpus, A, claim, edit, TEMPLATES } from '../test/validation/corpus';
import { defaultSet } from '../test/validation/helpers';

/**
 * The corpus of the engine's own rules on core kinds: unknown kinds, and what the API server
 * checks in Go (`object-checks.ts`: the enums OpenAPI omits, quantities, names, labels).
 */
export const coreCorpus: KindCorpus = {
  kind: 'core kinds',
  mustCatch: [
    edit('StorageClass.gp3.yaml', 'enum.volume-binding-mode', 'volumeBindingMode Later', (o) => {
      o.volumeBindingMode = 'Later';
    }),
    edit('StorageClass.gp3.yaml', 'enum.reclaim-policy', 'StorageClass reclaimPolicy Recycle', (o) => {
      o.reclaimPolicy = 'Recycle';
    }),
    claim('enum.access-mode', 'accessModes ReadWriteAll', (o) => {
      o.spec.accessModes = ['ReadWriteAll'];
    }),
    claim('quantity', 'storage "50 GB"', (o) => {
      o.spec.resources.requests.storage = '50 GB';
    }),
    edit(`${A}/ResourceQuota.team-budget.yaml`, 'quantity', 'quota of "lots"', (o) => {
      o.spec.hard['requests.cpu'] = 'lots';
    }),
    edit(`${A}/LimitRange.container-defaults.yaml`, 'enum.limit-type', 'LimitRange type Node', (o) => {
      o.spec.limits[0].type = 'Node';
    }),
    edit('Namespace.emr-data-team-a.yaml', 'metadata.name', 'Namespace named Team_A', (o) => {
      o.metadata.name = 'Team_A';
    }),
    edit(TEMPLATES, 'metadata.label-key', 'label key with a space', (o) => {
      o.metadata.labels = { 'bad key': 'x' };
    }),
    edit(TEMPLATES, 'metadata.label-value', 'label value over 63 characters', (o) => {
      o.metadata.labels = { team: 'x'.repeat(64) };
    }),
    edit(`${A}/NetworkPolicy.default-deny-all.yaml`, 'enum.policy-type', 'policyTypes Both', (o) => {
      o.spec.policyTypes = ['Both'];
    }),
    edit(`${A}/RoleBinding.emr-containers.yaml`, 'enum.subject-kind', 'subject kind Robot', (o) => {
      o.subjects[0].kind = 'Robot';
    }),
    {
      name: 'unknown kind',
      rule: 'gvk.unknown',
      file: 'Widget.x.yaml',
      set: () =>
        defaultSet([
          {
            file: 'default/k8s/x/_cluster/Widget.x.yaml',
            object: { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'x' } },
          },
        ]),
    },
  ],
};
