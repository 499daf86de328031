/**
 * Kubernetes CronJob schedules, evaluated offline: the five-field syntax of the CronJob
 * controller's parser (minute hour day-of-month month day-of-week; `*`, ranges, steps, lists,
 * month and day names, and the `@yearly`/`@monthly`/`@weekly`/`@daily`/`@hourly` macros) and its
 * day rule (when both day fields are restricted, either may match), in an IANA time zone.
 *
 * Pure and dependency-free: the job rules, the validator and the diff all use it.
 */

/** A parsed schedule: the allowed values of each field. */
export interface CronSchedule {
  readonly source: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is read as Sunday). */
  readonly daysOfWeek: ReadonlySet<number>;
  /** The day-of-month field is `*` (or `?`): the day-of-week field alone decides. */
  readonly anyDayOfMonth: boolean;
  /** The day-of-week field is `*` (or `?`). */
  readonly anyDayOfWeek: boolean;
}

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The first name stands for this number (months start at 1). */
  readonly nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

/** A schedule that does not parse, with the reason in words. */
export class CronSyntaxError extends Error {}

/** Parses a schedule; throws {@link CronSyntaxError} naming the field and the fix. */
export function parseCron(source: string): CronSchedule {
  const trimmed = source.trim();
  if (/^(CRON_)?TZ=/.test(trimmed)) {
    throw new CronSyntaxError('sets its time zone inside the schedule; put it in schedule.timeZone instead');
  }
  if (trimmed.startsWith('@every')) {
    throw new CronSyntaxError(
      'uses @every, which a CronJob does not accept; write five fields such as */15 * * * *',
    );
  }
  const expanded = trimmed.startsWith('@') ? MACROS[trimmed] : trimmed;
  if (expanded === undefined) {
    throw new CronSyntaxError(`is not a known macro (known: ${Object.keys(MACROS).join(', ')})`);
  }
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(
      `has ${parts.length} field${parts.length === 1 ? '' : 's'}; a schedule has five: minute hour day-of-month month day-of-week, e.g. 0 2 * * *`,
    );
  }
  const sets = parts.map((part, i) => parseField(part, FIELDS[i] as FieldSpec));
  const [minutes, hours, daysOfMonth, months, weekDays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  const daysOfWeek = new Set([...weekDays].map((d) => d % 7));
  return {
    source: trimmed,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    anyDayOfMonth: parts[2] === '*' || parts[2] === '?',
    anyDayOfWeek: parts[4] === '*' || parts[4] === '?',
  };
}

function parseField(text: string, field: FieldSpec): Set<number> {
  const values = new Set<number>();
  if (text === '') throw new CronSyntaxError(`has an empty ${field.name} field`);
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) throw new CronSyntaxError(`has two steps in ${field.name} "${item}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new CronSyntaxError(
          `has step "${stepText}" in ${field.name}; a step is a whole number above 0`,
        );
      }
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = field.min;
      high = field.name === 'day of week' ? 6 : field.max;
    } else {
      const [from = '', to, more] = range.split('-');
      if (more !== undefined)
        throw new CronSyntaxError(`has range "${range}" in ${field.name} with two dashes`);
      low = fieldValue(from, field);
      high = to === undefined ? (stepText === undefined ? low : field.max) : fieldValue(to, field);
      if (high < low) {
        throw new CronSyntaxError(`has range "${range}" in ${field.name} that ends before it starts`);
      }
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function fieldValue(text: string, field: FieldSpec): number {
  const lower = text.toLowerCase();
  const named = field.names?.indexOf(lower) ?? -1;
  if (named !== -1) return named + (field.nameBase ?? 0);
  if (!/^\d+$/.test(text)) {
    const names = field.names ? ` or a name (${field.names.join(', ')})` : '';
    throw new CronSyntaxError(
      `has "${text}" in ${field.name}; use a number ${field.min}-${field.max}${names}`,
    );
  }
  const value = Number(text);
  if (value < field.min || value > field.max) {
    throw new CronSyntaxError(`has ${value} in ${field.name}, outside ${field.min}-${field.max}`);
  }
  return value;
}

/**
 * True when `timeZone` is an IANA time zone name this runtime knows (as Kubernetes' tz database
 * does). UTC, and a canonical name from the runtime's list, are known at once; any other name
 * (an alias such as `US/Eastern`) is tried as a formatter's zone, which is slower: the first
 * formatter a process makes loads ICU's locale data (about 12 ms here).
 */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone === '' || timeZone === 'Local' || /^[+-]/.test(timeZone)) return false;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return true;
  if (Intl.supportedValuesOf('timeZone').includes(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at an instant. */
export function zoneOffsetMinutes(timeZone: string, at: number): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  // Offsets change on a quarter hour at the earliest: one lookup per zone and quarter hour.
  const key = `${timeZone}|${Math.floor(at / BLOCK)}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  if (offsets.size > 500_000) offsets.clear();
  const offset = lookUpOffset(timeZone, at);
  offsets.set(key, offset);
  return offset;
}

