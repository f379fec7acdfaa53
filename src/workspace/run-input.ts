/**
 * Messages shared by the workspace service and its workflow: what a workspace schedule's action passes to each
 * run (kept in the schedule's action arguments, so it changes with every edit and a sync), and what a run
 * returns. Type-only imports, so the workflow bundle stays free of Node built-ins.
 */
import type { DispatchTarget } from '../catalog/model';
import type { DispatchRetryPolicy } from '../config';
import type { JsonObject } from '../dispatch/payload';
import type { Recurrence } from '../recurrence';
import type { Cadence } from './cadence';
import type { FailurePolicy, FeatureStatus, JobKind } from './model';

/** Workflow type of a workspace schedule's runs. */
export const WORKSPACE_RUN_WORKFLOW = 'workspaceRunWorkflow';

/** One job as a run is given it: the runbook's name and target resolved when the schedule was written. */
export interface WorkspaceJob {
  readonly name: string;
  readonly runbookUuid: string;
  readonly kind: JobKind;
  readonly sequence: number;
  readonly skipWait: boolean;
  readonly target: DispatchTarget;
}

/** What the integration owns of a managed schedule. */
export interface ManagedInfo {
  readonly integration: string;
  readonly feature: string;
  readonly featureName?: string;
  readonly featureStatus: FeatureStatus;
  /** The integration's cadence, to reset to; the schedule's own may differ when changed locally. */
  readonly cadence: Cadence;
  /** True when the schedule's cadence was changed locally: later syncs keep it. */
  readonly locallyModified: boolean;
}

/** Everything a run needs: what the workflow reads of a schedule's record (and all a service run has). */
export interface WorkspaceRunInput {
  /** The schedule's id (a service run: its own id prefix), part of every idempotency key. */
  readonly scheduleId: string;
  readonly solution: string;
  /** The schedule's key in its solution (`<integration>~<schedule id>` when managed). */
  readonly key: string;
  /** Fresh on every create, so run ids and idempotency keys of a re-created key never collide. */
  readonly generation: string;
  readonly jobs: readonly WorkspaceJob[];
  readonly failurePolicy: FailurePolicy;
  readonly requestBody?: JsonObject;
  readonly retry: DispatchRetryPolicy;
  /** Changes with every write, so the writer can read it back and see that its write took. Runs ignore it. */
  readonly revision?: string;
}

/** A workspace schedule's record of itself, kept in its action arguments (so each run is given it). */
export interface WorkspaceScheduleRecord extends WorkspaceRunInput {
  readonly description: string;
  readonly cadence: Cadence;
  readonly recurrence: Recurrence;
  /** False when inactivated (the schedule is then paused). */
  readonly active: boolean;
  readonly managed: ManagedInfo | null;
}

/** How a run was asked for beyond its schedule's input. */
export interface WorkspaceRunOptions {
  /** Run only the job at this position (1-based), at once: a manual run of one job. */
  readonly only?: number;
}

/** What happened to one job of a run. */
export interface JobOutcome {
  readonly position: number;
  readonly name: string;
  readonly runbookUuid: string;
  readonly sequence: number;
  readonly skipWait: boolean;
  /** `not_started`: a job of a group after a failure, under the `stop` policy. */
  readonly status: 'succeeded' | 'failed' | 'duplicate' | 'not_started';
  readonly idempotencyKey: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly httpStatus?: number;
  readonly workflowId?: string;
  /** `Runbook execution failed with status <status>` for a failed job. */
  readonly error?: string;
}

/** Outcome of a run in which no job failed (a run with a failed job fails, with these in its details). */
export interface WorkspaceRunResult {
  readonly status: 'succeeded';
  readonly triggeredAt: string;
  readonly jobs: readonly JobOutcome[];
}
