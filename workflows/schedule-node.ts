/**
 * One schedule node (FEATURES.md D1-D5): a long-lived workflow that keeps the node's one pending run, sleeps on a
 * timer to its instant, dispatches the runbook as the user who scheduled it, and records a failure as the node's
 * error. `schedule`, `cancel`, clear-error and delete arrive as Updates (the first by update-with-start, so it
 * creates the workflow); their validators refuse with the schedule service's error numbers before anything is
 * written to history. It continues as new before its history grows large, carrying its state.
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { dispatchHttpActivity } from './http-dispatch';
import { failureStatus } from './scheduled-run';
import { dispatchFailureMessage } from '../src/dispatch/outcome';
import {
  ErrorNumber,
  SCHEDULE_SERVICE_REFUSAL,
  type ErrorNumber as ErrorNumberType,
} from '../src/nodes/errors';
import {
  DELETED_NODE_TOMBSTONE_MS,
  NODE_HISTORY_EVENT_LIMIT,
  cancelNodeRunUpdate,
  clearNodeErrorUpdate,
  deleteNodeUpdate,
  nodeStateQuery,
  scheduleNodeRunUpdate,
  type NodeWorkflowInput,
} from '../src/nodes/node-messages';
import { buildNodeRunPayload, nodeRunIdempotencyKey } from '../src/nodes/node-payload';
import {
  applyCancel,
  applyClearError,
  applyDelete,
  applySchedule,
  commandRefusal,
  finishRun,
  initialNodeState,
  scheduleRefusal,
  startRun,
  viewOf,
  type NodeRunRequest,
  type NodeState,
  type NodeStateView,
} from '../src/nodes/node-state';
import type * as RequestSchemas from '../src/nodes/run-request-schema';
import { NodeMessages } from '../src/nodes/errors';
import { DISPATCH_STATUS, LAST_ERROR } from '../src/temporal/search-attributes';
import { jobIdPrefix } from '../src/temporal/schedule-ids';

/** Rejects an update with its error number (the client reads it from the failure's first detail). */
function refuse(errorNumber: ErrorNumberType, message: string): never {
  throw ApplicationFailure.create({
    type: SCHEDULE_SERVICE_REFUSAL,
    message,
    details: [errorNumber],
    nonRetryable: true,
  });
}

function refuseMalformed(problem: string | undefined): void {
  if (problem !== undefined) refuse(ErrorNumber.ParameterError, NodeMessages.parameter(problem));
}

/**
 * The node's request schemas, evaluated on the first update that needs them rather than with the bundle: the
 * bundle's modules are evaluated again for every workflow the worker starts, and zod's evaluation would cost
 * every run of every workflow type (see `run-input-quick-check.ts`). Update validators are synchronous, hence
 * `require`, which the workflow bundler resolves like an import.
 */
function requestSchemas(): typeof RequestSchemas {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, bundled import (see above)
  return require('../src/nodes/run-request-schema') as typeof RequestSchemas;
}
const runRequestProblem = (value: unknown) => requestSchemas().runRequestProblem(value);
const commandProblem = (value: unknown) => requestSchemas().commandProblem(value);

