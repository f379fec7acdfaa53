/**
 * One fire of a schedule: dispatch the runbook with durable retries, re-arm the schedule's window when it nears
 * its end, record the outcome. The run's event history is the activity stream operators read in the Temporal Web UI.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  executeChild,
  patched,
  isCancellation,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  log,
  proxyActivities,
  defineSignal,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type * as activities from '../activities';
import { dispatchHttpActivity, httpDispatchWorkflow } from './http-dispatch';
import {
  dispatchWithVisibleBackoff,
  markStatus,
  recordCancellation,
  upsertInstanceMemo,
} from './instance-status';
import { CANCELLED_BY_SIGNAL, cancelledByOf, type CancelledBy } from '../src/instances/cancel-signal';
import { InstanceStatus } from '../src/instances/status';
import {
  buildDispatchPayload,
  hasRunContext,
  idempotencyKey,
  type RunContext,
} from '../src/dispatch/payload';
import { boundedIdentifier, resolveJobContextIdentifier } from '../src/dispatch/job-context';
import { dispatchFailureMessage } from '../src/dispatch/outcome';
import {
  invalidRunInputMessage,
  type RunInputCheck,
  type ScheduledRunInput,
  type ScheduledRunResult,
} from '../src/temporal/run-input';
import { isAcceptedRunInput } from '../src/temporal/run-input-quick-check';
import { DISPATCH_STATUS, JOB_CONTEXT, SCHEDULED_START_TIME } from '../src/temporal/search-attributes';
import { jobIdPrefix, jobWorkflowId, needsEscaping } from '../src/temporal/schedule-ids';

const { rearmSchedule, recordDispatchFailure } = proxyActivities<
  ReturnType<typeof activities.createActivities>
>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

/**
 * Checks the run's input: at once when the quick check accepts it (every input the product writes), else with
 * the zod schema, imported only then (a workflow's modules are evaluated again for every run, and zod's
 * evaluation costs more than the run itself; see `run-input-quick-check.ts`). Both decide alike.
 */
async function checkInput(raw: unknown): Promise<RunInputCheck> {
  if (isAcceptedRunInput(raw)) return { success: true, input: raw };
  const { checkScheduledRunInput } = await import(
    /* webpackMode: "eager" */ '../src/temporal/run-input-schema'
  );
  return checkScheduledRunInput(raw);
}

/** The occurrence instant: the nominal time of a scheduled or backfilled run, the trigger time of a manual one. */
function occurrenceInstant(): Date {
  const info = workflowInfo();
  return info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime;
}

/** Marks runs that dispatch HTTP through {@link httpDispatchWorkflow} when they have an identifier. */
export const HTTP_JOB_CORRELATION_PATCH = 'http-job-correlation';

/** Marks runs whose dispatched request carries the run context: parameters in force, submitting user (B3, B8). */
export const RUN_CONTEXT_PATCH = 'run-context-in-payload';

/**
 * The run context the payload carries. Only inputs that have one ask for the patch (inputs written before the
 * fields existed have none), so recorded histories replay unchanged.
 */
function runContextOf(input: ScheduledRunInput): RunContext {
  const context = { parameters: input.parameters, submittedBy: input.submittedBy };
  return hasRunContext(context) && patched(RUN_CONTEXT_PATCH) ? context : {};
}

/** Marks runs whose job workflow ids escape `:` and `%` in the solution, as schedule ids do. */
export const ESCAPED_JOB_IDS_PATCH = 'escaped-job-workflow-ids';

/**
 * Whether this run's job workflow ids escape the solution: yes, except in runs recorded before escaping, which
 * replay with the name as it was. Only a name that escaping changes asks for the patch, so other runs'
 * histories are unchanged.
 */
function escapesSolution(solution: string): boolean {
  return !needsEscaping(solution) || patched(ESCAPED_JOB_IDS_PATCH);
}

/** Marks runs that re-arm their schedule only from the occurrence the schedule names, after the dispatch. */
export const REARM_WHEN_DUE_PATCH = 'rearm-only-when-due';

/**
 * Whether and when this run re-arms its schedule. A resubmission is not an occurrence of the cadence: the window
 * has moved past it already. A schedule written with `rearmFrom` says from which occurrence on its runs must
 * re-arm (never, for a native interval spec that does not end); the re-arm then starts after the dispatch. Runs
 * of schedules written before it re-arm on every fire, first (a dispatch that retries for hours must not let
 * the window run dry), and replay that way: only inputs that carry the field ask for the patch.
 */
