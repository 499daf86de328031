import type { Warning } from './model';

/**
 * A platform change reaches every team alike: one IAM statement widened in each team's
 * execution policy is the same warning once per team. Warnings of one environment and
 * severity that read the same once the team names are set aside print as one, naming the
 * teams: `aws_iam_role_policy.team-<team>_execution-policy` for `emr-data-team-a, emr-data-team-b`.
 */

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces whole team names (not parts of longer names) with `<team>`; returns the teams found. */
function withoutTeams(text: string, pattern: RegExp | undefined): { text: string; teams: string[] } {
  if (pattern === undefined) return { text, teams: [] };
  const teams: string[] = [];
  const general = text.replace(pattern, (team: string) => {
    teams.push(team);
    return '<team>';
  });
  return { text: general, teams };
}

/** The warnings with those that repeat per team merged, in the order of their first occurrence. */
export function groupTeamWarnings(warnings: readonly Warning[], teamNames: readonly string[]): Warning[] {
  const names = [...new Set(teamNames)].sort((a, b) => b.length - a.length).map(escape);
  const pattern =
    names.length === 0 ? undefined : new RegExp(`(?<![A-Za-z0-9])(?:${names.join('|')})(?![A-Za-z0-9])`, 'g');
  const groups = new Map<string, { warning: Warning; teams: string[]; members: Warning[] }>();
  const order: (Warning | string)[] = [];
  for (const warning of warnings) {
    const app = withoutTeams(warning.app, pattern);
    const subject = withoutTeams(warning.subject, pattern);
    const reason = withoutTeams(warning.reason, pattern);
    const found = [...new Set([...app.teams, ...subject.teams, ...reason.teams])];
    if (found.length !== 1) {
      order.push(warning);
      continue;
    }
    const key = [warning.env, warning.severity, app.text, subject.text, reason.text].join('\n');
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, {
        warning: { ...warning, app: app.text, subject: subject.text, reason: reason.text },
        teams: [...found],
        members: [warning],
      });
      order.push(key);
    } else {
      group.teams.push(...found.filter((team) => !group.teams.includes(team)));
      group.members.push(warning);
    }
  }
  return order.flatMap((item) => {
    if (typeof item !== 'string') return [item];
    const group = groups.get(item);
    if (group === undefined) return [];
    if (group.teams.length < 2) return group.members;
    return [{ ...group.warning, teams: [...group.teams].sort() }];
  });
}
