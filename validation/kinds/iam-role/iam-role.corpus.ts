/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { type KindCorpus } from '../../../test/validation/corpus';
import { defaultSet, type Tree } from '../../../test/validation/helpers';

type Json = Tree;

/**
 * The IAM role corpus: the Terraform roles' trust policies (`terraform-iam.ts`).
 */
export const iamRoleCorpus: KindCorpus = {
  kind: 'IAM role',
  mustCatch: [
    {
      name: 'Pod Identity role whose trust checks only aws:SourceAccount',
      rule: 'iam.pod-identity-trust-unscoped',
      file: /\/terraform\/base\/cdk\.tf\.json$/,
      set: () => {
        const set = defaultSet();
        const terraform = structuredClone(set.terraform ?? []) as Json[];
        const role = terraform.find((stack) => stack.resource?.aws_iam_role?.['addons_ebs-csi-role'])
          ?.resource.aws_iam_role['addons_ebs-csi-role'];
        if (role === undefined) throw new Error('no EBS CSI role');
        const trust = JSON.parse(role.assume_role_policy);
        trust.Statement[0].Condition = { StringEquals: { 'aws:SourceAccount': '111122223333' } };
        role.assume_role_policy = JSON.stringify(trust);
        return { ...set, terraform };
      },
    },
  ],
};
