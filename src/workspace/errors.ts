/**
 * Exact messages of workspace schedules (FEATURES.md C1-C4), defined once and tested verbatim. Failures travel
 * as the connector's {@link ScheduleActionError}, so the HTTP API and the CLI map them as they map every other.
 * Pure (no zod, no I/O): the workflow imports the run messages too.
 */

/** Exact messages. */
export const WorkspaceMessages = {
  /** A cadence faster than the minimum period (`RUNBOOK_SCHEDULER_MIN_SCHEDULE_PERIOD_MINUTES`). */
  tooFrequent: (minutes: number) => `Schedules cannot run more often than every ${minutes} minutes`,
  /** Create refused: the key is taken in the solution. */
  keyTaken: (key: string) => `Workspace schedule "${key}" already exists`,
  /** No workspace schedule of that key in the caller's solution. */
  notFound: (key: string) => `Workspace schedule "${key}" not found`,
  /** A change that did not take: concurrent changes kept winning, or the schedule was overwritten (`details`). */
  notSaved: (key: string) => `Workspace schedule "${key}" was not changed`,
  /** A job names a runbook the solution does not have. */
  noRunbook: (position: number, uuid: string) => `Job ${position}: no runbook ${uuid} in this solution`,
  /** Create or update refused: the messages travel in `details`. */
  invalid: 'Workspace schedule input is invalid',
  /** A managed schedule's jobs (or description, or failure policy) changed locally. */
  managedField: (key: string, integration: string, field: string) =>
    `Workspace schedule "${key}" is managed by integration "${integration}": its ${field} cannot be changed, only its cadence`,
  /** Reset of a schedule that has no integration cadence. */
  notManaged: (key: string) => `Workspace schedule "${key}" is not managed by an integration`,
  /** Activate / inactivate of a schedule of an Active feature. */
  followsFeature: (key: string, feature: string) =>
    `Workspace schedule "${key}" follows its feature "${feature}", which is Active: it cannot be activated or inactivated on its own`,
  /** A manual run of a job position the schedule does not have. */
  noSuchJob: (key: string, position: number, count: number) =>
    `Workspace schedule "${key}" has no job ${position} (it has ${count})`,
  /** A service (runbook) run of a runbook the solution does not have. */
  noService: (uuid: string) => `No runbook ${uuid} in this solution`,
  /** Sync refused before changing anything: the messages travel in `details`. */
  definitionInvalid: 'Integration definition is invalid',
} as const;

/** Exact messages of a run, in its history and as its failure (the workflow builds them). */
export const RunMessages = {
  /** The run's failure: the jobs that failed, those that ran, those never started. */
  errored: (failed: readonly string[], ran: readonly string[], notStarted: readonly string[]) =>
    `Workspace schedule run errored: ${failed.join(', ')} failed; ran: ${ran.length ? ran.join(', ') : 'none'}; not started: ${notStarted.length ? notStarted.join(', ') : 'none'}`,
  /** A job as the messages name it: `job 2 "Load" (sequence 2)`. */
  job: (position: number, name: string, sequence: number) =>
    `job ${position} "${name}" (sequence ${sequence})`,
  /** A job whose runbook workflow failed. */
  workflowFailed: (cause: string) => `Runbook workflow failed: ${cause}`,
  /** A run whose input was edited into something malformed. */
  invalidInput: (messages: readonly string[]) => `Invalid workspace run input: ${messages.join('; ')}`,
} as const;
