/**
 * An HTTP dispatch as a workflow of its own, used when a run has a job context identifier (FEATURES.md A6): its
 * workflow id carries the identifier, scoped by solution and runbook, so two runs with one identifier are
 * correlated, and a second one while the first still dispatches is refused by Temporal as a duplicate.
 */
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';
import type { HttpDispatchInput } from '../activities/dispatch-http';
import type { DispatchRetryPolicy } from '../src/temporal/run-input';

/** What {@link httpDispatchWorkflow} is given. */
export interface HttpDispatchWorkflowInput {
  readonly request: HttpDispatchInput;
  readonly retry: DispatchRetryPolicy;
}

/** The `dispatchHttp` activity with the schedule's durable retry policy; refusals (4xx but 429) not retried. */
export function dispatchHttpActivity(retry: DispatchRetryPolicy) {
  return proxyActivities<ReturnType<typeof activities.createActivities>>({
    startToCloseTimeout: '45 seconds',
    heartbeatTimeout: '10 seconds',
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      nonRetryableErrorTypes: ['RunbookDispatchRefused'],
    },
  }).dispatchHttp;
}

/** POSTs the run's body with durable retries; fails as the activity does. */
export async function httpDispatchWorkflow(input: HttpDispatchWorkflowInput): Promise<{ status: number }> {
  return await dispatchHttpActivity(input.retry)(input.request);
}
