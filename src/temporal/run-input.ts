/**
 * Messages shared by the client side and the workflows: what a schedule's action passes to each run, and what
 * a run returns. Type-only imports, so workflow bundles stay free of zod and Node built-ins.
 */
import type { DispatchTarget } from '../catalog/model';
import type { JsonObject } from '../dispatch/payload';
import type { Recurrence } from '../recurrence';
import type { DispatchRetryPolicy } from '../config';

export type { DispatchRetryPolicy } from '../config';

/** Which trigger a schedule belongs to. */
export const ScheduleKind = {
  /** Owned by a runbook's Scheduler trigger (provisioned with the runbook). */
  Scheduler: 'scheduler',
  /** Created at runtime by Create Schedule for a Dynamic Scheduler runbook. */
  Dynamic: 'dynamic_scheduler',
} as const;
/** Which trigger a schedule belongs to. */
export type ScheduleKind = (typeof ScheduleKind)[keyof typeof ScheduleKind];

/** What kind of instance a run is (FEATURES.md B2, B4, B6); read through {@link instanceTypeOf}. */
export const InstanceType = {
  /** An occurrence of a recurring schedule, fired by Temporal. */
  Scheduled: 'Scheduled',
  /** The single occurrence of a `no_repeat` schedule. */
  Once: 'Once',
  /** Submitted by a caller outside the cadence (Run now): a workflow started directly, not by the schedule. */
  RunNow: 'RunNow',
  /** A finished instance run again; {@link ScheduledRunInput.resubmittedFrom} links back to it. */
  Resubmitted: 'Resubmitted',
} as const;
/** What kind of instance a run is. */
export type InstanceType = (typeof InstanceType)[keyof typeof InstanceType];

/** The durable operations of a schedule's lifecycle (FEATURES.md B1). */
export const ScheduleOperationKind = {
  Start: 'Start',
  Pause: 'Pause',
  Resume: 'Resume',
  Stop: 'Stop',
} as const;
/** A durable operation of a schedule's lifecycle. */
export type ScheduleOperationKind = (typeof ScheduleOperationKind)[keyof typeof ScheduleOperationKind];

/** One completed schedule operation, as recorded on the schedule (read with {@link completedOperations}). */
export interface ScheduleOperationRecord {
  readonly kind: ScheduleOperationKind;
  /** Who asked for it (the caller's user). */
  readonly user: string;
  /** When it was asked for, ISO 8601. */
  readonly requestedAt: string;
  /** When it took effect on the schedule, ISO 8601. */
  readonly completedAt: string;
}

/** The lifecycle bookkeeping a schedule carries in its run input (FEATURES.md B1). */
export interface ScheduleLifecycle {
  /** The most recent completed operations, oldest first, at most {@link MAX_RECORDED_OPERATIONS}. */
  readonly operations: readonly ScheduleOperationRecord[];
  /** When a pending operation of this schedule was last retried, ISO 8601 (Retry is refused within 10 minutes). */
  readonly lastRetryAt?: string;
}

/** How many completed operations a schedule keeps (the oldest are dropped first). */
export const MAX_RECORDED_OPERATIONS = 20;

/** Everything a run needs, carried in the schedule's action arguments (updated in place by Update Schedule). */
export interface ScheduledRunInput {
  readonly scheduleId: string;
  readonly kind: ScheduleKind;
  readonly solution: string;
  readonly reference: string;
  readonly runbookUuid: string;
  /** Fresh on every Create, so run ids and idempotency keys of a re-created reference never collide. */
  readonly generation: string;
  readonly recurrence: Recurrence;
  readonly requestBody?: JsonObject;
  readonly target: DispatchTarget;
  /** Dynamic Scheduler runbooks: the dot path of the job context identifier. */
  readonly jobContextIdentifierPath?: string;
  readonly retry: DispatchRetryPolicy;
  /**
   * Changes with every write of the schedule, so the writer can read it back and see that its write took
   * (Temporal drops a write with a stale conflict token without an error). Runs ignore it.
   */
  readonly revision?: string;
  /**
   * The first occurrence (ISO 8601) whose run re-arms the schedule, written with every spec: a rolling window's
   * middle instant, a native interval spec's last occurrence when it ends, null when no run needs to re-arm (a
   * native interval spec that never ends). Absent in schedules written before it: their runs re-arm every fire.
   */
  readonly rearmFrom?: string | null;
  /**
   * The submitting user (FEATURES.md B8): who started the schedule (or created it), or submitted this run. The
   * run executes as this user and its dispatched request carries it. Absent in schedules written before it
   * existed: read through {@link submitterOf}.
   */
  readonly submittedBy?: string;
  /**
   * The parameter values in force (FEATURES.md B3), name to value: the runbook's defaults overridden by the
   * values given at Start or Run now. Absent when the runbook declares none (and in older schedules).
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * What kind of instance this run is. Absent on a schedule's own action: its occurrences are `Scheduled` (or
   * `Once` for `no_repeat`); read through {@link instanceTypeOf}.
   */
  readonly instanceType?: InstanceType;
  /** Resubmitted instances: the workflow id of the instance this one runs again. */
  readonly resubmittedFrom?: string;
  /** The `request_body` keys the runbook declares as business identifiers (FEATURES.md B5). */
  readonly businessIdentifierKeys?: readonly string[];
  /** Resubmitted instances: the original occurrence's `triggered_at`, which the run dispatches again. */
  readonly triggeredAt?: string;
  /** Resubmitted instances: an idempotency key of their own, so receivers see a distinct delivery. */
  readonly idempotencyKey?: string;
  /**
   * The schedule's lifecycle bookkeeping (completed operations, last retry), kept on the schedule's action by
   * the schedule operations (`src/operations/`). Runs ignore it; read it with {@link completedOperations}.
   */
  readonly lifecycle?: ScheduleLifecycle;
}

