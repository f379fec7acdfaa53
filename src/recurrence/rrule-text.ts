/**
 * Export of a recurrence as RFC 5545 text, written with the `rrule` library.
 */
import { RRule } from 'rrule';
import type { Options, Weekday as RRuleWeekday } from 'rrule';
import { DAY_MS, daysFromCivil, parseDate, parseTimeOfDay } from './civil';
import type { Recurrence } from './schema';
import { Frequency, WEEKDAYS } from './types';
import type { Weekday } from './types';
import { localToInstant } from './zones';

const RRULE_WEEKDAYS: readonly RRuleWeekday[] = [
  RRule.MO,
  RRule.TU,
  RRule.WE,
  RRule.TH,
  RRule.FR,
  RRule.SA,
  RRule.SU,
];

function rruleWeekday(day: Weekday, nth?: number): RRuleWeekday {
  const weekday = RRULE_WEEKDAYS[WEEKDAYS.indexOf(day)] as RRuleWeekday;
  return nth === undefined ? weekday : weekday.nth(nth);
}

function startDays(rule: Recurrence): number {
  const date = parseDate(rule.start_date);
  if (date === undefined)
    throw new RangeError(`start_date "${rule.start_date}" is not a date in the form YYYY-MM-DD`);
  return daysFromCivil(date.year, date.month, date.day);
}

/**
 * The rule as RFC 5545 text: `DTSTART;TZID=<zone>:YYYYMMDDTHHMMSS` (rrule.js writes the equivalent
 * `DTSTART:YYYYMMDDTHHMMSSZ` for zone `UTC`) and an `RRULE:` line (no_repeat is
 * `FREQ=DAILY;COUNT=1`; end_date becomes `UNTIL`, in UTC, one second before the local start of the day after).
 *
 * The text is the rule, not a promise about another consumer's instants: RFC 5545 agrees with our policies on
 * spring-forward gaps (offset before the gap), fall-back overlaps (first instant) and skipping day 31 in short
 * months, but a yearly rule's implicit day (start_date's day) is clamped to the month's end by us and skipped by
 * RFC 5545 consumers (BYMONTHDAY=29 in a common-year February); a start that does not match the rule is
 * no occurrence for us but is for RFC 5545 (DTSTART is always in the set); `disabled` is not represented; and
 * consumers such as rrule.js do not apply gap/overlap handling at all.
 * @throws {RangeError} if `rule` is not a normalised recurrence.
 */
export function toRRuleText(rule: Recurrence): string {
  const start = startDays(rule);
  const seconds = parseTimeOfDay(rule.time_of_day);
  if (seconds === undefined) throw new RangeError(`time_of_day "${rule.time_of_day}" is not a time`);
  // rrule.js takes the local wall time of DTSTART encoded as a UTC Date, plus the TZID.
  const dtstart = new Date(start * DAY_MS + seconds * 1000);
  const tzid = rule.time_zone;
  if (rule.frequency === Frequency.NoRepeat)
    return new RRule({ freq: RRule.DAILY, count: 1, dtstart, tzid }).toString();
  const options: Partial<Options> = { interval: rule.interval };
  switch (rule.frequency) {
    case Frequency.Minutely:
      options.freq = RRule.MINUTELY;
      break;
    case Frequency.Hourly:
      options.freq = RRule.HOURLY;
      break;
    case Frequency.Daily:
      options.freq = RRule.DAILY;
      break;
    case Frequency.Weekly:
      options.freq = RRule.WEEKLY;
      options.byweekday = rule.day.map((day) => rruleWeekday(day));
      options.wkst = rule.week_start === 'sunday' ? RRule.SU : RRule.MO;
      break;
    case Frequency.Monthly:
      options.freq = RRule.MONTHLY;
      if (rule.day_of_week) options.byweekday = [rruleWeekday(rule.day_of_week_day, rule.day_of_week_index)];
      else options.bymonthday = [...new Set(rule.day_of_month)];
      break;
    case Frequency.Yearly: {
      options.freq = RRule.YEARLY;
      options.bymonth = [...new Set(rule.month_of_year)].sort((a, b) => a - b);
      if (rule.day_of_week) options.byweekday = [rruleWeekday(rule.day_of_week_day, rule.day_of_week_index)];
      else options.bymonthday = [Number(rule.start_date.slice(8, 10))];
      break;
    }
  }
  // Keep FREQ and INTERVAL first, as people write them.
  const text = new RRule({ freq: options.freq, ...options, dtstart, tzid }).toString();
  if (rule.end_date === undefined) return text;
  // RFC 5545 requires UNTIL in UTC when DTSTART has a TZID; rrule.js would write it as floating local time.
  const end = parseDate(rule.end_date);
  if (end === undefined)
    throw new RangeError(`end_date "${rule.end_date}" is not a date in the form YYYY-MM-DD`);
  const bound = localToInstant(rule.time_zone, (daysFromCivil(end.year, end.month, end.day) + 1) * DAY_MS);
  const until = new Date(bound - 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${text};UNTIL=${until}`;
}
