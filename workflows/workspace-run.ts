/**
 * One fire of a workspace schedule (FEATURES.md C1): skip-wait jobs start at the fire; the others run in groups
 * of equal sequence numbers, lowest first, each group once the one before it has finished. Each job is its own
 * dispatch (an activity for an HTTP runbook, a child workflow for a workflow runbook) with the schedule's retries
 * and an idempotency key of its own, so the run's event history shows every job's start and outcome.
 *
 * A failed job under the `stop` policy (the default) keeps every later group from starting; jobs already running
 * finish. The run then fails (Errored) naming the jobs that failed, those that ran and those not started.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  executeChild,
  isCancellation,
  log,
  proxyActivities,
  upsertMemo,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type * as activities from '../activities';
import { buildDispatchPayload, formatUtcSeconds, idempotencyKey } from '../src/dispatch/payload';
import { dispatchFailureMessage } from '../src/dispatch/outcome';
import { jobIdPrefix } from '../src/temporal/schedule-ids';
import { SCHEDULED_START_TIME } from '../src/temporal/search-attributes';
import { RunMessages } from '../src/workspace/errors';
import type {
  JobOutcome,
  WorkspaceJob,
  WorkspaceRunInput,
  WorkspaceRunOptions,
  WorkspaceRunResult,
} from '../src/workspace/run-input';
import { erroredMessage, jobIdempotencyKey, planRun } from '../src/workspace/run-plan';

type Activities = ReturnType<typeof activities.createActivities>;

const { rearmWorkspaceSchedule } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** The job's HTTP dispatch: its own activity id and summary, the schedule's durable retries. */
function jobDispatch(input: WorkspaceRunInput, position: number, job: WorkspaceJob) {
  return proxyActivities<Activities>({
    activityId: `job-${position}`,
    summary: `Job ${position} "${job.name}" (sequence ${job.sequence})`,
    startToCloseTimeout: '45 seconds',
    heartbeatTimeout: '10 seconds',
    retry: {
      maximumAttempts: input.retry.maximumAttempts,
      initialInterval: input.retry.initialIntervalMs,
      backoffCoefficient: input.retry.backoffCoefficient,
      maximumInterval: input.retry.maximumIntervalMs,
      nonRetryableErrorTypes: ['RunbookDispatchRefused'],
    },
  }).dispatchHttp;
}

/**
 * Runs one occurrence of a workspace schedule, or (with `options.only`) one of its jobs.
 * @throws ApplicationFailure `Workspace schedule run errored: ...` (type `WorkspaceRunErrored`, the job
 * outcomes in its details) when a job failed.
 * @throws ApplicationFailure `Invalid workspace run input: <messages>` when the arguments were edited into
 * something that is not a run input.
 */
export async function workspaceRunWorkflow(
  rawInput: WorkspaceRunInput,
  options: WorkspaceRunOptions = {},
): Promise<WorkspaceRunResult> {
  // Imported here, not at the top: the bundle's modules are evaluated again for every workflow the worker starts,
  // and zod's evaluation would cost every run of every workflow type (see `run-input-quick-check.ts`).
  const { checkWorkspaceRunInput } = await import(
    /* webpackMode: "eager" */ '../src/workspace/run-input-schema'
  );
  const checked = checkWorkspaceRunInput(rawInput);
  if (!checked.success) {
    throw ApplicationFailure.create({
      message: RunMessages.invalidInput(checked.messages),
      type: 'InvalidWorkspaceRunInput',
      nonRetryable: true,
    });
  }
  const input = checked.input;
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START_TIME);
  const triggeredAt = scheduled ?? info.startTime;
  const occurrenceKey = idempotencyKey(input.scheduleId, input.generation, triggeredAt);

  // Move the window forward first (runs started by the schedule only), not cancellable; a re-arm that fails for
  // good does not fail the run: the sweep re-arms within the hour.
  const rearmed =
    scheduled === undefined
      ? Promise.resolve()
      : CancellationScope.nonCancellable(() =>
          rearmWorkspaceSchedule({ scheduleId: input.scheduleId, after: triggeredAt.toISOString() }),
        ).then(
          () => undefined,
          (err: unknown) => log.warn('Re-arming the workspace schedule failed', { error: String(err) }),
        );

  const positions = options.only === undefined ? undefined : [options.only];
  const plan = planRun(input.jobs, positions);
  const outcomes = new Map<number, JobOutcome>();
  const publish = () => upsertMemo({ jobs: [...outcomes.values()].sort((a, b) => a.position - b.position) });
  const runJob = async (position: number): Promise<JobOutcome> => {
    const outcome = await dispatchJob(input, position, triggeredAt, occurrenceKey, () => publish());
    outcomes.set(position, outcome);
    publish();
    return outcome;
  };
  log.info('Workspace schedule run started', { key: input.key, triggered_at: formatUtcSeconds(triggeredAt) });

  const atFire = plan.atFire.map(runJob);
  let stopped = false;
  for (const group of plan.groups) {
    if (stopped) {
      for (const position of group.positions)
        outcomes.set(position, notStarted(input, position, occurrenceKey));
      continue;
    }
    log.info('Job group started', { sequence: group.sequence, jobs: group.positions });
    await Promise.all(group.positions.map(runJob));
    const failed = [...outcomes.values()].some((o) => o.status === 'failed');
    if (failed && input.failurePolicy === 'stop') stopped = true;
  }
  await Promise.all(atFire);
  publish();
  await rearmed;

  const jobs = [...outcomes.values()].sort((a, b) => a.position - b.position);
  const message = erroredMessage(jobs);
  if (message !== undefined) {
    log.warn(message);
    throw ApplicationFailure.create({
      message,
      type: 'WorkspaceRunErrored',
      nonRetryable: true,
      details: [jobs],
    });
  }
  log.info('Workspace schedule run completed', { key: input.key });
  return { status: 'succeeded', triggeredAt: formatUtcSeconds(triggeredAt), jobs };
}

