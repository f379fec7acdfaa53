/**
 * Aborted occurrences as exclusions of the schedule's spec (FEATURES.md B6), so Temporal itself never fires them,
 * on native interval specs (minutely, hourly) as on windows of explicit instants: one exclusion calendar per
 * aborted instant, matching exactly that UTC second (Temporal's `ScheduleSpec.skip`, `excludeStructuredCalendar`
 * on the wire). Pure: the gateway sends what these build.
 */
import { encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import type { temporal } from '@temporalio/proto';
import { instantCalendar } from '../temporal/compile';

type RawSpec = temporal.api.schedule.v1.IScheduleSpec;
type RawCalendar = temporal.api.schedule.v1.IStructuredCalendarSpec;

/** The exclusion calendar of exactly one UTC second. */
export function exclusionOf(instant: Date): RawCalendar {
  const encoded = encodeScheduleSpec({ skip: [instantCalendar(instant)] }).excludeStructuredCalendar;
  const entry = encoded?.[0];
  if (!entry) throw new TypeError('encodeScheduleSpec returned no exclusion calendar');
  return entry;
}

function single(ranges: RawCalendar['year']): number | undefined {
  const range = ranges?.[0];
  if (!range || ranges.length !== 1) return undefined;
  const start = range.start ?? 0;
  return (range.end ?? start) === start || range.end === 0 ? start : undefined;
}

/** The instant an exclusion calendar names, or undefined when it is not one of a single second. */
export function instantOfExclusion(calendar: RawCalendar): Date | undefined {
  const [y, mo, d] = [single(calendar.year), single(calendar.month), single(calendar.dayOfMonth)];
  if (y === undefined || mo === undefined || d === undefined) return undefined;
  const [h, mi, s] = [single(calendar.hour) ?? 0, single(calendar.minute) ?? 0, single(calendar.second) ?? 0];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** The aborted instants a stored spec excludes, in time order. */
export function excludedInstants(spec: RawSpec | null | undefined): Date[] {
  return (spec?.excludeStructuredCalendar ?? [])
    .map(instantOfExclusion)
    .filter((instant): instant is Date => instant !== undefined)
    .sort((a, b) => a.getTime() - b.getTime());
}

/** True when `spec` already excludes `instant`. */
export function isExcluded(spec: RawSpec | null | undefined, instant: Date): boolean {
  return excludedInstants(spec).some((t) => t.getTime() === instant.getTime());
}

/**
 * `spec` with `instant` excluded too; exclusions before `keepAfter` (past occurrences, which can no longer fire)
 * are dropped, so the spec stays small.
 */
export function withExclusion(spec: RawSpec, instant: Date, keepAfter: Date): RawSpec {
  const kept = (spec.excludeStructuredCalendar ?? []).filter((calendar) => {
    const at = instantOfExclusion(calendar);
    return at === undefined || at >= keepAfter;
  });
  return { ...spec, excludeStructuredCalendar: [...kept, exclusionOf(instant)] };
}

/**
 * The spec to send when a write replaces the spec (a re-armed window, Update Schedule): it keeps the exclusions
 * of the spec it replaces, so an aborted occurrence stays aborted. A spec that brings exclusions of its own
 * (an abort) is sent as it is.
 */
export function keepingExclusions(
  next: RawSpec | null,
  previous: RawSpec | null | undefined,
): RawSpec | null {
  if (next === null || (next.excludeStructuredCalendar?.length ?? 0) > 0) return next;
  const kept = previous?.excludeStructuredCalendar ?? [];
  return kept.length === 0 ? next : { ...next, excludeStructuredCalendar: kept };
}
