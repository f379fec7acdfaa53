/**
 * The cadence of a workspace schedule (FEATURES.md C2): start date, start time, time zone, interval and unit,
 * read as "every N units", compiled to the recurrence of A1 so it fires on the same engine as every other rule.
 * Pure: no I/O, `now` is a parameter.
 */
import { z } from 'zod';
import {
  Frequency,
  MAX_INTERVAL,
  nextOccurrences,
  validateRecurrence,
  type NoOccurrenceReason,
  type Recurrence,
} from '../recurrence';
import { WorkspaceMessages } from './errors';

/** The unit of a cadence's interval. */
export const CadenceUnit = {
  Once: 'once',
  Minute: 'minute',
  Hour: 'hour',
  Day: 'day',
  Month: 'month',
} as const;
/** The unit of a cadence's interval. */
export type CadenceUnit = (typeof CadenceUnit)[keyof typeof CadenceUnit];
/** Every {@link CadenceUnit}, in the order of the seed. */
export const CADENCE_UNITS = Object.values(CadenceUnit) as [CadenceUnit, ...CadenceUnit[]];

/** Minutes one period of a unit lasts at least (a month: 28 days); `once` has no period. */
const UNIT_MINUTES: Readonly<Record<CadenceUnit, number>> = {
  once: Number.POSITIVE_INFINITY,
  minute: 1,
  hour: 60,
  day: 1440,
  month: 28 * 1440,
};

const requiredText = (field: string, pattern: RegExp, shape: string) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${field} is required` : `${field} must be a string`) })
    .regex(pattern, `${field} must be ${shape}`);

/** A cadence as a caller gives it. `interval` is ignored for `once`. */
export const CadenceSchema = z.object(
  {
    start_date: requiredText('Start date', /^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
    start_time: requiredText('Start time', /^\d{2}:\d{2}(:\d{2})?$/, 'a time HH:MM or HH:MM:SS'),
    time_zone: z
      .string({
        error: (i) => (i.input === undefined ? 'Time zone is required' : 'Time zone must be a string'),
      })
      .min(1, 'Time zone must not be empty')
      .max(100, 'Time zone must be at most 100 characters'),
    interval: z
      .number({ error: 'Interval must be a number' })
      .int('Interval must be a whole number')
      .min(1, 'Interval must be greater than or equal to 1')
      .max(MAX_INTERVAL, `Interval must be at most ${MAX_INTERVAL}`)
      .default(1),
    unit: z.enum(CADENCE_UNITS, { error: `Unit must be one of ${CADENCE_UNITS.join(', ')}` }),
  },
  { error: 'Cadence must be an object' },
);
/** A cadence, defaults filled in. */
export type Cadence = z.output<typeof CadenceSchema>;
/** A cadence as a caller may write it (`interval` optional). */
export type CadenceInput = z.input<typeof CadenceSchema>;

/** What compiling a cadence needs besides the cadence. */
export interface CadenceOptions {
  /** The creation or update instant. */
  readonly now: Date;
  /** The shortest period a cadence may have, in minutes (`Settings.minSchedulePeriodMinutes`). */
  readonly minPeriodMinutes: number;
}

/** Outcome of {@link compileCadence}. */
export type CadenceResult =
  | { readonly success: true; readonly cadence: Cadence; readonly recurrence: Recurrence }
  | { readonly success: false; readonly messages: string[] };

/** The recurrence input of a (parsed) cadence. */
export function cadenceRecurrenceInput(cadence: Cadence): Record<string, unknown> {
  const base = {
    start_date: cadence.start_date,
    time_of_day: cadence.start_time,
    time_zone: cadence.time_zone,
  };
  switch (cadence.unit) {
    case CadenceUnit.Once:
      return { frequency: Frequency.NoRepeat, ...base };
    case CadenceUnit.Minute:
      return { frequency: Frequency.Minutely, interval: cadence.interval, ...base };
    case CadenceUnit.Hour:
      return { frequency: Frequency.Hourly, interval: cadence.interval, ...base };
    case CadenceUnit.Day:
      return { frequency: Frequency.Daily, interval: cadence.interval, ...base };
    case CadenceUnit.Month:
      // On the start date's day of the month; a month without that day is skipped (RECURRENCE.md, semantics 6).
      return {
        frequency: Frequency.Monthly,
        interval: cadence.interval,
        day_of_month: [Number(cadence.start_date.slice(8, 10))],
        ...base,
      };
  }
}

/** True when the cadence repeats more often than every `minPeriodMinutes`. */
export function isFasterThan(cadence: Cadence, minPeriodMinutes: number): boolean {
  return cadence.interval * UNIT_MINUTES[cadence.unit] < minPeriodMinutes;
}

/**
 * Validates a cadence, refuses one faster than the minimum period
 * (`Schedules cannot run more often than every <N> minutes`) and compiles it to a normalised recurrence.
 * @returns the parsed cadence and its recurrence, or every message, each naming its field.
 */
export function compileCadence(input: unknown, options: CadenceOptions): CadenceResult {
  const parsed = CadenceSchema.safeParse(input);
  if (!parsed.success) {
    return { success: false, messages: [...new Set(parsed.error.issues.map((issue) => issue.message))] };
  }
  const cadence = parsed.data;
  if (isFasterThan(cadence, options.minPeriodMinutes)) {
    return { success: false, messages: [WorkspaceMessages.tooFrequent(options.minPeriodMinutes)] };
  }
  const result = validateRecurrence(cadenceRecurrenceInput(cadence), { now: options.now });
  return result.success
    ? { success: true, cadence, recurrence: result.recurrence }
    : { success: false, messages: result.messages };
}

/** The next `count` occurrences of a compiled cadence strictly after `after`, or why there are none. */
export function cadenceOccurrences(
  recurrence: Recurrence,
  after: Date,
  count: number,
): { occurrences: Date[]; reason: NoOccurrenceReason | null } {
  const { occurrences, reason } = nextOccurrences(recurrence, after, count);
  return { occurrences, reason };
}

/** A cadence in words: `every 2 hours from 2026-12-03 09:00 Europe/Amsterdam`, `once at ...`. */
export function cadenceText(cadence: Cadence): string {
  const at = `${cadence.start_date} ${cadence.start_time} ${cadence.time_zone}`;
  if (cadence.unit === CadenceUnit.Once) return `once at ${at}`;
  const unit = cadence.interval === 1 ? cadence.unit : `${cadence.interval} ${cadence.unit}s`;
  return `every ${unit} from ${at}`;
}

/** True when two cadences are the same (after defaults). */
export function sameCadence(a: Cadence, b: Cadence): boolean {
  return (
    a.start_date === b.start_date &&
    a.start_time === b.start_time &&
    a.time_zone === b.time_zone &&
    a.unit === b.unit &&
    (a.unit === CadenceUnit.Once || a.interval === b.interval)
  );
}
