/**
 * Instances of a schedule (FEATURES.md B5): every run and abort record of its reference in its solution, read
 * from Temporal's visibility store, plus the occurrence it has queued; each with its status (the README table
 * "Instances and their statuses"), filtered by status and occurrence time, newest first, paged.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { formatUtcSeconds, idempotencyKey } from '../dispatch/payload';
import { instanceTypeOf, submitterOf, WorkflowType } from '../temporal/run-input';
import { equalityClause, scopeClause } from '../temporal/runs';
import type { StoredSchedule } from '../temporal/schedule-gateway';
import {
  INSTANCE_STATUS,
  JOB_CONTEXT,
  REFERENCE,
  SCHEDULED_START_TIME,
  SOLUTION,
} from '../temporal/search-attributes';
import { ABORTED_OCCURRENCE_WORKFLOW, occurrenceWorkflowId } from './abort-record';
import { queuedOccurrenceOf } from './abort';
import { InstanceStatus } from './status';
import { ScheduleState, scheduleState } from '../operations/lifecycle';

/** Most executions one listing reads from visibility. */
export const MAX_SCANNED_INSTANCES = 10_000;

/** One instance as operators see it. */
export interface InstanceView {
  /** The instance's idempotency key: unique per instance, also across resubmissions of one occurrence. */
  readonly primary_identifier: string;
  /** The workflow id of its run or abort record (for a queued instance, the id its run will have). */
  readonly instance_id: string;
  readonly status: InstanceStatus;
  /** `Scheduled`, `Once`, `RunNow`, `Resubmitted`. */
  readonly type: string;
  /** The occurrence instant, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly triggered_at: string;
  readonly business_identifiers: Record<string, string>;
  readonly submitter: string | null;
  readonly started_at: string | null;
  readonly closed_at: string | null;
  readonly duration_ms: number | null;
  /** Aborted: why and by whom. */
  readonly aborted: { readonly reason: string; readonly by: string | null } | null;
  /** A resubmitted instance: the instance it runs again. */
  readonly resubmitted_from: string | null;
  /** A `Resubmitted` instance: the instances that run it again. */
  readonly resubmitted_as: string[];
}

/** The memo `instance` a run upserts (`workflows/instance-status.ts`) or an abort record starts with. */
export interface InstanceMemo {
  readonly type?: string;
  readonly submitter?: string | null;
  readonly triggered_at?: string;
  readonly idempotency_key?: string;
  readonly business_identifiers?: Record<string, string>;
  readonly resubmitted_from?: string | null;
  readonly aborted?: { reason: string; by: string | null };
}

/** The visibility query of a reference's instances in a solution (narrowed by {@link scopeClause}). */
export function instancesQuery(solution: string, reference: string): string {
  const types = `(${equalityClause('WorkflowType', WorkflowType.ScheduledRun)} OR ${equalityClause('WorkflowType', ABORTED_OCCURRENCE_WORKFLOW)})`;
  return [types, scopeClause(solution, reference)].filter((clause) => clause !== undefined).join(' AND ');
}

/** The status of an execution from its attribute, or (runs recorded before it) from its execution status. */
export function executionStatus(
  info: Pick<WorkflowExecutionInfo, 'status' | 'typedSearchAttributes'>,
): InstanceStatus {
  const tagged = info.typedSearchAttributes.get(INSTANCE_STATUS);
  if (tagged !== undefined && (Object.values(InstanceStatus) as string[]).includes(tagged)) {
    // A run that ended while its attribute said otherwise (terminated, timed out) reads as it ended.
    if (info.status.name === 'RUNNING' || tagged !== InstanceStatus.InProgress)
      return tagged as InstanceStatus;
  }
  switch (info.status.name) {
    case 'RUNNING':
      return InstanceStatus.InProgress;
    case 'COMPLETED':
      return InstanceStatus.Succeeded;
    case 'CANCELLED':
      return InstanceStatus.Aborted;
    default:
      return InstanceStatus.Errored;
  }
}

