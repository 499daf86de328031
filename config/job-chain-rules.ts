import type { ConfigProblem } from './errors';
import {
  SCHEDULED_JOB_NAME_MAX_LENGTH,
  chainSchedule,
  launchCronJobName,
  sameSchedule,
  type JobSchedule,
} from './job-chains';
import type { Environment, Team } from './schema';
import { closest } from './suggest';

/**
 * Rules across a team's jobs for `after` and `schedule` (decision 19, docs/decisions.md): every
 * name in `after` is another job of the same team, the order has no cycle, a job with `after`
 * has no schedule of its own and all its dependencies run on one schedule (or none), and a
 * scheduled job's name leaves room for its launcher's. Paths are the platform's
 * (`environments[e].teams[t].jobs[j].after[i]`); `job-files.ts` restates them at `file:line:col`.
 */
export function checkJobChains(env: Environment, team: Team, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = team.jobs.map((job) => job.name);
  team.jobs.forEach((job, j) => {
    // A second job of one name is reported as a duplicate; its after would only add noise.
    if (names.indexOf(job.name) !== j) return;
    const path = `${at}.jobs[${j}]`;
    if (job.schedule !== undefined && job.name.length > SCHEDULED_JOB_NAME_MAX_LENGTH) {
      problems.push({
        path: `${path}.name`,
        value: job.name,
        rule: `is longer than ${SCHEDULED_JOB_NAME_MAX_LENGTH} characters, so the CronJob ${launchCronJobName(job.name)} that launches it would exceed Kubernetes' 52; shorten the name of this scheduled job`,
      });
    }
    const after = job.after ?? [];
    if (after.length > 0 && job.schedule !== undefined) {
      problems.push({
        path: `${path}.schedule`,
        value: job.schedule.cron,
        rule: `is set on job ${job.name}, which also has after: a job with after runs in the ticks of the jobs it follows, so remove schedule (or after)`,
      });
    }
    const seen = new Set<string>();
    let scheduled: { schedule: JobSchedule | undefined; dependency: string } | undefined;
    after.forEach((dependency, i) => {
      const entry = `${path}.after[${i}]`;
      const problem = (rule: string): void => {
        problems.push({ path: entry, value: dependency, rule });
      };
      if (seen.has(dependency)) return problem('is listed twice; list each job once');
      seen.add(dependency);
      if (dependency === job.name) return problem(`is job ${job.name} itself; a job cannot run after itself`);
      if (dependency.includes('/')) {
        return problem(
          `names a job of another team: after orders jobs of team ${team.name} only (a team cannot wait on another team's runs); name a job of jobs/${team.name}/`,
        );
      }
      if (!names.includes(dependency)) {
        const owner = env.teams.find(
          (other) => other.name !== team.name && other.jobs.some((o) => o.name === dependency),
        );
        if (owner !== undefined) {
          return problem(
            `is a job of team ${owner.name}, not of team ${team.name}: after orders jobs of one team only; name a job of jobs/${team.name}/`,
          );
        }
        const match = closest(
          dependency,
          names.filter((n) => n !== job.name),
        );
        return problem(
          `names no job of team ${team.name}${match === undefined ? '' : `; did you mean ${match}?`} (jobs: ${names.join(', ')})`,
        );
      }
      const schedule = chainSchedule(team.jobs, dependency, new Set([job.name]));
      if (scheduled === undefined) scheduled = { schedule, dependency };
      else if (!agree(scheduled.schedule, schedule)) {
        problem(
          `runs ${describe(schedule)}, but ${scheduled.dependency} runs ${describe(scheduled.schedule)}: the jobs a job runs after must share one schedule (or all run once), so that each run has one tick to follow`,
        );
      }
    });
  });
  problems.push(...cycles(team, at));
  return problems;
}

function agree(a: JobSchedule | undefined, b: JobSchedule | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameSchedule(a, b);
}

function describe(schedule: JobSchedule | undefined): string {
  return schedule === undefined
    ? 'once (no schedule)'
    : `on "${schedule.cron}" in ${schedule.timeZone} (${schedule.concurrencyPolicy})`;
}

/** Each cycle of `after`, reported once at the entry that closes it. */
function cycles(team: Team, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const index = new Map(team.jobs.map((job, j) => [job.name, j]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    const j = index.get(name) ?? -1;
    (team.jobs[j]?.after ?? []).forEach((dependency, i) => {
      if (dependency === name || !index.has(dependency)) return;
      const seen = state.get(dependency);
      if (seen === 'visiting') {
        const loop = [...stack.slice(stack.indexOf(dependency)), dependency];
        problems.push({
          path: `${at}.jobs[${j}].after[${i}]`,
          value: dependency,
          rule: `makes a cycle: ${loop.join(' runs after ')}, so none of them could ever start; remove one of these after entries`,
        });
      } else if (seen === undefined) visit(dependency);
    });
    stack.pop();
    state.set(name, 'done');
  };
  for (const job of team.jobs) if (!state.has(job.name)) visit(job.name);
  return problems;
}
