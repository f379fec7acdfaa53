/**
 * The recurrence engine: next occurrences of a normalised {@link Recurrence}, exactly as RECURRENCE.md
 * "Semantics" 1-10 define them.
 *
 * Cost does not depend on the distance from `start_date`: minutely/hourly are O(1) arithmetic on the start
 * instant, and calendar frequencies jump straight to the period holding `after` with integer day/month/year
 * arithmetic. Every search is bounded by reasoning, not by a timeout: the Gregorian calendar repeats every
 * 400 years (4800 months, 146097 days = 20871 weeks), so the eligible periods of any rule repeat with a period
 * of at most one cycle; if none of them within one cycle (plus slack for the first, partial period) has an
 * occurrence, none ever will.
 */
import {
  DAY_MS,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  gcd,
  mod,
  parseDate,
  parseTimeOfDay,
  weekdayOfDays,
} from './civil';
import type { Recurrence } from './schema';
import { Frequency, NoOccurrenceReason, WEEKDAYS, WeekStart } from './types';
import type { Weekday } from './types';
import { localToInstant, offsetAt } from './zones';

/** The next occurrence, or why there is none. */
export type NextOccurrenceResult = { at: Date; reason: null } | { at: null; reason: NoOccurrenceReason };

/** Up to `count` next occurrences; `reason` says why fewer than `count` exist, else null. */
export interface NextOccurrencesResult {
  occurrences: Date[];
  reason: NoOccurrenceReason | null;
}

/** Periods per 400-year Gregorian cycle, by calendar frequency. */
const CYCLE = { day: 146097, week: 20871, month: 4800, year: 400 } as const;
/** Extra periods scanned beyond one cycle: the period holding `after` may be partly spent. */
const SLACK = 3;
/** Beyond this day (year ~200000) Date and Intl run out of range; treat later occurrences as unreachable. */
const MAX_DAY = daysFromCivil(200_000, 1, 1);

/** A rule reduced to integers once per call. */
interface Compiled {
  zone: string;
  startDay: number;
  /** Time of day in ms after local midnight. */
  todMs: number;
  startInstant: number;
  /** Occurrences must be strictly before this instant (local start of the day after end_date). */
  endBound: number | undefined;
}

function requireDate(text: string, field: string): number {
  const date = parseDate(text);
  if (date === undefined) throw new RangeError(`${field} "${text}" is not a date in the form YYYY-MM-DD`);
  return daysFromCivil(date.year, date.month, date.day);
}

function compile(rule: Recurrence): Compiled {
  const startDay = requireDate(rule.start_date, 'start_date');
  const tod = parseTimeOfDay(rule.time_of_day);
  if (tod === undefined) throw new RangeError(`time_of_day "${rule.time_of_day}" is not a time`);
  const todMs = tod * 1000;
  const zone = rule.time_zone;
  const endDate = 'end_date' in rule ? rule.end_date : undefined;
  const endBound =
    endDate === undefined ? undefined : localToInstant(zone, (requireDate(endDate, 'end_date') + 1) * DAY_MS);
  return { zone, startDay, todMs, startInstant: localToInstant(zone, startDay * DAY_MS + todMs), endBound };
}

function weekdayIndex(day: Weekday): number {
  return WEEKDAYS.indexOf(day);
}

/** Day number of the nth (1-4, or -1 = last) given weekday (0 = Monday) of a month. */
function nthWeekday(year: number, month: number, index: number, weekday: number): number {
  const first = daysFromCivil(year, month, 1);
  if (index > 0) return first + mod(weekday - weekdayOfDays(first), 7) + 7 * (index - 1);
  const last = first + daysInMonth(year, month) - 1;
  return last - mod(weekdayOfDays(last) - weekday, 7);
}

/** Smallest `start + k * step` (k integer >= 0) that is >= `target`. */
function firstAtOrAfter(start: number, step: number, target: number): number {
  return target <= start ? start : start + Math.ceil((target - start) / step) * step;
}

