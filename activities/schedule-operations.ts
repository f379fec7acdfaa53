/**
 * The activity of the schedule operations (FEATURES.md B1): applies one Start, Pause, Resume or Stop to its
 * schedule through the gateway, recording it on the schedule, in one write that is never lost.
 */
import { ApplicationFailure } from '@temporalio/common';
import { lifecycleChange, type ScheduleOperationInput } from '../src/operations/apply';
import { scheduleState, type ScheduleState } from '../src/operations/lifecycle';
import type { LifecycleScheduleGateway } from '../src/temporal/lifecycle-gateway';

/** What an applied operation returns (the workflow's result). */
export interface ScheduleOperationResult {
  /** The schedule's state once applied. */
  readonly state: ScheduleState;
  /** When it took effect, ISO 8601. */
  readonly completedAt: string;
}

/** What the operation activity needs. */
export interface ScheduleOperationDeps {
  readonly gateway: LifecycleScheduleGateway;
  readonly now: () => Date;
}

/** Builds the `applyScheduleOperation` activity. */
export function createScheduleOperationActivities(deps: ScheduleOperationDeps) {
  return {
    /**
     * Applies an operation; applying it again after it took changes nothing.
     * @throws ApplicationFailure of type `ScheduleNotFound` (not retried) when the schedule is gone.
     */
    async applyScheduleOperation(input: ScheduleOperationInput): Promise<ScheduleOperationResult> {
      const at = deps.now();
      const stored = await deps.gateway.modify(input.scheduleId, (current) =>
        lifecycleChange(current.input, input, at),
      );
      if (!stored) {
        throw ApplicationFailure.create({
          message: 'Schedule not found',
          type: 'ScheduleNotFound',
          nonRetryable: true,
        });
      }
      return { state: scheduleState(stored.paused, stored.input, undefined), completedAt: at.toISOString() };
    },
  };
}