const offsets = new Map<string, number>();

function lookUpOffset(timeZone: string, at: number): number {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
  return Math.round((local - Math.floor(at / 60_000) * 60_000) / 60_000);
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Every real zone changes its offset only on a quarter hour, so one lookup covers 15 minutes. */
const BLOCK = 15 * MINUTE;
/** How far {@link nextRuns} looks: a schedule with no run in eight years never runs (e.g. 30 February). */
export const SEARCH_YEARS = 8;

function dayMatches(schedule: CronSchedule, local: Date): boolean {
  if (!schedule.months.has(local.getUTCMonth() + 1)) return false;
  const dom = schedule.daysOfMonth.has(local.getUTCDate());
  const dow = schedule.daysOfWeek.has(local.getUTCDay());
  if (schedule.anyDayOfMonth || schedule.anyDayOfWeek) return dom && dow;
  return dom || dow;
}

/**
 * The next `count` run instants (UTC milliseconds) strictly after `after`, in `timeZone`. A local
 * time that does not exist (skipped by a daylight-saving change) is not run; one that occurs twice
 * is run twice. Fewer than `count` when the schedule runs no more within {@link SEARCH_YEARS}.
 */
export function nextRuns(
  schedule: CronSchedule,
  timeZone: string,
  after: number,
  count: number,
  before: number = after + SEARCH_YEARS * 366 * 24 * 60 * MINUTE,
): number[] {
  const runs: number[] = [];
  const end = before;
  // Which quarter hours hold a minute of the schedule (a block is one quarter hour).
  const quarters = [0, 1, 2, 3].map((q) => [...schedule.minutes].some((m) => Math.floor(m / 15) === q));
  let block = Math.floor(after / BLOCK) * BLOCK;
  let lastDay = Number.NaN;
  let dayOk = false;
  while (runs.length < count && block < end) {
    const local = block + zoneOffsetMinutes(timeZone, block) * MINUTE;
    const day = Math.floor(local / DAY);
    if (day !== lastDay) {
      lastDay = day;
      dayOk = dayMatches(schedule, new Date(local));
    }
    const minuteOfDay = Math.round((local - day * DAY) / MINUTE);
    const hour = Math.floor(minuteOfDay / 60);
    const minute = minuteOfDay % 60;
    if (!dayOk) {
      // On to the next local midnight (zones shift by quarter hours, so it starts a block).
      block += Math.max(BLOCK, (24 * 60 - minuteOfDay) * MINUTE);
      continue;
    }
    if (!schedule.hours.has(hour)) {
      // On towards the next hour the schedule names, stopping two hours short of it: a
      // daylight-saving change shifts the local time by at most two hours.
      let ahead = 1;
      while (ahead < 24 && !schedule.hours.has((hour + ahead) % 24)) ahead++;
      block += Math.max(BLOCK, (Math.max(1, ahead - 2) * 60 - minute) * MINUTE);
      continue;
    }
    if (quarters[Math.floor(minute / 15)] === true) {
      for (let m = 0; m < 15 && runs.length < count; m++) {
        const at = block + m * MINUTE;
        if (at > after && at < end && schedule.minutes.has(minute + m)) runs.push(at);
      }
    }
    block += BLOCK;
  }
  return runs;
}

/** Every run instant in `[from, to)`. */
export function runsBetween(schedule: CronSchedule, timeZone: string, from: number, to: number): number[] {
  return nextRuns(schedule, timeZone, from - 1, Number.MAX_SAFE_INTEGER, to);
}

/** Runs per week of a schedule (counted over one leap-free reference year, divided by 52). */
export function runsPerWeek(schedule: CronSchedule, timeZone: string): number {
  const from = Date.UTC(2025, 0, 1);
  const to = Date.UTC(2026, 0, 1);
  return runsBetween(schedule, timeZone, from, to).length / (365 / 7);
}

/** `2026-12-07 02:00 Europe/Berlin (01:00 UTC)`, for review output. */
export function formatRun(at: number, timeZone: string): string {
  const local = new Date(at + zoneOffsetMinutes(timeZone, at) * MINUTE).toISOString();
  const utc = new Date(at).toISOString();
  const day = local.slice(0, 10);
  const utcText = utc.slice(0, 10) === day ? utc.slice(11, 16) : `${utc.slice(0, 10)} ${utc.slice(11, 16)}`;
  return timeZone === 'UTC' || timeZone === 'Etc/UTC'
    ? `${day} ${local.slice(11, 16)} UTC`
    : `${day} ${local.slice(11, 16)} ${timeZone} (${utcText} UTC)`;
}