function rearmPlan(
  input: ScheduledRunInput,
  triggeredAt: Date,
): 'none' | 'before-dispatch' | 'after-dispatch' {
  if (input.resubmittedFrom !== undefined) return 'none';
  const from = input.rearmFrom;
  if (from === undefined || !patched(REARM_WHEN_DUE_PATCH)) return 'before-dispatch';
  return from !== null && triggeredAt.getTime() >= Date.parse(from) ? 'after-dispatch' : 'none';
}

/**
 * Runs one occurrence of a schedule.
 * @throws ApplicationFailure `Runbook execution failed with status <status>` when the runbook refused the fire
 * or stayed unreachable through every retry; the schedule goes on to its next occurrence regardless.
 * @throws ApplicationFailure `Invalid scheduled run input: <messages>` (type `InvalidScheduledRunInput`) when
 * the schedule's action arguments were edited into something that is not a run input.
 */
export async function scheduledRunWorkflow(rawInput: ScheduledRunInput): Promise<ScheduledRunResult> {
  // The action's arguments can be edited outside the product (CLI, Web UI): a malformed one fails the run
  // with the fields it gets wrong, instead of failing workflow tasks over and over.
  const checked = await checkInput(rawInput);
  if (!checked.success) {
    throw ApplicationFailure.create({
      message: invalidRunInputMessage(checked.messages),
      type: 'InvalidScheduledRunInput',
      nonRetryable: true,
      details: [checked.messages],
    });
  }
  const input = checked.input;
  // A cancel names its user first (the cancel request's reason is not readable here).
  let cancelledBy: CancelledBy | undefined;
  setHandler(defineSignal<[unknown]>(CANCELLED_BY_SIGNAL), (raw) => {
    cancelledBy = cancelledByOf(raw) ?? cancelledBy;
  });
  // A resubmitted instance dispatches its original occurrence again, under a key of its own.
  const triggeredAt = input.triggeredAt !== undefined ? new Date(input.triggeredAt) : occurrenceInstant();
  const payload = buildDispatchPayload(input.requestBody, input.reference, triggeredAt, runContextOf(input));
  const key = input.idempotencyKey ?? idempotencyKey(input.scheduleId, input.generation, triggeredAt);
  log.info('Scheduled run is triggered', { reference: input.reference, triggered_at: payload.triggered_at });

  const plan = rearmPlan(input, triggeredAt);
  let rearmed: Promise<void> = Promise.resolve();
  const startRearm = (): void => {
    // Not cancellable, so cancelling this run never stops the schedule from going on. A re-arm that fails for
    // good does not fail the run: the dispatch's outcome is the run's outcome, and the sweep re-arms the
    // schedule within the hour.
    rearmed = CancellationScope.nonCancellable(async () => {
      await rearmSchedule({ scheduleId: input.scheduleId, after: triggeredAt.toISOString() });
    }).catch((err: unknown) => {
      log.warn('Re-arming the schedule failed; the periodic sweep will re-arm it', {
        error: err instanceof Error ? err.message : String(err),
      });
    });
  };
  if (plan === 'before-dispatch') startRearm();

  const resolution =
    input.kind === 'dynamic_scheduler'
      ? resolveJobContextIdentifier(input.jobContextIdentifierPath, payload)
      : { identifier: null, error: null };
  if (resolution.error !== null) log.warn(resolution.error);
  // Bounded: the identifier travels in a workflow id, a search attribute and a header, which Temporal and HTTP cap.
  const identifier = resolution.identifier === null ? null : boundedIdentifier(resolution.identifier);
  if (identifier !== null) upsertSearchAttributes([{ key: JOB_CONTEXT, value: identifier }]);

  markStatus(InstanceStatus.InProgress);
  const memo = upsertInstanceMemo(input, payload, key, identifier);
  log.info('Scheduled run started processing', { idempotency_key: key });
  let result: ScheduledRunResult;
  try {
    // The dispatch is scheduled first, so on a busy worker it never queues behind the re-arm.
    const dispatched = dispatch(input, payload, key, identifier, resolution.error);
    if (plan === 'after-dispatch') startRearm();
    result = await dispatched;
  } catch (err) {
    if (isCancellation(err)) {
      // An operator cancelled the run: not a dispatch failure, so nothing is recorded on the schedule.
      upsertSearchAttributes([{ key: DISPATCH_STATUS, value: 'cancelled' }]);
      markStatus(InstanceStatus.Aborted);
      recordCancellation(memo, cancelledBy);
      log.info('Scheduled run cancelled', { idempotency_key: key, by: cancelledBy?.by ?? null });
      await rearmed;
      throw err;
    }
    const status = failureStatus(err);
    const message = dispatchFailureMessage(status.status);
    upsertSearchAttributes([{ key: DISPATCH_STATUS, value: 'failed' }]);
    markStatus(InstanceStatus.Errored);
    await recordDispatchFailure({
      scheduleId: input.scheduleId,
      message: `${payload.triggered_at} ${message}`,
    });
    await rearmed;
    throw ApplicationFailure.create({
      message,
      type: 'RunbookExecutionFailed',
      nonRetryable: true,
      details: [{ status: status.status, cause: status.cause, triggered_at: payload.triggered_at }],
    });
  }
  upsertSearchAttributes([{ key: DISPATCH_STATUS, value: result.status }]);
  markStatus(InstanceStatus.Succeeded);
  await rearmed;
  log.info(
    result.status === 'duplicate' ? 'Run refused as a duplicate' : 'Processing completed successfully',
    {
      ...result,
    },
  );
  return result;
}

