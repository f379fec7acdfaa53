/**
 * Ids of the product's Temporal schedules and runs (pure): readable, unique per solution, and never shared by two
 * tenants however their names are spelled.
 */
import { randomUUID } from 'node:crypto';

/** Prefix of every schedule id the product creates; operators filter on it in the UI. */
export const SCHEDULE_ID_PREFIX = 'rbs';

/** Id of the Temporal schedule that runs the re-arm sweep. */
export const SWEEP_SCHEDULE_ID = 'runbook-scheduler-sweep';

/**
 * A solution as it appears inside an id: `:` and `%` percent-encoded, so the first `:` after it always ends it.
 * Otherwise solution `acme` with reference `team:nightly` and solution `acme:team` with `nightly` would share one
 * id, and each could read, replace or delete the other's (FEATURES.md A10).
 */
export function escapeSolution(solution: string): string {
  return solution.replace(/[%:]/g, (c) => encodeURIComponent(c));
}

/** Readable, unique schedule id of a reference in a solution: `rbs:<solution>:<reference>` (see {@link escapeSolution}). */
export function scheduleIdFor(solution: string, reference: string): string {
  return `${SCHEDULE_ID_PREFIX}:${escapeSolution(solution)}:${reference}`;
}

/**
 * A fresh generation id: creation instant plus randomness, so two generations never collide.
 * @param random eight random hex characters; a parameter so tests can pin it. @default from a random UUID
 */
export function newGeneration(now: Date, random: string = randomUUID().slice(0, 8)): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${random}`;
}
