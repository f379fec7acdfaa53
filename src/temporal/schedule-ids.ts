/**
 * Ids of the product's Temporal schedules and runs (pure): readable, unique per solution, and never shared by two
 * tenants however their names are spelled. No Node built-ins: workflows import it too.
 */
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
export function newGeneration(
  now: Date,
  random: string = globalThis.crypto.randomUUID().slice(0, 8),
): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${random}`;
}

/** Prefix of the workflow ids of runbook runs correlated by job context (and of workflow targets' runs). */
export const JOB_WORKFLOW_ID_PREFIX = 'runbook-job';

/**
 * Workflow id of a runbook run correlated by its job context identifier, scoped by solution and runbook:
 * `runbook-job:<solution>:<runbook uuid>:<identifier>`, the solution escaped as in schedule ids (see
 * {@link escapeSolution}), so one tenant's run is never refused as a duplicate of another's.
 */
export function jobWorkflowId(
  solution: string,
  runbookUuid: string,
  identifier: string,
  /** False only to replay runs recorded before solutions were escaped here. @default true */
  escaped = true,
): string {
  return `${jobIdPrefix(solution, escaped)}:${runbookUuid}:${identifier}`;
}

/** `runbook-job:<solution>`: the start of every job workflow id of a solution. */
export function jobIdPrefix(solution: string, escaped = true): string {
  return `${JOB_WORKFLOW_ID_PREFIX}:${escaped ? escapeSolution(solution) : solution}`;
}

/** True when a solution's name changes when escaped, so ids written before escaping differ from today's. */
export function needsEscaping(solution: string): boolean {
  return escapeSolution(solution) !== solution;
}
