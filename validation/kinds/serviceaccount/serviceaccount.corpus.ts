/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { type KindCorpus, A, edit } from '../../../test/validation/corpus';

/**
 * The ServiceAccount corpus: scope, and the IRSA role rules of `cross.ts`.
 */
export const serviceAccountCorpus: KindCorpus = {
  kind: 'ServiceAccount',
  mustCatch: [
    edit(
      `${A}/ServiceAccount.emr-artifact-uploader.yaml`,
      'scope.namespace-missing',
      'ServiceAccount without a namespace',
      (o) => {
        delete o.metadata.namespace;
      },
    ),
    edit(
      `${A}/ServiceAccount.emr-artifact-uploader.yaml`,
      'cross.trust-policy',
      "service account annotated with another team's role",
      (o) => {
        o.metadata.annotations['eks.amazonaws.com/role-arn'] =
          'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-b-artifacts';
      },
    ),
    edit(
      `${A}/ServiceAccount.emr-artifact-uploader.yaml`,
      'cross.role-unknown',
      'service account annotated with a role Terraform does not create',
      (o) => {
        o.metadata.annotations['eks.amazonaws.com/role-arn'] = 'arn:aws:iam::111122223333:role/hand-made';
      },
    ),
  ],
};
