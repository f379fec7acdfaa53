/**
 * The recurrence input schema (the single source of truth for validation and JSON Schema) and the normalised
 * stored {@link Recurrence} type.
 *
 * The schema is a discriminated union on `frequency` (monthly and yearly nested on `day_of_week`): each variant
 * lists only the fields that belong to it, so zod strips the others unvalidated, which is exactly "ignored on
 * input and cleared on the stored schedule" (RECURRENCE.md, Fields). Clock-dependent defaults are not in the
 * schema: {@link normalizeRecurrence} fills them from an explicit `now`.
 */
import { z } from 'zod';
import { parseDate, parseTimeOfDay } from './civil';
import { FREQUENCIES, WEEKDAYS, WEEK_STARTS } from './types';
import type { Frequency, WeekStart, Weekday } from './types';
import { MAX_TIME_ZONE_NAME_LENGTH, resolveTimeZone } from './zones';

/** Message for a missing field, else `invalid`: zod reports both through the same error callback. */
function requiredOr(field: string, invalid: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${field} is required` : invalid;
}

const INTERVAL_INTEGER = 'Interval must be an integer';
/** Upper bound on `interval`: keeps every instant the engine computes inside the range of Date. */
export const MAX_INTERVAL = 1_000_000;

const IntervalSchema = z
  .number({ error: requiredOr('Interval', INTERVAL_INTEGER) })
  .int({ error: INTERVAL_INTEGER })
  .min(1, { error: 'Interval must be greater than or equal to 1' })
  .max(MAX_INTERVAL, { error: `Interval must be less than or equal to ${MAX_INTERVAL}` })
  .describe('Cadence multiplier, counted from the start: every `interval` minutes, hours, days, ...');

const DisabledSchema = z
  .boolean({ error: 'Disabled must be true or false' })
  .optional()
  .describe('Paused: nothing fires; the schedule and its reference are kept. Default false.');

const TimeZoneSchema = z
  .string({ error: requiredOr('Time zone', 'Time zone must be a string naming an IANA time zone') })
  // Checked first: a longer name is never resolved, cached or quoted back.
  .max(MAX_TIME_ZONE_NAME_LENGTH, {
    error: `Time zone must be at most ${MAX_TIME_ZONE_NAME_LENGTH} characters`,
  })
  .transform((name, ctx) => {
    const zone = resolveTimeZone(name);
    if (zone === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: name,
        message: `Time zone "${name}" is not a valid IANA time zone`,
      });
      return z.NEVER;
    }
    return zone;
  })
  .describe(
    'IANA time zone name (e.g. "Europe/Amsterdam"); Rails names such as "London" are mapped to IANA.',
  );

/** Shape of `YYYY-MM-DD` with a real month and day number; also published in the JSON Schema. */
const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Shape of `HH:MM` or `HH:MM:SS`, 00:00 to 23:59:59; also published in the JSON Schema. */
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

function dateSchema(field: string, description: string) {
  const message = `${field} must be a date in the form YYYY-MM-DD`;
  return (
    z
      .string({ error: message })
      .regex(DATE_PATTERN, { error: message })
      // The pattern cannot know month lengths (2025-02-30); this can.
      .refine((text) => parseDate(text) !== undefined, { error: message })
      .describe(description)
  );
}

const StartDateSchema = dateSchema('Start date', 'First eligible local day. Default: today in time_zone.');
const EndDateSchema = dateSchema('End date', 'Last eligible local day; on or after start_date.');

const TIME_MESSAGE = 'Time of day must be a time in the form HH:MM or HH:MM:SS';
const TimeOfDaySchema = z
  .string({ error: requiredOr('Time of day', TIME_MESSAGE) })
  .regex(TIME_PATTERN, { error: TIME_MESSAGE })
  .refine((text) => parseTimeOfDay(text) !== undefined, { error: TIME_MESSAGE })
  .describe('Local wall-clock time of each occurrence, HH:MM or HH:MM:SS in time_zone.');

const DAY_ELEMENT = 'Day must contain only weekday names (monday to sunday)';
const DaySchema = z
  .array(z.enum(WEEKDAYS, { error: DAY_ELEMENT }), {
    error: requiredOr('Day', 'Day must be a list of weekday names (monday to sunday)'),
  })
  .min(1, { error: 'Day must contain at least one weekday' })
  // A list may name a value twice (it fires once), but never hold more entries than there are values.
  .max(WEEKDAYS.length, { error: `Day must contain at most ${WEEKDAYS.length} weekdays` })
  .describe('Weekdays the schedule fires on.');

const WeekStartSchema = z
  .enum(WEEK_STARTS, { error: 'Week start must be monday or sunday' })
  .optional()
  .describe('Week boundary for weekly intervals > 1. Default monday.');

const DAYS_OF_MONTH: [number, ...number[]] = [-1, ...Array.from({ length: 31 }, (_, i) => i + 1)];
const DAY_OF_MONTH_ELEMENT = 'Day of month must contain only 1 to 31 or -1';
const DayOfMonthSchema = z
  .array(z.literal(DAYS_OF_MONTH, { error: DAY_OF_MONTH_ELEMENT }), {
    error: requiredOr('Day of month', 'Day of month must be a list of days (1 to 31 or -1)'),
  })
  .min(1, { error: 'Day of month must contain at least one day' })
  .max(DAYS_OF_MONTH.length, {
    error: `Day of month must contain at most ${DAYS_OF_MONTH.length} days`,
  })
  .describe('Days of the month, 1 to 31 or -1 for the last day; a day the month lacks is skipped.');

const MONTHS: [number, ...number[]] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const MONTH_ELEMENT = 'Month of year must contain only 1 to 12';
const MonthOfYearSchema = z
  .array(z.literal(MONTHS, { error: MONTH_ELEMENT }), {
    error: requiredOr('Month of year', 'Month of year must be a list of months (1 to 12)'),
  })
  .min(1, { error: 'Month of year must contain at least one month' })
  .max(MONTHS.length, { error: `Month of year must contain at most ${MONTHS.length} months` })
  .describe('Months of the year, 1 to 12.');

const DayOfWeekIndexSchema = z
  .literal([1, 2, 3, 4, -1], {
    error: requiredOr('Day of week index', 'Day of week index must be one of 1, 2, 3, 4 or -1'),
  })
  .describe('Which weekday of the month: 1-4, or -1 for the last.');

const DayOfWeekDaySchema = z
  .enum(WEEKDAYS, {
    error: requiredOr('Day of week day', 'Day of week day must be a weekday name (monday to sunday)'),
  })
  .describe('The weekday for day_of_week_index.');

const END_BEFORE_START = 'End date must be on or after the start date';

/**
 * Cross-field rule end_date >= start_date. It runs even when other fields failed (`when`), so every message is
 * collected in one pass; it only compares values that are themselves valid dates.
 */
const endAfterStart = [
  (value: { start_date?: unknown; end_date?: unknown }, ctx: z.RefinementCtx) => {
    const { start_date: start, end_date: end } = value;
    if (typeof start !== 'string' || typeof end !== 'string') return;
    if (parseDate(start) === undefined || parseDate(end) === undefined) return;
    if (end < start) ctx.addIssue({ code: 'custom', path: ['end_date'], message: END_BEFORE_START });
  },
  { when: () => true },
] as const;

const frequencyLiteral = <F extends Frequency>(frequency: F) => z.literal(frequency);

const NoRepeatSchema = z
  .object({
    frequency: frequencyLiteral('no_repeat'),
    disabled: DisabledSchema,
    time_zone: TimeZoneSchema.optional(),
    start_date: StartDateSchema.optional(),
    time_of_day: TimeOfDaySchema.optional(),
  })
  .superRefine(
    (value, ctx) => {
      // A date or time means nothing without a zone; with neither, the rule fires as soon as possible.
      const raw = value as { start_date?: unknown; time_of_day?: unknown; time_zone?: unknown };
      if ((raw.start_date !== undefined || raw.time_of_day !== undefined) && raw.time_zone === undefined) {
        ctx.addIssue({ code: 'custom', path: ['time_zone'], message: 'Time zone is required' });
      }
    },
    { when: () => true },
  );

const periodicFields = {
  disabled: DisabledSchema,
  interval: IntervalSchema,
  time_zone: TimeZoneSchema,
  start_date: StartDateSchema.optional(),
  end_date: EndDateSchema.optional(),
};

const elapsedSchema = <F extends 'minutely' | 'hourly'>(frequency: F) =>
  z
    .object({
      frequency: frequencyLiteral(frequency),
      ...periodicFields,
      time_of_day: TimeOfDaySchema.optional().describe(
        'Marks the first occurrence. Default: the creation instant rounded up to the next whole second.',
      ),
    })
    .superRefine(...endAfterStart);

const calendarFields = { ...periodicFields, time_of_day: TimeOfDaySchema };

const DailySchema = z
  .object({ frequency: frequencyLiteral('daily'), ...calendarFields })
  .superRefine(...endAfterStart);

const WeeklySchema = z
  .object({
    frequency: frequencyLiteral('weekly'),
    ...calendarFields,
    day: DaySchema,
    week_start: WeekStartSchema,
  })
  .superRefine(...endAfterStart);

const DAY_OF_WEEK_MESSAGE = 'Day of week must be true or false';
const dayOfMonthMode = z
  .literal(false, { error: DAY_OF_WEEK_MESSAGE })
  .optional()
  .describe('false (default): use day_of_month (monthly) or the day of start_date (yearly).');
const dayOfWeekMode = z
  .literal(true, { error: DAY_OF_WEEK_MESSAGE })
  .describe('true: use day_of_week_index + day_of_week_day.');
const nthWeekdayFields = { day_of_week_index: DayOfWeekIndexSchema, day_of_week_day: DayOfWeekDaySchema };

const MonthlySchema = z.discriminatedUnion(
  'day_of_week',
  [
    z
      .object({
        frequency: frequencyLiteral('monthly'),
        ...calendarFields,
        day_of_week: dayOfMonthMode,
        day_of_month: DayOfMonthSchema,
      })
      .superRefine(...endAfterStart),
    z
      .object({
        frequency: frequencyLiteral('monthly'),
        ...calendarFields,
        day_of_week: dayOfWeekMode,
        ...nthWeekdayFields,
      })
      .superRefine(...endAfterStart),
  ],
  { error: DAY_OF_WEEK_MESSAGE },
);

const YearlySchema = z.discriminatedUnion(
  'day_of_week',
  [
    z
      .object({
        frequency: frequencyLiteral('yearly'),
        ...calendarFields,
        month_of_year: MonthOfYearSchema,
        day_of_week: dayOfMonthMode,
      })
      .superRefine(...endAfterStart),
    z
      .object({
        frequency: frequencyLiteral('yearly'),
        ...calendarFields,
        month_of_year: MonthOfYearSchema,
        day_of_week: dayOfWeekMode,
        ...nthWeekdayFields,
      })
      .superRefine(...endAfterStart),
  ],
  { error: DAY_OF_WEEK_MESSAGE },
);

function frequencyMessage(issue: { input?: unknown }): string {
  const input = issue.input;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return 'Recurrence must be an object';
  if ((input as { frequency?: unknown }).frequency === undefined) return 'Frequency is required';
  return `Frequency must be one of ${FREQUENCIES.join(', ')}`;
}

/**
 * Schema of a recurrence as users send it (RECURRENCE.md, Fields). Fields that do not belong to the frequency
 * are stripped unvalidated. Parse with {@link normalizeRecurrence} to also get the clock-dependent defaults.
 */
export const RecurrenceInputSchema = z
  .discriminatedUnion(
    'frequency',
    [
      NoRepeatSchema,
      elapsedSchema('minutely'),
      elapsedSchema('hourly'),
      DailySchema,
      WeeklySchema,
      MonthlySchema,
      YearlySchema,
    ],
    { error: frequencyMessage },
  )
  .describe(
    'Recurrence of a schedule: frequency, interval, time zone, dates and the fields of the frequency.',
  );

/** A recurrence as users send it (before defaults). */
export type RecurrenceInput = z.input<typeof RecurrenceInputSchema>;
/** A recurrence as the schema outputs it: valid, irrelevant fields stripped, zone resolved, no defaults yet. */
export type ParsedRecurrenceInput = z.output<typeof RecurrenceInputSchema>;

/** Fields every stored recurrence carries. */
interface StoredBase {
  /** @default false */
  disabled: boolean;
  /** IANA zone name (Rails names already mapped). */
  time_zone: string;
  /** `YYYY-MM-DD`, the default (today in time_zone at creation) already filled in. */
  start_date: string;
  /** `HH:MM` or `HH:MM:SS` echoed as given; defaults are written `HH:MM:SS`. */
  time_of_day: string;
}

interface StoredPeriodic extends StoredBase {
  interval: number;
  end_date?: string;
}

/** A no_repeat recurrence: fires once, at start_date + time_of_day. */
export interface NoRepeatRecurrence extends StoredBase {
  frequency: 'no_repeat';
}
/** A minutely or hourly recurrence: every interval x 60 s / 3600 s of real time from the start instant. */
export interface ElapsedRecurrence extends StoredPeriodic {
  frequency: 'minutely' | 'hourly';
}
/** A daily recurrence: every interval local days at time_of_day. */
export interface DailyRecurrence extends StoredPeriodic {
  frequency: 'daily';
}
/** A weekly recurrence: the given weekdays of every interval-th week. */
export interface WeeklyRecurrence extends StoredPeriodic {
  frequency: 'weekly';
  day: Weekday[];
  /** @default 'monday' */
  week_start: WeekStart;
}
/** A monthly recurrence on days of the month, or on the nth weekday. */
export type MonthlyRecurrence = StoredPeriodic & { frequency: 'monthly' } & (
    | { day_of_week: false; day_of_month: number[] }
    | { day_of_week: true; day_of_week_index: number; day_of_week_day: Weekday }
  );
/** A yearly recurrence in the given months, on start_date's day (clamped) or on the nth weekday. */
export type YearlyRecurrence = StoredPeriodic & { frequency: 'yearly'; month_of_year: number[] } & (
    { day_of_week: false } | { day_of_week: true; day_of_week_index: number; day_of_week_day: Weekday }
  );

/**
 * A normalised, stored recurrence: snake_case fields as in RECURRENCE.md, irrelevant fields cleared and every
 * clock-dependent default fixed, so it can be echoed back and evaluated without a clock.
 */
export type Recurrence =
  | NoRepeatRecurrence
  | ElapsedRecurrence
  | DailyRecurrence
  | WeeklyRecurrence
  | MonthlyRecurrence
  | YearlyRecurrence;
