/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { type KindCorpus, edit, NODE_CLASS, NVME_DRIVER, TEMPLATES } from '../../../test/validation/corpus';
import { editTemplate } from '../../../test/validation/helpers';

/**
 * The Spark pod template corpus: the templates embedded in ConfigMaps, checked as core/v1 Pods
 * (`embedded.ts`: schema and the API server's pod-spec rules) and against the NodePools they
 * select (`cross.ts`).
 */
export const podTemplateCorpus: KindCorpus = {
  kind: 'Spark pod template',
  mustCatch: [
    edit(
      NODE_CLASS,
      'cross.nvme-raid0',
      'NVMe template on a pool without RAID0',
      (o) => {
        delete o.spec.instanceStorePolicy;
      },
      TEMPLATES,
    ),
    edit(TEMPLATES, 'schema.unknown-field', 'typo in a pod template', (o) => {
      editTemplate(o, NVME_DRIVER, (pod) => {
        pod.spec.tolerationz = pod.spec.tolerations;
      });
    }),
    edit(TEMPLATES, 'cross.toleration', 'pod template tolerating no pool', (o) => {
      editTemplate(o, NVME_DRIVER, (pod) => {
        delete pod.spec.tolerations;
      });
    }),
    edit(TEMPLATES, 'cross.pod-template-pool', 'pod template selecting no pool', (o) => {
      editTemplate(o, NVME_DRIVER, (pod) => {
        pod.spec.nodeSelector = { NodeGroupType: 'SparkGpu' };
      });
    }),
    edit(TEMPLATES, 'pod.duplicate-container', 'duplicate container names', (o) => {
      editTemplate(o, NVME_DRIVER, (pod) => {
        pod.spec.containers.push({ ...pod.spec.containers[0] });
      });
    }),
    edit(TEMPLATES, 'enum.restart-policy', 'restartPolicy Sometimes', (o) => {
      editTemplate(o, NVME_DRIVER, (pod) => {
        pod.spec.restartPolicy = 'Sometimes';
      });
    }),
    edit(TEMPLATES, 'enum.toleration-operator', 'toleration operator Matches', (o) => {
      editTemplate(o, NVME_DRIVER, (pod) => {
        pod.spec.tolerations[0].operator = 'Matches';
      });
    }),
    edit(TEMPLATES, 'pod.unknown-volume', 'mount of an undeclared volume', (o) => {
      editTemplate(o, NVME_DRIVER, (pod) => {
        pod.spec.volumes = [];
      });
    }),
  ],
};