/** Runs a schedule node until it is deleted (and its tombstone has passed). */
export async function scheduleNodeWorkflow(input: NodeWorkflowInput): Promise<NodeStateView> {
  let state: NodeState = input.state ?? initialNodeState(input.generation);
  const eventLimit = input.historyEventLimit ?? NODE_HISTORY_EVENT_LIMIT;

  setHandler(
    scheduleNodeRunUpdate,
    (request) => {
      const applied = applySchedule(state, request);
      state = applied.state;
      return applied.outcome;
    },
    {
      validator: (request: NodeRunRequest) => {
        refuseMalformed(runRequestProblem(request));
        const refusal = scheduleRefusal(state, request, input.identifier);
        if (refusal) refuse(refusal.errorNumber, refusal.message);
      },
    },
  );
  const commandValidator = (command: { generation: string }) => {
    refuseMalformed(commandProblem(command));
    const refusal = commandRefusal(state, command.generation);
    if (refusal) refuse(refusal.errorNumber, refusal.message);
  };
  setHandler(
    cancelNodeRunUpdate,
    (command) => {
      const applied = applyCancel(state, command);
      state = applied.state;
      return { cancelled: applied.cancelled };
    },
    { validator: commandValidator },
  );
  setHandler(
    clearNodeErrorUpdate,
    (command) => {
      const applied = applyClearError(state, command);
      state = applied.state;
      return { cleared: applied.cleared };
    },
    { validator: commandValidator },
  );
  setHandler(
    deleteNodeUpdate,
    (command) => {
      const applied = applyDelete(state, command);
      state = applied.state;
      return { cancelled: applied.cancelled };
    },
    // Deleting twice is harmless: only a malformed command is refused.
    { validator: (command) => refuseMalformed(commandProblem(command)) },
  );
  setHandler(nodeStateQuery, () => viewOf(state));

  const shown = { status: '', error: '' };
  /** Keeps `RunbookDispatchStatus` and `RunbookLastError` in step with the state, writing only changes. */
  const show = (): void => {
    const status = state.pending ? 'pending' : state.running ? 'running' : state.deleted ? 'deleted' : 'idle';
    const error = state.error?.message ?? '';
    if (status === shown.status && error === shown.error) return;
    upsertSearchAttributes([
      { key: DISPATCH_STATUS, value: status },
      { key: LAST_ERROR, value: error === '' ? null : `${state.error?.scheduleTimestamp} ${error}` },
    ]);
    shown.status = status;
    shown.error = error;
  };
  const tooLong = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= eventLimit;
  };

  for (;;) {
    show();
    await condition(() => state.pending !== null || state.deleted || tooLong());
    show();
    if (tooLong()) {
      await condition(allHandlersFinished);
      return await continueAsNew<typeof scheduleNodeWorkflow>({ ...input, state });
    }
    if (state.deleted) {
      // Stays a while to refuse requests resolved before the deletion; a new registration revives it.
      const revived = await condition(() => !state.deleted || tooLong(), DELETED_NODE_TOMBSTONE_MS);
      if (revived) continue;
      await condition(allHandlersFinished);
      return viewOf(state);
    }
    const pending = state.pending;
    if (pending === null) continue;
    const version = state.version;
    const wait = Date.parse(pending.scheduleTimestamp) - Date.now();
    if (wait > 0) {
      // Woken early by a replacing or cancelling update, a deletion, or a history that grew too long.
      const changed = await condition(() => state.version !== version || state.deleted || tooLong(), wait);
      if (changed) continue;
    }
    state = startRun(state);
    show();
    const finished = await run(input, pending);
    state = finishRun(state, pending, new Date().toISOString(), finished.failure, finished.duplicate);
  }
}

/** Dispatches one run; a failure is returned as its message (A4), never thrown. */
async function run(
  input: NodeWorkflowInput,
  request: NodeRunRequest,
): Promise<{ failure: string | null; duplicate: boolean }> {
  const key = nodeRunIdempotencyKey(workflowInfo().workflowId, request.generation, request.scheduleTimestamp);
  const payload = buildNodeRunPayload(
    request.requestBody,
    input.identifier,
    request.scheduleTimestamp,
    request.user,
  );
  log.info('Schedule node run started', { node: input.identifier, idempotency_key: key, user: request.user });
  const target = request.target;
  try {
    if (target.kind === 'http') {
      await dispatchHttpActivity(request.retry)({
        url: target.url,
        headers: target.headers ?? {},
        payload,
        idempotencyKey: key,
        jobContextIdentifier: null,
      });
      log.info('Schedule node run completed', { node: input.identifier });
      return { failure: null, duplicate: false };
    }
    try {
      await startChild(target.workflowType, {
        workflowId: `${jobIdPrefix(input.solution)}:${key}`,
        taskQueue: target.taskQueue,
        args: [payload],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { failure: null, duplicate: true };
      throw err;
    }
    return { failure: null, duplicate: false };
  } catch (err) {
    const message = dispatchFailureMessage(failureStatus(err).status);
    log.warn('Schedule node run failed', { node: input.identifier, error: message });
    return { failure: message, duplicate: false };
  }
}
