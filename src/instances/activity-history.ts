/**
 * Reads an instance's workflow history from Temporal for its activity stream (FEATURES.md B7): each event the
 * stream maps (`activity-stream.ts`), its payloads decoded through the client's data converter (the payload codec
 * decrypts them), reduced to a {@link RunEvent}. Thin: what an event means is decided in the pure module.
 */
import type { Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError, type LoadedDataConverter } from '@temporalio/common';
import {
  decodeArrayFromPayloads,
  decodeOptionalFailureToOptionalError,
} from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import type { HttpDispatchRequest } from '../dispatch/request';
import { WorkflowType } from '../temporal/run-input';
import type { AbortRecord } from './abort-record';
import { cancelledByOf, CANCELLED_BY_SIGNAL } from './cancel-signal';
import type { RunEvent } from './activity-stream';

/** The `dispatchHttp` activity's type name. */
const DISPATCH_ACTIVITY = 'dispatchHttp';

/** An instance's history: its workflow type, and its record (abort records) or its run's events. */
export interface InstanceHistory {
  readonly workflowType: string;
  readonly events: RunEvent[];
  /** The abort record's input, for an abort record. */
  readonly record?: AbortRecord;
}

type Event = temporal.api.history.v1.IHistoryEvent;

/** The history of instance `workflowId`, or undefined when Temporal has no such workflow. */
export async function readInstanceHistory(
  client: Client,
  workflowId: string,
): Promise<InstanceHistory | undefined> {
  let events: Event[];
  try {
    events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  return await decodeInstanceHistory(events, client.options.loadedDataConverter);
}

/**
 * The events of a recorded history reduced to what the stream reads, payloads decoded through `converter`. Reads
 * histories of every version: a dispatch result without an answer (recorded before answers were kept) is read
 * as it is, and `activity-stream.ts` then offers no `response`.
 */
export async function decodeInstanceHistory(
  events: readonly Event[],
  converter: LoadedDataConverter,
): Promise<InstanceHistory> {
  const decode = async (payloads: temporal.api.common.v1.IPayloads | null | undefined) =>
    await decodeArrayFromPayloads(converter, payloads?.payloads ?? []);
  const failure = async (proto: temporal.api.failure.v1.IFailure | null | undefined) =>
    await decodeOptionalFailureToOptionalError(converter, proto ?? undefined);
  const workflowType =
    events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? WorkflowType.ScheduledRun;
  const dispatches = new Set<string>();
  const out: RunEvent[] = [];
  let record: AbortRecord | undefined;
  for (const event of events) {
    const time = isoTime(event.eventTime);
    const id = String(event.eventId);
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      const [input] = await decode(started.input);
      if (workflowType === WorkflowType.ScheduledRun) out.push({ kind: 'started', time, input });
      else record = input as AbortRecord;
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === DISPATCH_ACTIVITY) {
      dispatches.add(id);
      const [http] = await decode(scheduled.input);
      out.push({ kind: 'dispatch_scheduled', time, http: http as HttpDispatchRequest });
    }
    const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child) {
      dispatches.add(id);
      const [arg] = await decode(child.input);
      const type = child.workflowType?.name ?? '';
      out.push(
        type === WorkflowType.HttpDispatch
          ? { kind: 'dispatch_scheduled', time, http: (arg as { request: HttpDispatchRequest }).request }
          : {
              kind: 'dispatch_scheduled',
              time,
              workflow: { workflow_type: type, workflow_id: child.workflowId ?? '', body: arg },
            },
      );
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed && dispatches.has(String(completed.scheduledEventId))) {
      out.push({ kind: 'dispatch_completed', time, result: (await decode(completed.result))[0] });
    }
    const childDone = event.childWorkflowExecutionCompletedEventAttributes;
    if (childDone && dispatches.has(String(childDone.initiatedEventId))) {
      out.push({ kind: 'dispatch_completed', time, result: (await decode(childDone.result))[0] });
    }
    const failed = event.activityTaskFailedEventAttributes;
    const childFailed = event.childWorkflowExecutionFailedEventAttributes;
    const dispatchFailure =
      failed && dispatches.has(String(failed.scheduledEventId))
        ? failed.failure
        : childFailed && dispatches.has(String(childFailed.initiatedEventId))
          ? childFailed.failure
          : undefined;
    if (dispatchFailure) {
      const error = applicationFailureIn(await failure(dispatchFailure));
      out.push({
        kind: 'dispatch_failed',
        time,
        message: error?.message ?? dispatchFailure.message ?? '',
        details: error?.details?.[0],
      });
    }
    const signaled = event.workflowExecutionSignaledEventAttributes;
    if (signaled?.signalName === CANCELLED_BY_SIGNAL) {
      const [arg] = await decode(signaled.input);
      const cancel = cancelledByOf(arg);
      if (cancel) out.push({ kind: 'cancelled_by', time, user: cancel.by, reason: cancel.reason });
    }
    const cancelRequested = event.workflowExecutionCancelRequestedEventAttributes;
    if (cancelRequested) out.push({ kind: 'cancel_requested', time, reason: cancelRequested.cause ?? '' });
    const done = event.workflowExecutionCompletedEventAttributes;
    if (done && workflowType === WorkflowType.ScheduledRun) {
      out.push({ kind: 'completed', time, result: (await decode(done.result))[0] });
    }
    const runFailed = event.workflowExecutionFailedEventAttributes;
    if (runFailed) {
      const error = await failure(runFailed.failure);
      out.push({ kind: 'failed', time, message: error?.message ?? runFailed.failure?.message ?? '' });
    }
    if (event.workflowExecutionCanceledEventAttributes) out.push({ kind: 'cancelled', time });
    const terminated = event.workflowExecutionTerminatedEventAttributes;
    if (terminated) out.push({ kind: 'terminated', time, reason: terminated.reason ?? '' });
    if (event.workflowExecutionTimedOutEventAttributes) out.push({ kind: 'timed_out', time });
  }
  return { workflowType, events: out, ...(record ? { record } : {}) };
}

/**
 * An event's time, ISO 8601. Seconds may be a number or a Long of any protobufjs copy (histories read from a
 * file carry another copy's), so they are read through their decimal text.
 */
function isoTime(time: temporal.api.history.v1.IHistoryEvent['eventTime']): string {
  const seconds = Number(String(time?.seconds ?? 0));
  return new Date(seconds * 1000 + Math.floor((time?.nanos ?? 0) / 1e6)).toISOString();
}

/** The innermost application failure of a chain (child workflow, activity, application), if any. */
function applicationFailureIn(error: Error | undefined): ApplicationFailure | undefined {
  let cause: unknown = error;
  let found: ApplicationFailure | undefined;
  while (cause instanceof Error) {
    if (cause instanceof ApplicationFailure) found = cause;
    cause = cause.cause;
  }
  return found;
}
