/**
 * The baseline's trivial workflow (`bench/fire-precision.bench.ts`): one activity that POSTs the run's key and
 * nominal instant to the benchmark's receiver. Started by raw Temporal Schedules and by delayed starts alike; the
 * nominal instant is the ISO suffix of the workflow id (Temporal's `<action id>-<instant>`, or the bench's own).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RawActivities } from './raw-activities';

const { postFire } = proxyActivities<RawActivities>({ startToCloseTimeout: '30 seconds' });

/** POSTs `{ key, nominal }` to `url` once. */
export async function rawFireWorkflow(url: string): Promise<void> {
  const { workflowId } = workflowInfo();
  await postFire({ url, key: workflowId, nominal: workflowId.slice(-20) });
}