/** The instance type of a run input; inputs written before the field read as their schedule's own occurrences. */
export function instanceTypeOf(input: Pick<ScheduledRunInput, 'instanceType' | 'recurrence'>): InstanceType {
  if (input.instanceType !== undefined) return input.instanceType;
  return input.recurrence.frequency === 'no_repeat' ? InstanceType.Once : InstanceType.Scheduled;
}

/** The submitting user of a run input, or null for schedules written before the field existed. */
export function submitterOf(input: Pick<ScheduledRunInput, 'submittedBy'>): string | null {
  return input.submittedBy ?? null;
}

/**
 * The completed operations recorded on a schedule's run input (as read from `StoredSchedule.input`, or a run's
 * own input: what had been recorded when it started), oldest first; empty for schedules written before.
 * `instances` reads it for the activity stream of a queued instance (`Schedule paused`, `Schedule resumed`).
 */
export function completedOperations(
  input: Pick<ScheduledRunInput, 'lifecycle'>,
): readonly ScheduleOperationRecord[] {
  return input.lifecycle?.operations ?? [];
}

/**
 * The activity stream milestone of a completed operation: `Schedule paused`, `Schedule resumed`,
 * `Schedule started`, `Schedule stopped`.
 */
export function operationMilestone(kind: ScheduleOperationKind): string {
  const verbs: Record<ScheduleOperationKind, string> = {
    Start: 'started',
    Pause: 'paused',
    Resume: 'resumed',
    Stop: 'stopped',
  };
  return `Schedule ${verbs[kind]}`;
}

/** Outcome of one run, as its workflow result. */
export interface ScheduledRunResult {
  readonly status: 'succeeded' | 'duplicate';
  readonly triggeredAt: string;
  readonly idempotencyKey: string;
  readonly httpStatus?: number;
  readonly jobContextIdentifier: string | null;
  /**
   * `Unable to determine job context identifier. <ErrorName>: <message>` when resolving the path failed (the run
   * went on without an identifier), else null. Absent in results of runs recorded before it existed.
   */
  readonly jobContextError?: string | null;
  /** Workflow targets: the id of the started runbook workflow. */
  readonly runbookWorkflowId?: string;
}

/** Immutable facts about a schedule, kept in its memo. */
export interface ScheduleMemo {
  readonly product: 'runbook-scheduler';
  readonly kind: ScheduleKind;
  readonly solution: string;
  readonly reference: string;
  readonly runbookUuid: string;
  readonly generation: string;
  readonly createdAt: string;
  /**
   * How the memo carries the request body for listings (`schedule-listing.ts`), set at create (the body never
   * changes): `inline` when `requestBody` is the body, or its absence means none (Temporal drops a null memo
   * value); `too_large` when it was too large to copy. Absent in memos written before the copy existed: a
   * listing describes those.
   */
  readonly requestBodyInMemo?: 'inline' | 'too_large';
  /** The request body, when `requestBodyInMemo` is `inline` and the schedule has one. */
  readonly requestBody?: JsonObject;
  /**
   * What the run input was at create, less what the memo holds already, so a run input overwritten by a write
   * meant for a deleted generation of the reference can be restored (`generation-restore.ts`). Absent in memos
   * written before it existed.
   */
  readonly createdWith?: CreatedWith;
}

/**
 * The run input of a new schedule as its memo records it. The target (whose headers may hold secrets) and a body
 * too large for the memo are recorded as SHA-256 digests: a restore keeps the overwritten input's only if equal.
 */
export interface CreatedWith {
  readonly recurrence: Recurrence;
  readonly retry: DispatchRetryPolicy;
  /** SHA-256 (hex) of the target's canonical JSON. */
  readonly targetSha256: string;
  /** SHA-256 (hex) of the request body's canonical JSON, when the body is too large for the memo. */
  readonly requestBodySha256?: string;
  readonly jobContextIdentifierPath?: string;
  readonly businessIdentifierKeys?: readonly string[];
  readonly parameters?: Readonly<Record<string, string>>;
  readonly submittedBy?: string;
}

/** Workflow type names, shared by the schedule action and the worker. */
export const WorkflowType = {
  ScheduledRun: 'scheduledRunWorkflow',
  Sweep: 'rearmSweepWorkflow',
  /** The child that POSTs a run correlated by its job context (`workflows/http-dispatch.ts`). */
  HttpDispatch: 'httpDispatchWorkflow',
  /** One schedule node's long-lived workflow (`workflows/schedule-node.ts`, FEATURES.md D1-D5). */
  ScheduleNode: 'scheduleNodeWorkflow',
  /** One durable Start, Pause, Resume or Stop of a schedule (`workflows/schedule-operation.ts`). */
  ScheduleOperation: 'scheduleOperationWorkflow',
} as const;

/** The failure message of a run whose input is malformed. */
export function invalidRunInputMessage(messages: readonly string[]): string {
  return `Invalid scheduled run input: ${messages.join('; ')}`;
}

/** Outcome of `checkScheduledRunInput` (`run-input-schema.ts`). */
export type RunInputCheck =
  | { readonly success: true; readonly input: ScheduledRunInput }
  | { readonly success: false; readonly messages: string[] };
