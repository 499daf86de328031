import type { NodePoolSpecDisruptionBudgets as DisruptionBudget } from '../imports/karpenter.sh';

/** A weekly window in UTC. */
export interface WeeklyWindow {
  readonly days: readonly ('sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat')[];
  /** Start time `HH:MM` in UTC. */
  readonly startUtc: string;
  /** Length in hours (1-24). */
  readonly hours: number;
}

const DAY_NUMBERS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

/** Cron `minute hour * * days` for a weekly window (Karpenter evaluates budget schedules in UTC). */
export function windowCron(window: WeeklyWindow): string {
  const [hour = '0', minute = '0'] = window.startUtc.split(':');
  const days = [...new Set(window.days.map((d) => DAY_NUMBERS[d]))].sort((a, b) => a - b).join(',');
  return `${Number(minute)} ${Number(hour)} * * ${days}`;
}

/** A Karpenter disruption budget that allows no voluntary disruption during the window. */
export function freezeBudget(window: WeeklyWindow): DisruptionBudget {
  return { nodes: '0', schedule: windowCron(window), duration: `${window.hours}h` };
}
