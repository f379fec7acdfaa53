/**
 * One durable schedule operation (FEATURES.md B1): Start, Pause, Resume or Stop of one schedule, applied through
 * the schedule gateway by an activity. While it has not completed (no worker, Temporal unavailable to the
 * activity) the schedule reads `Starting`, `Pausing`, `Resuming` or `Stopping`; Retry signals it to try again at
 * once instead of waiting for its next round.
 */
import {
  ApplicationFailure,
  condition,
  defineSignal,
  log,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import type { ScheduleOperationInput } from '../src/operations/apply';
import { RETRY_SIGNAL } from '../src/operations/operation-signals';
import type { ScheduleOperationResult } from '../activities/schedule-operations';

/** Retry: re-drive a pending operation now. */
export const retryOperationSignal = defineSignal(RETRY_SIGNAL);

/** How long a failed round waits for a Retry before it tries again by itself. */
export const ROUND_INTERVAL = '10 minutes';

const { applyScheduleOperation, queuedOccurrenceForStop, abortStoppedOccurrence } = proxyActivities<
  ReturnType<typeof activities.createActivities>
>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['ScheduleNotFound'],
  },
});

/**
 * Applies the operation; a round of attempts that fails waits for a Retry signal (or {@link ROUND_INTERVAL})
 * and tries again, so the operation completes once the schedule can be written. Stop first reads the queued
 * occurrence and, once the schedule is paused, records it `Aborted` (`Instance aborted as schedule was stopped by
 * <user>`).
 * @throws ApplicationFailure `Schedule not found` when the schedule was deleted meanwhile.
 */
export async function scheduleOperationWorkflow(
  input: ScheduleOperationInput,
): Promise<ScheduleOperationResult> {
  let retryRequested = false;
  setHandler(retryOperationSignal, () => {
    retryRequested = true;
  });
  async function redriven<T>(step: () => Promise<T>): Promise<T> {
    for (;;) {
      retryRequested = false;
      try {
        return await step();
      } catch (err) {
        const cause = (err as { cause?: unknown }).cause;
        if (cause instanceof ApplicationFailure && cause.type === 'ScheduleNotFound') {
          throw ApplicationFailure.create({
            message: cause.message,
            type: 'ScheduleNotFound',
            nonRetryable: true,
          });
        }
        log.warn('Schedule operation failed; waiting for Retry', {
          kind: input.kind,
          error: err instanceof Error ? err.message : String(err),
        });
        await condition(() => retryRequested, ROUND_INTERVAL);
      }
    }
  }
  if (input.kind !== 'Stop') return await redriven(() => applyScheduleOperation(input));
  const queued = await redriven(() => queuedOccurrenceForStop({ scheduleId: input.scheduleId }));
  const result = await redriven(() => applyScheduleOperation(input));
  if (queued !== null) {
    await redriven(() =>
      abortStoppedOccurrence({ scheduleId: input.scheduleId, occurrence: queued, user: input.user }),
    );
  }
  return result;
}
