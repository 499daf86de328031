import { describe, expect, it } from 'vitest';
import { INTERRUPTION_EVENTS } from '../cdktf/constructs/karpenter-infra';
import { versions } from '../config';
import { environment, policy, resource, resourcesOfType, synthStacks } from '../test/helpers/terraform';
import { referenceYaml } from './reference';

/**
 * Karpenter's AWS side against upstream's reference CloudFormation for the pinned version
 * (`reference/upstream/karpenter-v1.14.1-cloudformation.yaml`): the controller policy statement
 * by statement (Sid, actions, resources, conditions), the node role's managed policies, and the
 * interruption events. Upstream splits the controller policy into six managed policies; ours is
 * one inline document with the same statements.
 */

const REFERENCE = `karpenter-v${versions.karpenter}-cloudformation.yaml`;
const env = environment();
const base = synthStacks(env).base!;
const { name, region, accountId } = env.cluster;

/** Terraform references in our policy → the values upstream spells out or names by resource. */
const OUR_REFERENCES: Readonly<Record<string, string>> = {
  '${aws_eks_cluster.eks_cluster.arn}': `arn:aws:eks:${region}:${accountId}:cluster/${name}`,
  '${aws_iam_role.karpenter_node-role.arn}': 'KarpenterNodeRole.Arn',
  '${aws_sqs_queue.karpenter_interruption-queue.arn}': 'KarpenterInterruptionQueue.Arn',
};

/** Upstream's `!Sub` parameters → this environment. */
function substitute(text: string): string {
  return text
    .replaceAll('${AWS::Partition}', 'aws')
    .replaceAll('${AWS::Region}', region)
    .replaceAll('${AWS::AccountId}', accountId)
    .replaceAll('${ClusterName}', name)
    .replaceAll('${KarpenterNodeRole.Arn}', 'KarpenterNodeRole.Arn')
    .replaceAll('${KarpenterInterruptionQueue.Arn}', 'KarpenterInterruptionQueue.Arn');
}

type Statement = Record<string, unknown>;

/** A statement with lists as sorted sets and our Terraform references resolved. */
function normalize(value: unknown): unknown {
  if (typeof value === 'string') return OUR_REFERENCES[value] ?? value;
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length === 1 ? items[0] : items.map((item) => JSON.stringify(item)).sort();
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, item]) => [key, normalize(item)]),
    );
  }
  return value;
}

const cloudFormation = referenceYaml('reference', 'upstream', REFERENCE);
const resources = cloudFormation.Resources as Record<string, { Type: string; Properties: Statement }>;
const upstreamStatements: Statement[] = Object.values(resources)
  .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy')
  .flatMap((r) => {
    const document = r.Properties.PolicyDocument;
    if (typeof document !== 'string') throw new Error(`${REFERENCE}: a policy document is not a string`);
    return (JSON.parse(substitute(document)) as { Statement: Statement[] }).Statement;
  });
const ourStatements = policy(resource(base, 'aws_iam_role_policy', 'karpenter_controller-policy').policy)
  .Statement as Statement[];
const bySid = (statements: Statement[]) => new Map(statements.map((s) => [String(s.Sid), s]));

describe(`Karpenter ${versions.karpenter} IAM and events match ${REFERENCE}`, () => {
  it('reads the reference policies', () => {
    expect(upstreamStatements.length).toBeGreaterThan(15);
  });

  it('has exactly the upstream statements (by Sid)', () => {
    expect([...bySid(ourStatements).keys()].sort()).toEqual([...bySid(upstreamStatements).keys()].sort());
  });

  it('has the same action set as upstream', () => {
    const actions = (statements: Statement[]) =>
      [...new Set(statements.flatMap((s) => [s.Action].flat().map(String)))].sort();
    expect(actions(ourStatements)).toEqual(actions(upstreamStatements));
  });

  it.each([...bySid(upstreamStatements).entries()])(
    'statement %s has the upstream actions, resources and conditions',
    (sid, upstream) => {
      const ours = bySid(ourStatements).get(sid);
      expect(ours, `no statement ${sid} in our controller policy`).toBeDefined();
      expect(normalize(ours)).toEqual(normalize(upstream));
    },
  );

  it('attaches the upstream managed policies to the node role', () => {
    const role = resources.KarpenterNodeRole?.Properties.ManagedPolicyArns as string[];
    const attached = Object.values(resourcesOfType(base, 'aws_iam_role_policy_attachment'))
      .filter((a) => a.role === '${aws_iam_role.karpenter_node-role.name}')
      .map((a) => String(a.policy_arn));
    expect(attached.sort()).toEqual(role.map(substitute).sort());
  });

  it('routes every upstream interruption event to the queue', () => {
    const upstream = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Events::Rule')
      .map((r) => JSON.stringify(normalize(r.Properties.EventPattern)))
      .sort();
    const ours = INTERRUPTION_EVENTS.map((event) => {
      const rule = resource(base, 'aws_cloudwatch_event_rule', `karpenter_${event.id}-rule`);
      return JSON.stringify(normalize(JSON.parse(String(rule.event_pattern))));
    }).sort();
    expect(ours).toEqual(upstream);
  });
});