/**
 * Walks eligible periods from the one holding `lo`, asking `candidates` for each period's occurrence days
 * (ascending), and returns the first instant strictly after `afterMs`, or null after `maxPeriods` periods.
 */
function scan(
  c: Compiled,
  afterMs: number,
  lo: number,
  firstPeriod: number,
  step: number,
  maxPeriods: number,
  candidates: (period: number) => readonly number[],
): number | null {
  let period = firstPeriod;
  for (let i = 0; i < maxPeriods; i++, period += step) {
    for (const day of candidates(period)) {
      if (day > MAX_DAY) return null;
      if (day < lo) continue;
      const instant = localToInstant(c.zone, day * DAY_MS + c.todMs);
      if (instant > afterMs) return instant;
    }
  }
  return null;
}

/** First occurrence strictly after `afterMs`, ignoring end_date and disabled; null if the rule never fires. */
function unboundedNext(rule: Exclude<Recurrence, { frequency: 'no_repeat' }>, c: Compiled, afterMs: number) {
  if (rule.frequency === Frequency.Minutely || rule.frequency === Frequency.Hourly) {
    // Elapsed real time from the start instant (semantics 2): k = floor((after - start) / period) + 1.
    const period = rule.interval * (rule.frequency === Frequency.Minutely ? 60_000 : 3_600_000);
    if (afterMs < c.startInstant) return c.startInstant;
    return c.startInstant + (Math.floor((afterMs - c.startInstant) / period) + 1) * period;
  }
  // The local day of `after`, minus one: an occurrence on the previous local day can still be later than
  // `after` when a fall-back overlap repeats the evening; earlier days cannot.
  const lo = Math.max(c.startDay, Math.floor((afterMs + offsetAt(c.zone, afterMs)) / DAY_MS) - 1);
  const n = rule.interval;
  switch (rule.frequency) {
    case Frequency.Daily: {
      const first = firstAtOrAfter(c.startDay, n, lo);
      return scan(c, afterMs, lo, first, n, CYCLE.day + SLACK, (day) => [day]);
    }
    case Frequency.Weekly: {
      const weekStart = rule.week_start === WeekStart.Sunday ? 6 : 0;
      const weekOf = (day: number): number => day - mod(weekdayOfDays(day) - weekStart, 7);
      const offsets = [...new Set(rule.day.map((d) => mod(weekdayIndex(d) - weekStart, 7)))].sort(
        (a, b) => a - b,
      );
      const first = firstAtOrAfter(weekOf(c.startDay), 7 * n, weekOf(lo));
      const max = CYCLE.week / gcd(n, CYCLE.week) + SLACK;
      return scan(c, afterMs, lo, first, 7 * n, max, (week) => offsets.map((o) => week + o));
    }
    case Frequency.Monthly: {
      const start = civilFromDays(c.startDay);
      const low = civilFromDays(lo);
      const startMonth = start.year * 12 + start.month - 1;
      const first = firstAtOrAfter(startMonth, n, low.year * 12 + low.month - 1);
      const max = CYCLE.month / gcd(n, CYCLE.month) + SLACK;
      return scan(c, afterMs, lo, first, n, max, monthCandidates(rule));
    }
    case Frequency.Yearly: {
      const startYear = civilFromDays(c.startDay).year;
      const first = firstAtOrAfter(startYear, n, civilFromDays(lo).year);
      const max = CYCLE.year / gcd(n, CYCLE.year) + SLACK;
      const months = [...new Set(rule.month_of_year)].sort((a, b) => a - b);
      const startDom = civilFromDays(c.startDay).day;
      return scan(c, afterMs, lo, first, n, max, (year) =>
        months.map((month) =>
          rule.day_of_week
            ? nthWeekday(year, month, rule.day_of_week_index, weekdayIndex(rule.day_of_week_day))
            : // The implicit day is clamped to the month's last day (semantics 7).
              daysFromCivil(year, month, Math.min(startDom, daysInMonth(year, month))),
        ),
      );
    }
  }
}

