/**
 * Run now (FEATURES.md B2): an instance of its own outside the cadence, a run workflow started directly (not
 * Temporal's schedule trigger), so it carries its own submitter and type `RunNow`, with the values in force.
 */
import type { Client } from '@temporalio/client';
import { InstanceType, WorkflowType, type ScheduledRunInput } from '../temporal/run-input';
import { searchAttributesOf, type StoredSchedule } from '../temporal/schedule-options';
import type { RunNowResult } from './views';

/** Workflow id of a Run now instance: `<schedule id>:<generation>-RunNow-<ISO instant>`. */
export function runNowWorkflowId(input: ScheduledRunInput, now: Date): string {
  return `${input.scheduleId}:${input.generation}-RunNow-${now.toISOString()}`;
}

/** The run input of a Run now instance: the schedule's, as the caller's, with the values in force. */
export function runNowInput(
  schedule: ScheduledRunInput,
  user: string,
  parameters: Readonly<Record<string, string>> | undefined,
): ScheduledRunInput {
  // The schedule's own bookkeeping is not the run's.
  const { lifecycle: _lifecycle, revision: _revision, parameters: _parameters, ...rest } = schedule;
  return {
    ...rest,
    instanceType: InstanceType.RunNow,
    submittedBy: user,
    ...(parameters ? { parameters: { ...parameters } } : {}),
  };
}

/** Starts a Run now instance of a schedule. */
export async function startRunNow(
  client: Client,
  taskQueue: string,
  stored: StoredSchedule,
  run: { user: string; parameters: Readonly<Record<string, string>> | undefined; now: Date },
): Promise<RunNowResult> {
  const input = runNowInput(stored.input, run.user, run.parameters);
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
