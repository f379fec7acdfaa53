/**
 * Validation and normalisation of a recurrence: schema parse plus the clock-dependent defaults, fixed from an
 * explicit `now` (never the system clock), so the stored rule can be echoed back and evaluated later.
 */
import { DAY_MS, formatDays, formatSeconds, mod } from './civil';
import { RecurrenceInputSchema } from './schema';
import type { ParsedRecurrenceInput, Recurrence } from './schema';
import { Frequency, WeekStart } from './types';
import { instantToLocal, localToInstant } from './zones';

/** A recurrence failed validation; `messages` holds every problem found, each naming the field and the rule. */
export class RecurrenceValidationError extends Error {
  override readonly name = 'RecurrenceValidationError';

  constructor(readonly messages: string[]) {
    super(messages.join('; '));
  }
}

/** Options for {@link normalizeRecurrence} and {@link validateRecurrence}. */
export interface NormalizeOptions {
  /** The creation/update instant: fixes start_date, default time_of_day and "as soon as possible". */
  now: Date;
  /**
   * Deployment default zone, used when the input has no `time_zone` (IANA or Rails name).
   * @default undefined: `time_zone` is then required, except for an as-soon-as-possible no_repeat (UTC).
   */
  defaultTimeZone?: string;
}

/** Outcome of {@link validateRecurrence}. */
export type ValidateRecurrenceResult =
  { success: true; recurrence: Recurrence } | { success: false; messages: string[] };

/** The first whole second strictly after `now`. */
function nextWholeSecondAfter(now: number): number {
  return Math.floor(now / 1000) * 1000 + 1000;
}

/** Local date and time of day of an instant in `zone`. */
function localParts(zone: string, instant: number): { date: string; time: string } {
  const wall = instantToLocal(zone, instant);
  return { date: formatDays(Math.floor(wall / DAY_MS)), time: formatSeconds(mod(wall, DAY_MS) / 1000) };
}

/**
 * Whether the instant's local wall time names it again: false in the second pass of a fall-back overlap,
 * where the same wall time resolves to the first pass, an hour (or so) earlier.
 */
function representable(zone: string, instant: number): boolean {
  return localToInstant(zone, instantToLocal(zone, instant)) === instant;
}

/** Periods walked back at most to leave an overlap (a minute each: overlaps last at most a few hours). */
const MAX_OVERLAP_STEPS = 24 * 60;

function today(zone: string, now: number): string {
  return formatDays(Math.floor(instantToLocal(zone, now) / DAY_MS));
}

