/**
 * Enumerations of the recurrence contract (RECURRENCE.md): each is a `const` object plus a union type of the
 * same name, so callers can write `Frequency.Weekly` or the literal `'weekly'`.
 */

/** How often a schedule repeats. */
export const Frequency = {
  NoRepeat: 'no_repeat',
  Minutely: 'minutely',
  Hourly: 'hourly',
  Daily: 'daily',
  Weekly: 'weekly',
  Monthly: 'monthly',
  Yearly: 'yearly',
} as const;
/** How often a schedule repeats. */
export type Frequency = (typeof Frequency)[keyof typeof Frequency];
/** Every {@link Frequency} value, in the order of the contract (used in messages and the schema). */
export const FREQUENCIES = Object.values(Frequency) as [Frequency, ...Frequency[]];

/** A day of the week, by its lower-case English name. */
export const Weekday = {
  Monday: 'monday',
  Tuesday: 'tuesday',
  Wednesday: 'wednesday',
  Thursday: 'thursday',
  Friday: 'friday',
  Saturday: 'saturday',
  Sunday: 'sunday',
} as const;
/** A day of the week, by its lower-case English name. */
export type Weekday = (typeof Weekday)[keyof typeof Weekday];
/** Every {@link Weekday}, Monday first: the index is the ISO weekday minus one. */
export const WEEKDAYS = Object.values(Weekday) as [Weekday, ...Weekday[]];

/** The day a week begins on, for weekly intervals greater than 1. */
export const WeekStart = {
  Monday: 'monday',
  Sunday: 'sunday',
} as const;
/** The day a week begins on, for weekly intervals greater than 1. */
export type WeekStart = (typeof WeekStart)[keyof typeof WeekStart];
/** Every {@link WeekStart} value. */
export const WEEK_STARTS = Object.values(WeekStart) as [WeekStart, ...WeekStart[]];

/** Why a rule has no (further) occurrence: exact, user-facing strings (RECURRENCE.md, semantics 10). */
export const NoOccurrenceReason = {
  Disabled: 'Schedule is disabled',
  EndDatePassed: 'End date is in the past',
  StartTimePassed: 'Start time is in the past',
  NoDateMatches: 'No date matches the rule',
} as const;
/** Why a rule has no (further) occurrence: exact, user-facing strings (RECURRENCE.md, semantics 10). */
export type NoOccurrenceReason = (typeof NoOccurrenceReason)[keyof typeof NoOccurrenceReason];
