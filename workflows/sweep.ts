/**
 * The periodic sweep: re-arms every window-mode schedule, so a quiet schedule or a worker that was down never
 * lets a window run dry. Started by its own Temporal schedule, and once whenever a worker starts.
 */
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

const { rearmAllSchedules } = proxyActivities<ReturnType<typeof activities.createActivities>>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

/** Re-arms every schedule of the product; returns how many were re-armed. */
export async function rearmSweepWorkflow(): Promise<{ rearmed: number; failed: number }> {
  return await rearmAllSchedules();
}