function withDefaults(parsed: ParsedRecurrenceInput, now: number, fallbackZone: string): Recurrence {
  const disabled = parsed.disabled ?? false;
  if (parsed.frequency === Frequency.NoRepeat) {
    const time_zone = parsed.time_zone ?? fallbackZone;
    if (parsed.start_date === undefined && parsed.time_of_day === undefined) {
      // As soon as possible: the occurrence is the creation instant, rounded up so it is strictly after `now`.
      const instant = nextWholeSecondAfter(now);
      // In the second pass of a fall-back overlap the local time would name the first pass, already gone: the
      // instant is then written in UTC, so it still fires as soon as possible.
      const zone = representable(time_zone, instant) ? time_zone : 'UTC';
      const asap = localParts(zone, instant);
      return {
        frequency: 'no_repeat',
        disabled,
        time_zone: zone,
        start_date: asap.date,
        time_of_day: asap.time,
      };
    }
    return {
      frequency: 'no_repeat',
      disabled,
      time_zone,
      start_date: parsed.start_date ?? today(time_zone, now),
      time_of_day: parsed.time_of_day ?? '00:00:00',
    };
  }
  const { time_zone, interval } = parsed;
  let start_date = parsed.start_date;
  let time_of_day = parsed.time_of_day;
  if (time_of_day === undefined) {
    // minutely/hourly: the creation instant rounded up marks the first occurrence; its date goes with it
    // (just before midnight the rounded second can fall on the next day).
    let instant = nextWholeSecondAfter(now);
    if (start_date === undefined) {
      // In the second pass of a fall-back overlap the local time would name the first pass, an hour early, and
      // shift the whole cadence: start whole periods earlier instead, where the wall time is unambiguous, so the
      // series still holds the creation instant (rounded up) as its first occurrence after now.
      const period = interval * (parsed.frequency === Frequency.Minutely ? 60_000 : 3_600_000);
      for (let i = 0; i < MAX_OVERLAP_STEPS && !representable(time_zone, instant); i++) instant -= period;
    }
    const first = localParts(time_zone, instant);
    time_of_day = first.time;
    start_date ??= first.date;
  }
  start_date ??= today(time_zone, now);
  const base = {
    disabled,
    interval,
    time_zone,
    start_date,
    ...(parsed.end_date === undefined ? {} : { end_date: parsed.end_date }),
    time_of_day,
  };
  switch (parsed.frequency) {
    case Frequency.Minutely:
    case Frequency.Hourly:
    case Frequency.Daily:
      return { frequency: parsed.frequency, ...base };
    case Frequency.Weekly:
      return {
        frequency: 'weekly',
        ...base,
        day: [...parsed.day],
        week_start: parsed.week_start ?? WeekStart.Monday,
      };
    case Frequency.Monthly:
      return parsed.day_of_week === true
        ? {
            frequency: 'monthly',
            ...base,
            day_of_week: true,
            day_of_week_index: parsed.day_of_week_index,
            day_of_week_day: parsed.day_of_week_day,
          }
        : { frequency: 'monthly', ...base, day_of_week: false, day_of_month: [...parsed.day_of_month] };
    case Frequency.Yearly:
      return parsed.day_of_week === true
        ? {
            frequency: 'yearly',
            ...base,
            month_of_year: [...parsed.month_of_year],
            day_of_week: true,
            day_of_week_index: parsed.day_of_week_index,
            day_of_week_day: parsed.day_of_week_day,
          }
        : { frequency: 'yearly', ...base, month_of_year: [...parsed.month_of_year], day_of_week: false };
  }
}

/**
 * Validates a recurrence and fixes its clock-dependent defaults from `options.now`, without throwing.
 * The input is never mutated.
 * @throws {RangeError} only if `options.now` is an invalid Date (a caller bug, not a validation failure).
 */
export function validateRecurrence(input: unknown, options: NormalizeOptions): ValidateRecurrenceResult {
  const now = options.now.getTime();
  if (Number.isNaN(now)) throw new RangeError('options.now must be a valid Date');
  const { defaultTimeZone } = options;
  // The deployment default stands in for a missing time_zone; the schema then validates it like user input.
  const candidate =
    defaultTimeZone !== undefined &&
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    (input as { time_zone?: unknown }).time_zone === undefined
      ? { ...input, time_zone: defaultTimeZone }
      : input;
  const result = RecurrenceInputSchema.safeParse(candidate);
  if (!result.success) {
    return { success: false, messages: [...new Set(result.error.issues.map((issue) => issue.message))] };
  }
  // end_date >= start_date binds only when both are given (the schema checks that). An end_date before a
  // defaulted start_date (today) is valid: the schedule is created and never fires, `End date is in the past`.
  const recurrence = withDefaults(result.data, now, 'UTC');
  return { success: true, recurrence };
}

/**
 * Validates a recurrence and returns it normalised: irrelevant fields cleared, zone resolved to IANA,
 * `disabled` false, `week_start` monday, start_date today in the zone, minutely/hourly time_of_day = `now`
 * rounded up to the next whole second, no_repeat without date and time = as soon as possible (the next whole
 * second after `now`, in `defaultTimeZone` or UTC). The input is never mutated.
 * @throws {RecurrenceValidationError} with every validation message when the input is invalid.
 */
export function normalizeRecurrence(input: unknown, options: NormalizeOptions): Recurrence {
  const result = validateRecurrence(input, options);
  if (!result.success) throw new RecurrenceValidationError(result.messages);
  return result.recurrence;
}
