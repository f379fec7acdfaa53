/**
 * The activity of the schedule operations (FEATURES.md B1): applies one Start, Pause, Resume or Stop to its
 * schedule through the gateway, recording it on the schedule, in one write that is never lost.
 */
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { abortOccurrence, AbortReasons, queuedOccurrenceOf } from '../src/instances/abort';
import { OccurrenceAlreadyStartedError } from '../src/instances/errors';
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
  readonly client: Client;
  /** The product's task queue, where abort records run. */
  readonly taskQueue: string;
  readonly gateway: LifecycleScheduleGateway;
  readonly now: () => Date;
}

const scheduleNotFound = () =>
  ApplicationFailure.create({ message: 'Schedule not found', type: 'ScheduleNotFound', nonRetryable: true });

/** Builds the `applyScheduleOperation` activity and Stop's two around it. */
export function createScheduleOperationActivities(deps: ScheduleOperationDeps) {
  return {
    /**
     * Stop, before it pauses: the occurrence the schedule has queued now (`YYYY-MM-DDTHH:MM:SSZ` or ISO), or
     * null when it has none. Recorded in the operation's history, so the abort after the pause aims at it even
     * when retried.
     */
    async queuedOccurrenceForStop(input: { scheduleId: string }): Promise<string | null> {
      const stored = await deps.gateway.get(input.scheduleId);
      if (!stored) throw scheduleNotFound();
      return queuedOccurrenceOf(stored, deps.now())?.toISOString() ?? null;
    },

    /**
     * Stop, once paused: records the queued occurrence `Aborted` with `Instance aborted as schedule was stopped
     * by <user>` (idempotent). An occurrence that fired meanwhile has its run instead: nothing to abort.
     */
    async abortStoppedOccurrence(input: {
      scheduleId: string;
      occurrence: string;
      user: string;
    }): Promise<void> {
      try {
        await abortOccurrence(
          { client: deps.client, gateway: deps.gateway, taskQueue: deps.taskQueue },
          {
            scheduleId: input.scheduleId,
            occurrence: new Date(input.occurrence),
            reason: AbortReasons.byStop(input.user),
            user: input.user,
            now: deps.now(),
          },
        );
      } catch (err) {
        if (err instanceof OccurrenceAlreadyStartedError) return;
        throw err;
      }
    },

    /**
     * Applies an operation; applying it again after it took changes nothing.
     * @throws ApplicationFailure of type `ScheduleNotFound` (not retried) when the schedule is gone.
     */
    async applyScheduleOperation(input: ScheduleOperationInput): Promise<ScheduleOperationResult> {
      const at = deps.now();
      const stored = await deps.gateway.modify(input.scheduleId, (current) =>
        lifecycleChange(current.input, input, at),
      );
      if (!stored) throw scheduleNotFound();
      return { state: scheduleState(stored.paused, stored.input, undefined), completedAt: at.toISOString() };
    },
  };
}
