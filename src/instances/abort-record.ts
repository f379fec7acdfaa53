/**
 * The abort record of an occurrence (FEATURES.md B6): what a `Queued` or `Paused` instance becomes when an
 * operator aborts it or its schedule is stopped. It is a short workflow of its own (`workflows/aborted-occurrence.ts`)
 * under the workflow id the occurrence's run would have had, so the aborted instance is listed, filtered
 * (`RunbookInstanceStatus = "Aborted"`) and read in the Temporal Web UI like any run; its input is the record.
 * Type-only and pure, shared by the client side and the workflow.
 */
import { formatUtcSeconds, idempotencyKey } from '../dispatch/payload';

/** What an abort record holds: the occurrence, the reason and who aborted it. */
export interface AbortRecord {
  readonly scheduleId: string;
  readonly solution: string;
  readonly reference: string;
  readonly runbookUuid: string;
  readonly generation: string;
  /** The occurrence instant that will never fire, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly occurrence: string;
  /** Why, e.g. `Instance aborted by alice` or `Instance aborted as schedule was stopped by alice`. */
  readonly reason: string;
  /** The user who aborted it (or stopped the schedule). */
  readonly user: string;
  /** When it was aborted, ISO 8601. */
  readonly abortedAt: string;
}

/** Workflow type of the abort record. */
export const ABORTED_OCCURRENCE_WORKFLOW = 'abortedOccurrenceWorkflow';

/** Exact abort reasons. */
export const AbortReasons = {
  /** An operator aborted a queued or paused instance. */
  byUser: (user: string) => `Instance aborted by ${user}`,
  /** Stop aborted the schedule's queued instance (FEATURES.md B1). */
  byStop: (user: string) => `Instance aborted as schedule was stopped by ${user}`,
  /** An operator cancelled a running instance. */
  cancelled: 'Scheduled run cancelled',
} as const;

/**
 * The workflow id of an occurrence's run, as Temporal's schedule names it: the action's workflow id
 * (`<schedule id>:<generation>`), `-`, the nominal instant in whole UTC seconds.
 */
export function occurrenceWorkflowId(scheduleId: string, generation: string, occurrence: Date): string {
  return `${scheduleId}:${generation}-${formatUtcSeconds(occurrence)}`;
}

/** The memo `instance` of an abort record. */
export function abortRecordMemo(record: AbortRecord): { instance: Record<string, unknown> } {
  return {
    instance: {
      type: 'Scheduled',
      submitter: record.user,
      triggered_at: record.occurrence,
      idempotency_key: idempotencyKey(record.scheduleId, record.generation, new Date(record.occurrence)),
      business_identifiers: {},
      resubmitted_from: null,
      aborted: { reason: record.reason, by: record.user },
    },
  };
}