function viewOf(info: WorkflowExecutionInfo): InstanceView {
  const memo = (info.memo as { instance?: InstanceMemo } | undefined)?.instance ?? {};
  const triggered =
    memo.triggered_at ??
    formatUtcSeconds(info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime);
  const identifier = info.typedSearchAttributes.get(JOB_CONTEXT);
  const isRecord = info.type === ABORTED_OCCURRENCE_WORKFLOW;
  const status = isRecord ? InstanceStatus.Aborted : executionStatus(info);
  return {
    primary_identifier: memo.idempotency_key ?? info.workflowId,
    instance_id: info.workflowId,
    status,
    type: memo.type ?? 'Scheduled',
    triggered_at: triggered,
    business_identifiers:
      memo.business_identifiers ?? (identifier ? { job_context_identifier: identifier } : {}),
    submitter: memo.submitter ?? null,
    started_at: isRecord ? null : info.startTime.toISOString(),
    closed_at: isRecord ? null : (info.closeTime?.toISOString() ?? null),
    duration_ms: !isRecord && info.closeTime ? info.closeTime.getTime() - info.startTime.getTime() : null,
    aborted:
      memo.aborted ??
      (status === InstanceStatus.Aborted ? { reason: 'Scheduled run cancelled', by: null } : null),
    resubmitted_from: memo.resubmitted_from ?? null,
    resubmitted_as: [],
  };
}

/**
 * The instance a schedule has queued (`Queued`, or `Paused` while it is paused), or undefined: a `Stopped`
 * schedule queues nothing (Stop aborted its queued instance; Start queues the next one from then).
 */
export function queuedInstance(stored: StoredSchedule, now: Date): InstanceView | undefined {
  if (scheduleState(stored.paused, stored.input, undefined) === ScheduleState.Stopped) return undefined;
  const occurrence = queuedOccurrenceOf(stored, now);
  if (occurrence === null) return undefined;
  return {
    primary_identifier: idempotencyKey(stored.scheduleId, stored.memo.generation, occurrence),
    instance_id: occurrenceWorkflowId(stored.scheduleId, stored.memo.generation, occurrence),
    status: stored.paused ? InstanceStatus.Paused : InstanceStatus.Queued,
    type: instanceTypeOf(stored.input),
    triggered_at: formatUtcSeconds(occurrence),
    business_identifiers: {},
    submitter: submitterOf(stored.input),
    started_at: null,
    closed_at: null,
    duration_ms: null,
    aborted: null,
    resubmitted_from: null,
    resubmitted_as: [],
  };
}

/**
 * Every instance of a reference in a solution, newest occurrence first: its runs (of every generation) and abort
 * records, with an original that a later instance resubmitted read `Resubmitted`; and, first, the queued one.
 */
export async function listInstances(
  client: Client,
  solution: string,
  reference: string,
  queued: InstanceView | undefined,
): Promise<InstanceView[]> {
  const views: InstanceView[] = [];
  for await (const info of client.workflow.list({ query: instancesQuery(solution, reference) })) {
    const attributes = info.typedSearchAttributes;
    if (attributes.get(SOLUTION) !== solution || attributes.get(REFERENCE) !== reference) continue;
    views.push(viewOf(info));
    if (views.length >= MAX_SCANNED_INSTANCES) break;
  }
  const resubmissions = new Map<string, string[]>();
  for (const view of views) {
    if (view.resubmitted_from === null) continue;
    resubmissions.set(view.resubmitted_from, [
      ...(resubmissions.get(view.resubmitted_from) ?? []),
      view.instance_id,
    ]);
  }
  const resolved = views.map((view) => {
    const as = resubmissions.get(view.instance_id);
    if (!as) return view;
    const finished = view.status !== InstanceStatus.InProgress && view.status !== InstanceStatus.Blocked;
    return { ...view, resubmitted_as: as, status: finished ? InstanceStatus.Resubmitted : view.status };
  });
  resolved.sort(
    (a, b) =>
      b.triggered_at.localeCompare(a.triggered_at) || (b.started_at ?? '').localeCompare(a.started_at ?? ''),
  );
  const known = new Set(resolved.map((view) => view.instance_id));
  return queued && !known.has(queued.instance_id) ? [queued, ...resolved] : resolved;
}
