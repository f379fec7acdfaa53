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
}

/** Workflow type names, shared by the schedule action and the worker. */
export const WorkflowType = {
  ScheduledRun: 'scheduledRunWorkflow',
  Sweep: 'rearmSweepWorkflow',
  /** The child that POSTs a run correlated by its job context (`workflows/http-dispatch.ts`). */
  HttpDispatch: 'httpDispatchWorkflow',
} as const;