function baseOutcome(input: WorkspaceRunInput, position: number, occurrenceKey: string) {
  const job = input.jobs[position - 1] as WorkspaceJob;
  return {
    position,
    name: job.name,
    runbookUuid: job.runbookUuid,
    sequence: job.sequence,
    skipWait: job.skipWait,
    idempotencyKey: jobIdempotencyKey(occurrenceKey, position),
  };
}

function notStarted(input: WorkspaceRunInput, position: number, occurrenceKey: string): JobOutcome {
  return { ...baseOutcome(input, position, occurrenceKey), status: 'not_started' };
}

/** Dispatches one job; never throws: a failure is its outcome. */
async function dispatchJob(
  input: WorkspaceRunInput,
  position: number,
  triggeredAt: Date,
  occurrenceKey: string,
  started: () => void,
): Promise<JobOutcome> {
  const job = input.jobs[position - 1] as WorkspaceJob;
  const base = baseOutcome(input, position, occurrenceKey);
  const startedAt = new Date().toISOString();
  const body = {
    ...(input.requestBody ?? {}),
    workspace_schedule: input.key,
    job: position,
    sequence: job.sequence,
  };
  const payload = buildDispatchPayload(body, input.key, triggeredAt);
  log.info('Job started', { position, name: job.name, sequence: job.sequence, skip_wait: job.skipWait });
  started();
  try {
    if (job.target.kind === 'http') {
      const { status } = await jobDispatch(
        input,
        position,
        job,
      )({
        url: job.target.url,
        headers: job.target.headers ?? {},
        payload,
        idempotencyKey: base.idempotencyKey,
        jobContextIdentifier: null,
      });
      log.info('Job succeeded', { position, name: job.name, http_status: status });
      return {
        ...base,
        status: 'succeeded',
        startedAt,
        finishedAt: new Date().toISOString(),
        httpStatus: status,
      };
    }
    const workflowId = `${jobIdPrefix(input.solution)}:${base.idempotencyKey}`;
    try {
      await executeChild(job.target.workflowType, {
        workflowId,
        taskQueue: job.target.taskQueue,
        args: [payload],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        staticSummary: `Job ${position} "${job.name}" of workspace schedule "${input.key}"`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      log.info('Job refused as a duplicate', { position, name: job.name, workflow_id: workflowId });
      return { ...base, status: 'duplicate', startedAt, finishedAt: new Date().toISOString(), workflowId };
    }
    log.info('Job succeeded', { position, name: job.name, workflow_id: workflowId });
    return { ...base, status: 'succeeded', startedAt, finishedAt: new Date().toISOString(), workflowId };
  } catch (err) {
    if (isCancellation(err)) throw err;
    const error = failureMessage(err);
    log.warn('Job failed', { position, name: job.name, error });
    return { ...base, status: 'failed', startedAt, finishedAt: new Date().toISOString(), error };
  }
}

/** `Runbook execution failed with status <status>` of a dispatch, or the failure of a runbook workflow. */
function failureMessage(err: unknown): string {
  if (err instanceof ChildWorkflowFailure) {
    return RunMessages.workflowFailed(err.cause?.message ?? err.message);
  }
  let cause: unknown = err;
  while (cause instanceof ActivityFailure) cause = cause.cause;
  const detail =
    cause instanceof ApplicationFailure
      ? (cause.details?.[0] as { status?: number | 'unreachable' | 'refused' } | undefined)
      : undefined;
  return dispatchFailureMessage(detail?.status ?? 'unreachable');
}
