import type { EnvironmentSet } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import { asObject as obj, asString as str } from '../../../lib/json';
import { iamLike, roleNameOf, type IamRole } from '../iam-role/terraform-iam';

/** Each IRSA ServiceAccount's role exists in the environment's Terraform and trusts it. */
export function checkServiceAccounts(
  sink: FindingSink,
  set: EnvironmentSet,
  roles: Map<string, IamRole>,
): void {
  for (const { file, object } of set.objects.filter((o) => o.object.kind === 'ServiceAccount')) {
    const metadata = obj(object.metadata);
    const arn = str(obj(metadata.annotations)['eks.amazonaws.com/role-arn']);
    const roleName = roleNameOf(arn);
    if (roleName === undefined) continue;
    const role = roles.get(roleName);
    const subject = `system:serviceaccount:${String(metadata.namespace)}:${String(metadata.name)}`;
    if (role === undefined) {
      sink.report(
        file,
        "$.metadata.annotations['eks.amazonaws.com/role-arn']",
        'cross.role-unknown',
        `role ${roleName} is not created by this environment's Terraform`,
      );
    } else if (!role.trustedSubjects.some((pattern) => iamLike(pattern, subject))) {
      sink.report(
        file,
        "$.metadata.annotations['eks.amazonaws.com/role-arn']",
        'cross.trust-policy',
        `role ${roleName} does not trust ${subject}`,
      );
    }
  }
}