async function dispatch(
  input: ScheduledRunInput,
  payload: ReturnType<typeof buildDispatchPayload>,
  key: string,
  identifier: string | null,
  jobContextError: string | null,
): Promise<ScheduledRunResult> {
  // The traversal error goes into the result too, so operators read it in the run's history, not only in logs.
  const base = {
    triggeredAt: payload.triggered_at,
    idempotencyKey: key,
    jobContextIdentifier: identifier,
    jobContextError,
  };
  const target = input.target;
  if (target.kind === 'http') {
    const request = {
      url: target.url,
      headers: target.headers ?? {},
      payload,
      idempotencyKey: key,
      jobContextIdentifier: identifier,
    };
    // Runs recorded before this change dispatched in place whatever their identifier; they replay that way.
    if (identifier !== null && patched(HTTP_JOB_CORRELATION_PATCH)) {
      const workflowId = jobWorkflowId(
        input.solution,
        input.runbookUuid,
        identifier,
        escapesSolution(input.solution),
      );
      try {
        const { status } = await executeChild(httpDispatchWorkflow, {
          workflowId,
          args: [{ request, retry: input.retry }],
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        });
        return { status: 'succeeded', httpStatus: status, runbookWorkflowId: workflowId, ...base };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          return { status: 'duplicate', runbookWorkflowId: workflowId, ...base };
        }
        throw err;
      }
    }
    const { status } =
      (await dispatchWithVisibleBackoff(request, input.retry)) ??
      (await dispatchHttpActivity(input.retry)(request));
    return { status: 'succeeded', httpStatus: status, ...base };
  }
  const escaped = escapesSolution(input.solution);
  const workflowId =
    identifier !== null
      ? jobWorkflowId(input.solution, input.runbookUuid, identifier, escaped)
      : `${jobIdPrefix(input.solution, escaped)}:${key}`;
  try {
    await startChild(target.workflowType, {
      workflowId,
      taskQueue: target.taskQueue,
      args: [payload],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { status: 'duplicate', runbookWorkflowId: workflowId, ...base };
    }
    throw err;
  }
  return { status: 'succeeded', runbookWorkflowId: workflowId, ...base };
}

/** The status and cause of a failed dispatch, through its child workflow and activity failures. */
export function failureStatus(err: unknown): { status: number | 'unreachable'; cause: string } {
  // Through the dispatch child workflow, if any, to the activity's own failure.
  let cause: unknown = err;
  while (cause instanceof ChildWorkflowFailure || cause instanceof ActivityFailure) cause = cause.cause;
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as { status?: number | 'unreachable'; cause?: string } | undefined;
    return { status: detail?.status ?? 'unreachable', cause: detail?.cause ?? cause.message };
  }
  return { status: 'unreachable', cause: err instanceof Error ? err.message : String(err) };
}
