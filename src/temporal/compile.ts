/**
 * Compiles a recurrence into a Temporal schedule spec that fires at exactly the engine's instants
 * (RECURRENCE.md, "Mapping onto Temporal"). Pure: no I/O, `after` is a parameter.
 *
 * - minutely / hourly count elapsed time, which is zone-independent, so they map exactly onto a native interval
 *   spec: `every` = the period, `offset` = start instant mod period, bounded by the start and the end bound.
 * - every other rule becomes a rolling window of explicit UTC instants (one calendar spec each), computed by
 *   the engine. Temporal's own calendar specs would skip times in spring-forward gaps, fire twice in fall-back
 *   hours, use the server's tz database, and cannot say "last Friday" or "every other week".
 */
import type { CalendarSpec, ScheduleSpec } from '@temporalio/client';
import {
  Frequency,
  NoOccurrenceReason,
  nextOccurrence,
  nextOccurrences,
  ruleEndBound,
  ruleStartInstant,
  type Recurrence,
} from '../recurrence';

/** How far ahead a rolling window reaches. */
export interface WindowOptions {
  /** The window holds at least this many instants (when the rule has them). @default 10 */
  readonly minCount?: number;
  /** ...and reaches at least this far past `after`, in ms. @default 7 days */
  readonly minSpanMs?: number;
  /** Hard cap on instants, to keep the schedule small. @default 500 */
  readonly maxCount?: number;
  /**
   * Compile minutely / hourly rules to explicit instants too. Their native interval spec is exact, so this is
   * for exercising the re-arm path with frequent instants. @default false
   */
  readonly forceWindow?: boolean;
}

/** The compiled schedule: the spec, whether it must be paused, and why. */
export interface CompiledSchedule {
  /** `interval` for native minutely/hourly specs, `window` for explicit instants. */
  readonly mode: 'interval' | 'window';
  readonly spec: ScheduleSpec;
  /** First occurrence strictly after `after`, or null. */
  readonly nextOccurrenceAt: Date | null;
  /** Why there is no next occurrence (RECURRENCE.md reasons), or null. */
  readonly reason: NoOccurrenceReason | null;
  /** True when the schedule must not fire: disabled, or no further occurrence (it disables itself). */
  readonly paused: boolean;
  /** For window mode: the last instant in the window (re-arm before it runs dry); null otherwise. */
  readonly windowEnd: Date | null;
  /**
   * The first occurrence whose run must re-arm the schedule, or null when no run needs to: a window's middle
   * instant (from there on, each run moves the window, well before it runs dry), the last occurrence of a native
   * interval spec that ends (its run pauses the schedule with the reason), none for one that never ends.
   */
  readonly rearmFrom: Date | null;
}

/** Default window: at least 10 instants and 7 days. */
export const DEFAULT_WINDOW: Required<WindowOptions> = {
  minCount: 10,
  minSpanMs: 7 * 86_400_000,
  maxCount: 500,
  forceWindow: false,
};

/** Temporal's month names, January first (calendar specs name months, not numbers). */
export const MONTHS = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
] as const;

/** One calendar spec matching exactly one UTC second. */
export function instantCalendar(instant: Date): CalendarSpec {
  return {
    year: instant.getUTCFullYear(),
    month: MONTHS[instant.getUTCMonth()] ?? 'JANUARY',
    dayOfMonth: instant.getUTCDate(),
    hour: instant.getUTCHours(),
    minute: instant.getUTCMinutes(),
    second: instant.getUTCSeconds(),
    dayOfWeek: '*',
  };
}

/**
 * Compiles `rule` for the period after `after`.
 *
 * A disabled rule still gets its full spec (so resuming needs no recompilation) and `paused: true`.
 */
export function compileSchedule(rule: Recurrence, after: Date, window: WindowOptions = {}): CompiledSchedule {
  const active: Recurrence = { ...rule, disabled: false };
  const next = nextOccurrence(active, after);
  const disabled = rule.disabled;
  const reason = disabled ? NoOccurrenceReason.Disabled : next.reason;

  if ((rule.frequency === Frequency.Minutely || rule.frequency === Frequency.Hourly) && !window.forceWindow) {
    const periodMs = rule.interval * (rule.frequency === Frequency.Minutely ? 60_000 : 3_600_000);
    const start = ruleStartInstant(rule);
    const end = ruleEndBound(rule);
    const spec: ScheduleSpec = {
      intervals: [{ every: periodMs, offset: ((start.getTime() % periodMs) + periodMs) % periodMs }],
      startAt: start,
      // Occurrences are whole seconds and the bound is exclusive; Temporal's endAt is inclusive.
      ...(end ? { endAt: new Date(end.getTime() - 1000) } : {}),
    };
    return {
      mode: 'interval',
      spec,
      nextOccurrenceAt: disabled ? null : next.at,
      reason,
      paused: disabled || next.at === null,
      windowEnd: null,
      // Only one occurrence lies in the last period before the end bound: the last one.
      rearmFrom: end ? new Date(end.getTime() - periodMs) : null,
    };
  }

  const { minCount, minSpanMs, maxCount } = { ...DEFAULT_WINDOW, ...window };
  const horizon = after.getTime() + minSpanMs;
  const instants: Date[] = [];
  let cursor = after;
  while (instants.length < maxCount) {
    // Fetch in batches; the engine's cost per call does not depend on the distance from the start.
    const batch = nextOccurrences(active, cursor, Math.min(64, maxCount - instants.length));
    instants.push(...batch.occurrences);
    const last = batch.occurrences[batch.occurrences.length - 1];
    if (!last || batch.reason !== null) break;
    if (instants.length >= minCount && last.getTime() >= horizon) break;
    cursor = last;
  }
  const spec: ScheduleSpec = { calendars: instants.map(instantCalendar) };
  return {
    mode: 'window',
    spec,
    nextOccurrenceAt: disabled ? null : (instants[0] ?? null),
    reason,
    paused: disabled || instants.length === 0,
    windowEnd: instants[instants.length - 1] ?? null,
    rearmFrom: instants[Math.floor((instants.length - 1) / 2)] ?? null,
  };
}
