/**
 * The activity stream of an instance (FEATURES.md B7), pure: the milestones of its run, mapped from the run's
 * event history (decoded by `activity-history.ts`), and the schedule operations that touched it while it was
 * queued, each with its time; and the dispatched request and the runbook's answer it recorded. No I/O.
 *
 * Milestones, exact: `Scheduled run is triggered` (the run's workflow started), `Scheduled run started
 * processing` (its dispatch was sent, the request viewable), `Schedule paused` / `Schedule resumed` (and
 * `Schedule started` / `Schedule stopped`), `Dispatch attempt failed` (an attempt the run retries),
 * `Processing completed successfully` (or `Run refused as a duplicate`), `Processing failed` (the A4 message),
 * `Cancellation requested` and `Instance aborted` (with the reason and who).
 */
import {
  requestView,
  type HttpDispatchRequest,
  type RequestView,
  type RunbookAnswer,
} from '../dispatch/request';
import { AbortReasons, type AbortRecord } from './abort-record';
import {
  completedOperations,
  operationMilestone,
  type ScheduleOperationRecord,
  type ScheduledRunInput,
} from '../temporal/run-input';

/** The exact milestone texts of the stream. */
export const Milestones = {
  triggered: 'Scheduled run is triggered',
  started: 'Scheduled run started processing',
  attemptFailed: 'Dispatch attempt failed',
  completed: 'Processing completed successfully',
  duplicate: 'Run refused as a duplicate',
  failed: 'Processing failed',
  cancelRequested: 'Cancellation requested',
  aborted: 'Instance aborted',
} as const;

/** What a milestone lets operators view or download. */
export type PayloadKind = 'request' | 'response';

/** One entry of the stream. */
export interface ActivityEntry {
  /** When, ISO 8601. */
  readonly time: string;
  readonly milestone: string;
  /** Failures and aborts: the message or reason. */
  readonly reason: string | null;
  /** Who did it: the submitting user, the operator of an operation, abort or cancel; null when unknown. */
  readonly by: string | null;
  /** The payloads this milestone has to view or download. */
  readonly payloads: PayloadKind[];
}

/** A workflow-target dispatch: the runbook workflow started with the body. */
export interface WorkflowDispatch {
  readonly workflow_type: string;
  readonly workflow_id: string;
  readonly body: unknown;
}

/** A run's history event, decoded and reduced to what the stream reads. `time` is ISO 8601. */
export type RunEvent =
  | { readonly kind: 'started'; readonly time: string; readonly input: unknown }
  | {
      readonly kind: 'dispatch_scheduled';
      readonly time: string;
      readonly http?: HttpDispatchRequest;
      readonly workflow?: WorkflowDispatch;
    }
  | { readonly kind: 'dispatch_completed'; readonly time: string; readonly result: unknown }
  | {
      readonly kind: 'dispatch_failed';
      readonly time: string;
      readonly message: string;
      readonly details: unknown;
    }
  | { readonly kind: 'cancelled_by'; readonly time: string; readonly user: string; readonly reason: string }
  | { readonly kind: 'cancel_requested'; readonly time: string; readonly reason: string }
  | { readonly kind: 'completed'; readonly time: string; readonly result: unknown }
  | { readonly kind: 'failed'; readonly time: string; readonly message: string }
  | { readonly kind: 'cancelled'; readonly time: string }
  | { readonly kind: 'terminated'; readonly time: string; readonly reason: string }
  | { readonly kind: 'timed_out'; readonly time: string };

/** The window of schedule operations that touched a queued instance: completed after `after`, up to `until`. */
export interface OperationWindow {
  readonly operations: readonly ScheduleOperationRecord[];
  /** The previous occurrence's instant (exclusive), or null for the schedule's first. */
  readonly after: string | null;
  /** When the instance stopped being queued (its run started, or it was aborted), or null while it is queued. */
  readonly until: string | null;
}

const entry = (
  time: string,
  milestone: string,
  extra: Partial<Omit<ActivityEntry, 'time' | 'milestone'>> = {},
): ActivityEntry => ({ time, milestone, reason: null, by: null, payloads: [], ...extra });

/** The operations of the window as entries: `Schedule paused`, `Schedule resumed`, ... each naming its user. */
export function operationEntries(window: OperationWindow): ActivityEntry[] {
  const at = (iso: string) => Date.parse(iso);
  return window.operations
    .filter(
      (op) =>
        (window.after === null || at(op.completedAt) > at(window.after)) &&
        (window.until === null || at(op.completedAt) <= at(window.until)),
    )
    .map((op) => entry(op.completedAt, operationMilestone(op.kind), { by: op.user }));
}

/**
 * The schedule operations a run's own input recorded (what had completed when it started), or undefined when the
 * history has no run input (an abort record, a run of a schedule written before operations were recorded).
 */
export function operationsInRun(events: readonly RunEvent[]): readonly ScheduleOperationRecord[] | undefined {
  const started = events.find((event) => event.kind === 'started');
  const input = started?.input as Pick<ScheduledRunInput, 'lifecycle'> | null | undefined;
  return input?.lifecycle ? completedOperations(input) : undefined;
}

