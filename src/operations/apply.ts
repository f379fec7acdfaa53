/**
 * What a schedule operation writes (FEATURES.md B1), pure: the change of run input and pause state each of Start,
 * Pause, Resume and Stop makes, with the completed operation recorded. Applied through
 * `LifecycleScheduleGateway.modify` by the operation's activity.
 */
import {
  ScheduleOperationKind,
  type ScheduleOperationRecord,
  type ScheduledRunInput,
} from '../temporal/run-input';
import type { LifecycleChange } from '../temporal/lifecycle-gateway';
import { withOperation } from './lifecycle';

/** One durable schedule operation: the input of its workflow and of the activity that applies it. */
export interface ScheduleOperationInput {
  readonly scheduleId: string;
  readonly kind: ScheduleOperationKind;
  /** Who asked for it. */
  readonly user: string;
  /** When it was asked for, ISO 8601. */
  readonly requestedAt: string;
  /** Start: the parameter values in force from now on (already checked against the runbook). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Start: the submitting user from now on. @default the user who starts it */
  readonly submittedBy?: string;
}

/** The schedule's note after an operation: who stopped or paused it. */
export function operationNote(kind: ScheduleOperationKind, user: string): string {
  return `${kind === ScheduleOperationKind.Stop ? 'Stopped' : 'Paused'} by ${user}`;
}

/**
 * The write of an operation on a schedule's run input, completed at `at`; undefined when this very operation is
 * already recorded (its activity is retried after a write that took). Pause and Stop pause the schedule with a
 * note naming the user; Resume and Start compile the spec afresh from `at`, so the schedule fires from now on
 * and nothing of the paused or stopped period is caught up; Start also sets the values in force and the
 * submitting user.
 */
export function lifecycleChange(
  input: ScheduledRunInput,
  operation: ScheduleOperationInput,
  at: Date,
): LifecycleChange | undefined {
  const last = input.lifecycle?.operations.at(-1);
  if (
    last?.kind === operation.kind &&
    last.user === operation.user &&
    last.requestedAt === operation.requestedAt
  ) {
    return undefined;
  }
  const record: ScheduleOperationRecord = {
    kind: operation.kind,
    user: operation.user,
    requestedAt: operation.requestedAt,
    completedAt: at.toISOString(),
  };
  const recorded: ScheduledRunInput = { ...input, lifecycle: withOperation(input.lifecycle, record) };
  switch (operation.kind) {
    case ScheduleOperationKind.Pause:
    case ScheduleOperationKind.Stop:
      return { input: recorded, paused: true, note: operationNote(operation.kind, operation.user) };
    case ScheduleOperationKind.Resume:
      return { input: recorded, restartAt: at };
    case ScheduleOperationKind.Start: {
      const parameters = operation.parameters ?? input.parameters;
      return {
        input: {
          ...recorded,
          ...(parameters ? { parameters: { ...parameters } } : {}),
          submittedBy: operation.submittedBy ?? operation.user,
        },
        restartAt: at,
      };
    }
  }
}
