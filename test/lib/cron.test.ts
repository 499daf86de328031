import { describe, expect, it } from 'vitest';
import { CronSyntaxError, formatRun, isTimeZone, nextRuns, parseCron, runsPerWeek } from '../../lib/cron';

const iso = (runs: number[]) => runs.map((at) => new Date(at).toISOString());
const at = (text: string) => Date.parse(text);

describe('cron schedules', () => {
  it('parse ranges, steps, lists, names and macros', () => {
    const s = parseCron('*/20 9-17/4 1,15 jan-mar mon-fri');
    expect([...s.minutes]).toEqual([0, 20, 40]);
    expect([...s.hours]).toEqual([9, 13, 17]);
    expect([...s.daysOfMonth]).toEqual([1, 15]);
    expect([...s.months]).toEqual([1, 2, 3]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('@daily').minutes).toEqual(new Set([0]));
    expect(parseCron('0 0 * * 7').daysOfWeek).toEqual(new Set([0]));
  });

  it.each([
    ['0 2 * *', 'has 4 fields'],
    ['60 * * * *', 'has 60 in minute, outside 0-59'],
    ['0 0 0 * *', 'has 0 in day of month, outside 1-31'],
    ['*/0 * * * *', 'has step "0" in minute'],
    ['0 5-3 * * *', 'ends before it starts'],
    ['0 0 * foo *', 'has "foo" in month'],
    ['TZ=UTC 0 0 * * *', 'put it in schedule.timeZone'],
    ['@every 5m', '@every'],
    ['@sometimes', 'not a known macro'],
  ])('refuse %s', (source, reason) => {
    expect(() => parseCron(source)).toThrow(CronSyntaxError);
    expect(() => parseCron(source)).toThrow(reason);
  });

  it('know IANA time zones and refuse Local and offsets', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    // Aliases are not in the runtime's list of canonical names; they are zones all the same.
    expect(isTimeZone('US/Eastern')).toBe(true);
    expect(isTimeZone('Asia/Calcutta')).toBe(true);
    expect(isTimeZone('Europe/Berlim')).toBe(false);
    expect(isTimeZone('Local')).toBe(false);
    expect(isTimeZone('+02:00')).toBe(false);
  });

  it('give the next runs in the schedule time zone', () => {
    const daily = parseCron('30 2 * * *');
    expect(iso(nextRuns(daily, 'UTC', at('2026-12-07T18:00:00Z'), 3))).toEqual([
      '2026-12-08T02:30:00.000Z',
      '2026-12-09T02:30:00.000Z',
      '2026-12-10T02:30:00.000Z',
    ]);
    // Berlin is UTC+1 in winter, UTC+2 in summer.
    expect(iso(nextRuns(daily, 'Europe/Berlin', at('2026-12-07T18:00:00Z'), 1))).toEqual([
      '2026-12-08T01:30:00.000Z',
    ]);
    expect(iso(nextRuns(daily, 'Europe/Berlin', at('2026-07-01T00:00:00Z'), 1))).toEqual([
      '2026-07-01T00:30:00.000Z',
    ]);
  });

  it('skip a local time that daylight saving skips', () => {
    // 2026-03-29: Berlin jumps from 02:00 to 03:00, so 02:30 does not exist that day.
    const runs = iso(nextRuns(parseCron('30 2 * * *'), 'Europe/Berlin', at('2026-03-28T12:00:00Z'), 2));
    expect(runs).toEqual(['2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
  });

  it('run a local time that daylight saving repeats twice, and the hour right after a skipped one', () => {
    // 2026-11-01: New York falls back from 02:00 EDT to 01:00 EST, so 01:30 happens twice.
    const repeated = iso(
      nextRuns(parseCron('30 1 * * *'), 'America/New_York', at('2026-10-31T12:00:00Z'), 3),
    );
    expect(repeated).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    // 2026-03-29: Berlin skips 02:00-03:00; 03:00 CEST is 01:00 UTC (the hour skip must not jump past it).
    const after = iso(nextRuns(parseCron('0 3 * * *'), 'Europe/Berlin', at('2026-03-28T12:00:00Z'), 2));
    expect(after).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T01:00:00.000Z']);
    // Bounded: nothing at or after `before`.
    const bounded = nextRuns(
      parseCron('0 * * * *'),
      'UTC',
      at('2026-01-01T00:00:00Z') - 1,
      100,
      at('2026-01-01T03:00:00Z'),
    );
    expect(iso(bounded)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
    ]);
  });

  it('apply either day field when both are restricted', () => {
    // The 13th, or any Friday.
    const runs = iso(nextRuns(parseCron('0 0 13 * 5'), 'UTC', at('2026-12-01T00:00:00Z'), 3));
    expect(runs).toEqual([
      '2026-12-04T00:00:00.000Z',
      '2026-12-11T00:00:00.000Z',
      '2026-12-13T00:00:00.000Z',
    ]);
  });

  it('find no run for a date that never comes', () => {
    expect(nextRuns(parseCron('0 0 30 2 *'), 'UTC', at('2026-01-01T00:00:00Z'), 1)).toEqual([]);
  });

  it('count runs per week and format a run', () => {
    expect(runsPerWeek(parseCron('0 * * * *'), 'UTC')).toBeCloseTo(168, 0);
    expect(runsPerWeek(parseCron('0 2 * * 1'), 'UTC')).toBeCloseTo(1, 1);
    expect(formatRun(at('2026-12-08T01:30:00Z'), 'Europe/Berlin')).toBe(
      '2026-12-08 02:30 Europe/Berlin (01:30 UTC)',
    );
    expect(formatRun(at('2026-12-08T02:30:00Z'), 'UTC')).toBe('2026-12-08 02:30 UTC');
  });
});
