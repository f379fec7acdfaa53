/**
 * Run now (FEATURES.md B2): an instance of its own outside the cadence, a run workflow started directly (not
 * Temporal's schedule trigger), so it carries its own submitter and type `RunNow`, with the values in force.
 */
import type { Client } from '@temporalio/client';
import { formatUtcSeconds, idempotencyKey } from '../dispatch/payload';
import { InstanceType, WorkflowType, type ScheduledRunInput } from '../temporal/run-input';
import { searchAttributesOf, type StoredSchedule } from '../temporal/schedule-options';
import type { RunNowResult } from './views';

/** Workflow id of a Run now instance: `<schedule id>:<generation>-RunNow-<ISO instant>`. */
export function runNowWorkflowId(input: ScheduledRunInput, now: Date): string {
  return `${input.scheduleId}:${input.generation}-RunNow-${now.toISOString()}`;
}

/**
 * The run input of a Run now instance submitted at `now`: the schedule's, as the caller's, with the values in
 * force, its `triggered_at` the submission second, and an idempotency key of its own, so a receiver never takes
 * it for a scheduled fire of the same second (whose key names only the second).
 */
export function runNowInput(
  schedule: ScheduledRunInput,
  user: string,
  parameters: Readonly<Record<string, string>> | undefined,
  now: Date,
): ScheduledRunInput {
  // The schedule's own bookkeeping is not the run's.
  const { lifecycle: _lifecycle, revision: _revision, parameters: _parameters, ...rest } = schedule;
  return {
    ...rest,
    instanceType: InstanceType.RunNow,
    submittedBy: user,
    triggeredAt: formatUtcSeconds(now),
    idempotencyKey: runNowIdempotencyKey(schedule, now),
    ...(parameters ? { parameters: { ...parameters } } : {}),
  };
}

/** The key of a Run now instance: the occurrence key of its second, then `/run-now-<compact ISO instant>`. */
export function runNowIdempotencyKey(schedule: ScheduledRunInput, now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${idempotencyKey(schedule.scheduleId, schedule.generation, now)}/run-now-${stamp}`;
}

/** Starts a Run now instance of a schedule. */
export async function startRunNow(
  client: Client,
  taskQueue: string,
  stored: StoredSchedule,
  run: { user: string; parameters: Readonly<Record<string, string>> | undefined; now: Date },
): Promise<RunNowResult> {
  const input = runNowInput(stored.input, run.user, run.parameters, run.now);
  const workflowId = runNowWorkflowId(input, run.now);
  const handle = await client.workflow.start(WorkflowType.ScheduledRun, {
    workflowId,
    taskQueue,
    args: [input],
    typedSearchAttributes: searchAttributesOf(input),
    staticSummary: `Runbook ${input.runbookUuid} run now on schedule "${input.reference}" (${input.solution}) by ${run.user}`,
  });
  return {
    schedule_reference: input.reference,
    workflow_id: workflowId,
    run_id: handle.firstExecutionRunId,
    instance_type: InstanceType.RunNow,
    submitted_by: run.user,
    parameters: input.parameters ? { ...input.parameters } : null,
  };
}
