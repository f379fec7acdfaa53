/**
 * The eight statuses of an instance (FEATURES.md B5), each mapped to one defined state of Temporal (the README's
 * table "Instances and their statuses"). Pure and free of Node built-ins: the run workflow upserts them.
 */

/** An instance's status, as operators read it (also the `RunbookInstanceStatus` search attribute). */
export const InstanceStatus = {
  /** The next occurrence of an active schedule: one per schedule, not started yet. */
  Queued: 'Queued',
  /** That next occurrence while the schedule is paused; resuming moves it back to `Queued`. */
  Paused: 'Paused',
  /** The run's workflow is running and its dispatch is being attempted. */
  InProgress: 'In progress',
  /** The run's workflow is running, its last dispatch attempt failed, and it waits out the retry backoff. */
  Blocked: 'Blocked',
  /** The run's workflow completed: the runbook accepted the fire (or refused it as a duplicate). */
  Succeeded: 'Succeeded',
  /** The run's workflow failed: `Runbook execution failed with status <status>` (A4). */
  Errored: 'Errored',
  /** An occurrence skipped by Abort or Stop (an abort record), or a run cancelled. */
  Aborted: 'Aborted',
  /** A finished instance that was resubmitted: a later instance links back to it. */
  Resubmitted: 'Resubmitted',
} as const;
/** An instance's status. */
export type InstanceStatus = (typeof InstanceStatus)[keyof typeof InstanceStatus];

/** Every status, in the README table's order. */
export const INSTANCE_STATUSES: readonly InstanceStatus[] = Object.values(InstanceStatus);
