/**
 * The upcoming occurrences of a schedule as the engine computes them, less the aborted ones (FEATURES.md B4,
 * B5): the queued instance is the first of them, future runs the first N. Pure: `now` is a parameter.
 */
import { Frequency, nextOccurrences, type Recurrence } from '../recurrence';

/** Most future runs one call returns. */
export const MAX_FUTURE_RUNS = 1000;

/**
 * The first `count` occurrences of `rule` strictly after `after`, skipping `excluded` instants. A disabled rule
 * is read as enabled: whether the schedule fires is the caller's to say (paused, stopped).
 */
export function upcomingOccurrences(
  rule: Recurrence,
  after: Date,
  count: number,
  excluded: readonly Date[] = [],
): Date[] {
  const skip = new Set(excluded.map((t) => t.getTime()));
  const active: Recurrence = { ...rule, disabled: false };
  const found: Date[] = [];
  let cursor = after;
  while (found.length < count) {
    // Batches of at least 64 so that a run of aborted instants never costs a call each.
    const batch = nextOccurrences(active, cursor, Math.max(64, count - found.length));
    for (const at of batch.occurrences) {
      if (!skip.has(at.getTime())) found.push(at);
      if (found.length >= count) break;
    }
    const last = batch.occurrences[batch.occurrences.length - 1];
    if (!last || batch.reason !== null) break;
    cursor = last;
  }
  return found;
}

/** The next occurrence that is not aborted, or null when the rule has none. */
export function queuedOccurrence(rule: Recurrence, now: Date, excluded: readonly Date[] = []): Date | null {
  return upcomingOccurrences(rule, now, 1, excluded)[0] ?? null;
}

/** The type of a rule's occurrences: `Once` for `no_repeat`, `Scheduled` otherwise. */
export function occurrenceType(rule: Recurrence): 'Once' | 'Scheduled' {
  return rule.frequency === Frequency.NoRepeat ? 'Once' : 'Scheduled';
}