/** Candidate days of one month (period = year * 12 + month - 1) for a monthly rule, ascending, unique. */
function monthCandidates(
  rule: Extract<Recurrence, { frequency: 'monthly' }>,
): (monthIndex: number) => readonly number[] {
  if (rule.day_of_week) {
    const index = rule.day_of_week_index;
    const weekday = weekdayIndex(rule.day_of_week_day);
    return (m) => [nthWeekday(Math.floor(m / 12), mod(m, 12) + 1, index, weekday)];
  }
  const explicit = [...new Set(rule.day_of_month.filter((d) => d > 0))].sort((a, b) => a - b);
  const last = rule.day_of_month.includes(-1);
  return (m) => {
    const year = Math.floor(m / 12);
    const month = mod(m, 12) + 1;
    const length = daysInMonth(year, month);
    const base = daysFromCivil(year, month, 1) - 1;
    // An explicit day the month lacks is skipped (semantics 6); -1 is the last day, counted once.
    const days = explicit.filter((d) => d <= length).map((d) => base + d);
    if (last && days[days.length - 1] !== base + length) days.push(base + length);
    return days;
  };
}

function assertValidInstant(after: Date): number {
  const ms = after.getTime();
  if (Number.isNaN(ms)) throw new RangeError('after must be a valid Date');
  return ms;
}

/**
 * The rule's start instant: `start_date` + `time_of_day` in `time_zone`, a time in a spring-forward gap taken
 * with the offset before the gap (RECURRENCE.md semantics 1 and 4).
 * @throws {RangeError} if `rule` is not a normalised recurrence.
 */
export function ruleStartInstant(rule: Recurrence): Date {
  return new Date(compile(rule).startInstant);
}

/**
 * The exclusive end of the rule: the local start of the day after `end_date`, or null without one.
 * @throws {RangeError} if `rule` is not a normalised recurrence.
 */
export function ruleEndBound(rule: Recurrence): Date | null {
  const { endBound } = compile(rule);
  return endBound === undefined ? null : new Date(endBound);
}

/**
 * The first occurrence of `rule` strictly after `after`, or the reason there is none
 * (RECURRENCE.md semantics 9-10).
 * @throws {RangeError} if `after` is an invalid Date or `rule` is not a normalised recurrence.
 */
export function nextOccurrence(rule: Recurrence, after: Date): NextOccurrenceResult {
  const afterMs = assertValidInstant(after);
  if (rule.disabled) return { at: null, reason: NoOccurrenceReason.Disabled };
  const c = compile(rule);
  if (rule.frequency === Frequency.NoRepeat) {
    return c.startInstant > afterMs
      ? { at: new Date(c.startInstant), reason: null }
      : { at: null, reason: NoOccurrenceReason.StartTimePassed };
  }
  const next = unboundedNext(rule, c, afterMs);
  if (next === null) return { at: null, reason: NoOccurrenceReason.NoDateMatches };
  if (c.endBound !== undefined && next >= c.endBound)
    return { at: null, reason: NoOccurrenceReason.EndDatePassed };
  return { at: new Date(next), reason: null };
}

/**
 * Up to `count` consecutive occurrences of `rule` strictly after `after`; `reason` is set when fewer exist.
 * @throws {RangeError} if `count` is not a non-negative integer, or as {@link nextOccurrence}.
 */
export function nextOccurrences(rule: Recurrence, after: Date, count: number): NextOccurrencesResult {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const occurrences: Date[] = [];
  let cursor = after;
  while (occurrences.length < count) {
    const next = nextOccurrence(rule, cursor);
    if (next.at === null) return { occurrences, reason: next.reason };
    occurrences.push(next.at);
    cursor = next.at;
  }
  return { occurrences, reason: null };
}
