/**
 * Resubmit a finished instance (FEATURES.md B6): a new run of the original's own input (its body, target and
 * retry policy as they were), dispatching the original occurrence's `triggered_at` under an idempotency key of
 * its own, submitted by the caller, typed `Resubmitted` and linked back (`resubmittedFrom`); the original then
 * lists as `Resubmitted`. A closed workflow's search attributes cannot change, so in the Web UI the original keeps
 * its final `RunbookInstanceStatus` and the resubmission names it in its memo and summary.
 */
import type { Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { formatUtcSeconds, idempotencyKey } from '../dispatch/payload';
import { InstanceType, WorkflowType, type ScheduledRunInput } from '../temporal/run-input';
import { searchAttributesOf } from '../temporal/schedule-options';
import { SCHEDULED_START_TIME } from '../temporal/search-attributes';
import { CANCELLED_BY_SIGNAL, type CancelledBy } from './cancel-signal';

/** The run input a run was started with. */
export async function startInputOf(client: Client, workflowId: string): Promise<ScheduledRunInput> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return await decodeFromPayloadsAtIndex<ScheduledRunInput>(
    client.options.loadedDataConverter,
    0,
    started?.input?.payloads ?? [],
  );
}

/**
 * Starts the resubmission of the finished run `workflowId` as `user`; `now` names it.
 * @returns the new instance's workflow id.
 */
export async function resubmitRun(
  client: Client,
  taskQueue: string,
  workflowId: string,
  user: string,
  now: Date,
): Promise<string> {
  const original = await startInputOf(client, workflowId);
  const description = await client.workflow.getHandle(workflowId).describe();
  const triggeredAt =
    original.triggeredAt ??
    formatUtcSeconds(description.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? description.startTime);
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const key = `${idempotencyKey(original.scheduleId, original.generation, new Date(triggeredAt))}/resubmitted-${stamp}`;
  const input: ScheduledRunInput = {
    ...original,
    instanceType: InstanceType.Resubmitted,
    resubmittedFrom: workflowId,
    triggeredAt,
    idempotencyKey: key,
    submittedBy: user,
  };
  const id = `${workflowId}:resubmitted-${stamp}`;
  await client.workflow.start(WorkflowType.ScheduledRun, {
    workflowId: id,
    taskQueue,
    args: [input],
    typedSearchAttributes: searchAttributesOf(input),
    staticSummary: `Resubmission of ${workflowId} by ${user}`,
  });
  return id;
}

/**
 * Cancels a running run as `user`: first signals who (the run records it in its memo, so the instance shows
 * `aborted.by`), then requests the cancel with the reason (its history shows it too).
 */
export async function cancelRun(
  client: Client,
  workflowId: string,
  user: string,
  reason: string,
): Promise<void> {
  const cancelledBy: CancelledBy = { by: user, reason };
  await client.workflow.getHandle(workflowId).signal(CANCELLED_BY_SIGNAL, cancelledBy);
  await client.workflowService.requestCancelWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId },
    identity: client.options.identity,
    reason,
  });
}
