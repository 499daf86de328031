import { teamNamespace, type Environment } from '../../config';

/** One YuniKorn queue as written in `queues.yaml`. */
export interface YunikornQueue {
  readonly name: string;
  readonly parent?: boolean;
  readonly submitacl?: string;
  readonly resources?: {
    readonly guaranteed?: Readonly<Record<string, string>>;
    readonly max?: Readonly<Record<string, string>>;
  };
  readonly properties?: Readonly<Record<string, string>>;
  readonly queues?: readonly YunikornQueue[];
}

/** The `queues.yaml` document (the Kubernetes shim has one partition, `default`). */
export interface YunikornQueuesConfig {
  readonly partitions: readonly {
    readonly name: 'default';
    readonly placementrules: readonly {
      readonly name: string;
      readonly value?: string;
      readonly create?: boolean;
    }[];
    readonly queues: readonly YunikornQueue[];
  }[];
}

/**
 * Queues from the team budgets: under `root`, one leaf queue per team named after its namespace
 * (the `tag: namespace` placement rule maps pods there; unknown namespaces are not placed).
 * `max` is the budget; `guaranteed` is the share of the budget the nodes can always honour.
 * FIFO ordering, which gang-scheduled Spark jobs need so placeholders do not interleave.
 */
export function yunikornQueues(env: Environment): YunikornQueuesConfig {
  return {
    partitions: [
      {
        name: 'default',
        placementrules: [{ name: 'tag', value: 'namespace', create: false }],
        queues: [
          {
            name: 'root',
            submitacl: '*',
            queues: env.teams.map((team) => ({
              name: teamNamespace(team),
              resources: {
                guaranteed: {
                  vcore: String(Math.floor(team.budget.cpu * team.budget.guaranteedFraction)),
                  memory: `${Math.floor(team.budget.memoryGiB * team.budget.guaranteedFraction)}Gi`,
                },
                max: { vcore: String(team.budget.cpu), memory: `${team.budget.memoryGiB}Gi` },
              },
              properties: { 'application.sort.policy': 'fifo' },
            })),
          },
        ],
      },
    ],
  };
}

/** The admission controller's namespace filter: only team namespaces get YuniKorn as scheduler. */
export function admissionNamespaces(env: Environment): string {
  return env.teams.map((team) => `^${teamNamespace(team)}$`).join(',');
}
