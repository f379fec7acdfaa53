/**
 * When a scheduled service runs (FEATURES.md D1), pure: a UTC timestamp `yyyy-mm-ddThh:mm:ss.sss` plus `delay`
 * seconds (added to the timestamp when both are given, to now when only the delay is), now when neither is
 * given; the instant must lie within `maximumDelay` of now. `now` is a parameter: no hidden clock.
 */
import { ParameterProblems } from './errors';

/** `yyyy-mm-ddThh:mm:ss` with an optional fraction of 1 to 3 digits and an optional `Z` (UTC either way). */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z?$/;

/** The instant of a `yyyy-mm-ddThh:mm:ss.sss` UTC timestamp, or undefined when it is not one (or no real date). */
export function parseUtcTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? '0').padEnd(3, '0'));
  const instant = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  instant.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  // 2026-02-30 would roll over into March: refused, as would hour 24 or second 60.
  const same =
    instant.getUTCFullYear() === year &&
    instant.getUTCMonth() === month - 1 &&
    instant.getUTCDate() === day &&
    instant.getUTCHours() === hour &&
    instant.getUTCMinutes() === minute &&
    instant.getUTCSeconds() === second;
  return same ? instant : undefined;
}

/** An instant in the seed's format, `yyyy-mm-ddThh:mm:ss.sss` (UTC, milliseconds, no zone suffix). */
export function formatScheduleTimestamp(instant: Date): string {
  return instant.toISOString().replace(/Z$/, '');
}

/** What {@link resolveRunInstant} is given. */
export interface RunTimeRequest {
  readonly scheduleTimestamp?: string;
  readonly delay?: number;
}

/** The instant to run at, or the problem naming the parameter. */
export type RunInstant = { readonly instant: Date } | { readonly problem: string };

/**
 * The instant a request asks for: timestamp (default now) plus delay (default 0), in whole milliseconds.
 * @param maximumDelaySeconds how far from now (either way) the instant may lie.
 */
export function resolveRunInstant(
  request: RunTimeRequest,
  now: Date,
  maximumDelaySeconds: number,
): RunInstant {
  let base = now;
  if (request.scheduleTimestamp !== undefined) {
    const parsed = parseUtcTimestamp(request.scheduleTimestamp);
    if (parsed === undefined) return { problem: ParameterProblems.timestampFormat };
    base = parsed;
  }
  const instant = new Date(base.getTime() + Math.round((request.delay ?? 0) * 1000));
  if (Math.abs(instant.getTime() - now.getTime()) > maximumDelaySeconds * 1000) {
    return { problem: ParameterProblems.beyondMaximumDelay(maximumDelaySeconds) };
  }
  return { instant };
}