/** The entry of an abort record: `Instance aborted` with its reason and user. */
export function abortRecordEntry(record: AbortRecord): ActivityEntry {
  return entry(record.abortedAt, Milestones.aborted, { reason: record.reason, by: record.user });
}

function answerOf(value: unknown): RunbookAnswer | undefined {
  const answer = (value as { answer?: unknown } | null | undefined)?.answer;
  return typeof answer === 'object' && answer !== null ? (answer as RunbookAnswer) : undefined;
}

function answerIn(events: readonly RunEvent[]): RunbookAnswer | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.kind === 'dispatch_completed') return answerOf(event.result);
    if (event.kind === 'dispatch_failed') return answerOf(event.details);
  }
  return undefined;
}

/** The submitting user a run's input names (the run executes as this user), or null. */
function submitterIn(events: readonly RunEvent[]): string | null {
  const started = events.find((event) => event.kind === 'started');
  const input = started?.input as Pick<ScheduledRunInput, 'submittedBy'> | null | undefined;
  return typeof input?.submittedBy === 'string' ? input.submittedBy : null;
}

/**
 * The entries of a run's history, in the order Temporal recorded them. The run's own milestones name the
 * submitting user it executes as; a cancel names the user who cancelled it.
 */
export function runEntries(events: readonly RunEvent[]): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  const response: PayloadKind[] = answerIn(events) !== undefined ? ['response'] : [];
  const by = submitterIn(events);
  let cancelledBy: string | null = null;
  let cancelReason: string | null = null;
  let dispatched = false;
  events.forEach((event, index) => {
    switch (event.kind) {
      case 'started':
        entries.push(entry(event.time, Milestones.triggered, { by }));
        return;
      case 'dispatch_scheduled':
        if (!dispatched) entries.push(entry(event.time, Milestones.started, { by, payloads: ['request'] }));
        dispatched = true;
        return;
      case 'dispatch_failed':
        // The last attempt's failure is the run's own; earlier ones were retried.
        if (events.slice(index + 1).some((later) => later.kind === 'dispatch_scheduled')) {
          entries.push(entry(event.time, Milestones.attemptFailed, { reason: event.message, by }));
        }
        return;
      case 'cancelled_by':
        cancelledBy = event.user;
        cancelReason = event.reason;
        return;
      case 'cancel_requested':
        cancelReason = cancelReason ?? (event.reason || null);
        entries.push(
          entry(event.time, Milestones.cancelRequested, { reason: cancelReason, by: cancelledBy }),
        );
        return;
      case 'completed': {
        const duplicate = (event.result as { status?: string } | null)?.status === 'duplicate';
        const milestone = duplicate ? Milestones.duplicate : Milestones.completed;
        entries.push(entry(event.time, milestone, { by, payloads: response }));
        return;
      }
      case 'failed':
        entries.push(entry(event.time, Milestones.failed, { reason: event.message, by, payloads: response }));
        return;
      case 'cancelled':
        entries.push(
          entry(event.time, Milestones.aborted, {
            reason: cancelReason ?? AbortReasons.cancelled,
            by: cancelledBy,
          }),
        );
        return;
      case 'terminated':
        entries.push(entry(event.time, Milestones.failed, { reason: `Run terminated: ${event.reason}` }));
        return;
      case 'timed_out':
        entries.push(entry(event.time, Milestones.failed, { reason: 'Run timed out' }));
        return;
      case 'dispatch_completed':
        return;
    }
  });
  return entries;
}

/** The stream: entries of the run (or abort record) and of the operations in its window, oldest first. */
export function activityStream(parts: {
  readonly events?: readonly RunEvent[];
  readonly record?: AbortRecord;
  readonly window?: OperationWindow;
}): ActivityEntry[] {
  const all = [
    ...(parts.window ? operationEntries(parts.window) : []),
    ...(parts.record ? [abortRecordEntry(parts.record)] : []),
    ...runEntries(parts.events ?? []),
  ];
  // Stable: entries of one instant keep the order above (operations before the run they preceded).
  return all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => Date.parse(a.e.time) - Date.parse(b.e.time) || a.i - b.i)
    .map(({ e }) => e);
}

/** The request a run dispatched (its first attempt's; every attempt sends the same), or undefined. */
export function dispatchedRequest(events: readonly RunEvent[]): RequestView | WorkflowDispatch | undefined {
  for (const event of events) {
    if (event.kind !== 'dispatch_scheduled') continue;
    if (event.http) return requestView(event.http);
    if (event.workflow) return event.workflow;
  }
  return undefined;
}

/** The runbook's last answer the run recorded, its body parsed when it is JSON; undefined when none was. */
export function runbookAnswer(
  events: readonly RunEvent[],
): (Omit<RunbookAnswer, 'body'> & { body: unknown }) | undefined {
  const answer = answerIn(events);
  if (!answer) return undefined;
  const json = /\bjson\b/i.test(answer.content_type ?? '') && !answer.truncated;
  if (!json) return answer;
  try {
    return { ...answer, body: JSON.parse(answer.body) as unknown };
  } catch {
    return answer;
  }
}
