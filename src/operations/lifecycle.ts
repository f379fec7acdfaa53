/**
 * A schedule's lifecycle (FEATURES.md B1), pure: its state from what Temporal stores and the pending operation,
 * which operation each state accepts, the bounded record of completed operations, and the Retry interval. No
 * clock: `now` is a parameter.
 */
import {
  MAX_RECORDED_OPERATIONS,
  ScheduleOperationKind,
  type ScheduleLifecycle,
  type ScheduleOperationRecord,
  type ScheduledRunInput,
} from '../temporal/run-input';
import { Messages } from '../connector/errors';

/** A schedule's state: settled (`Active`, `Paused`, `Stopped`) or transitional while an operation is pending. */
export const ScheduleState = {
  Active: 'Active',
  Paused: 'Paused',
  Stopped: 'Stopped',
  Starting: 'Starting',
  Pausing: 'Pausing',
  Resuming: 'Resuming',
  Stopping: 'Stopping',
} as const;
/** A schedule's state. */
export type ScheduleState = (typeof ScheduleState)[keyof typeof ScheduleState];

/** The transitional state of each operation while it is pending. */
export const PENDING_STATE: Readonly<Record<ScheduleOperationKind, ScheduleState>> = {
  Start: ScheduleState.Starting,
  Pause: ScheduleState.Pausing,
  Resume: ScheduleState.Resuming,
  Stop: ScheduleState.Stopping,
};

/** The state an operation leaves once completed. */
export const SETTLED_STATE: Readonly<Record<ScheduleOperationKind, ScheduleState>> = {
  Start: ScheduleState.Active,
  Pause: ScheduleState.Paused,
  Resume: ScheduleState.Active,
  Stop: ScheduleState.Stopped,
};

/** Least time between two retries of one schedule's operations. */
export const RETRY_INTERVAL_MS = 10 * 60_000;

/**
 * The state of a schedule: the pending operation's transitional state if there is one; else `Active` when
 * Temporal fires it, `Stopped` when paused by a Stop (the last completed operation), `Paused` otherwise (an
 * operator pause, here or in the Temporal UI, `disabled`, or a rule with no further occurrence).
 */
export function scheduleState(
  paused: boolean,
  input: Pick<ScheduledRunInput, 'lifecycle'>,
  pending: ScheduleOperationKind | undefined,
): ScheduleState {
  if (pending !== undefined) return PENDING_STATE[pending];
  if (!paused) return ScheduleState.Active;
  const last = input.lifecycle?.operations.at(-1);
  return last?.kind === ScheduleOperationKind.Stop ? ScheduleState.Stopped : ScheduleState.Paused;
}

/** What a requested operation does in a state: run, nothing (already there), or be refused with a message. */
export type OperationDecision =
  | { readonly kind: 'run' }
  | { readonly kind: 'noop' }
  | { readonly kind: 'refused'; readonly message: string };

const RUN: OperationDecision = { kind: 'run' };
const NOOP: OperationDecision = { kind: 'noop' };

/**
 * Whether an operation may start in a state. While one is pending, every other is refused (Retry re-drives it);
 * Pause of a paused, Resume of an active and Stop of a stopped schedule change nothing; Start takes a stopped or
 * paused schedule (an active one is refused: stop it first to start it with new values); Pause and Resume of a
 * stopped schedule are refused (Start it).
 */
export function decideOperation(state: ScheduleState, kind: ScheduleOperationKind): OperationDecision {
  const refused = (message: string): OperationDecision => ({ kind: 'refused', message });
  if (Object.values(PENDING_STATE).includes(state)) return refused(Messages.operationPending(state));
  switch (kind) {
    case ScheduleOperationKind.Start:
      return state === ScheduleState.Active ? refused(Messages.alreadyActive) : RUN;
    case ScheduleOperationKind.Pause:
      if (state === ScheduleState.Stopped) return refused(Messages.scheduleStopped);
      return state === ScheduleState.Paused ? NOOP : RUN;
    case ScheduleOperationKind.Resume:
      if (state === ScheduleState.Stopped) return refused(Messages.scheduleStopped);
      return state === ScheduleState.Active ? NOOP : RUN;
    case ScheduleOperationKind.Stop:
      return state === ScheduleState.Stopped ? NOOP : RUN;
  }
}

/** The lifecycle with one more completed operation, the oldest dropped beyond {@link MAX_RECORDED_OPERATIONS}. */
export function withOperation(
  lifecycle: ScheduleLifecycle | undefined,
  record: ScheduleOperationRecord,
): ScheduleLifecycle {
  const operations = [...(lifecycle?.operations ?? []), record].slice(-MAX_RECORDED_OPERATIONS);
  return { ...lifecycle, operations };
}

/** When the next retry of a schedule is allowed, or undefined when it is allowed now. */
export function nextRetryAllowedAt(lifecycle: ScheduleLifecycle | undefined, now: Date): Date | undefined {
  if (lifecycle?.lastRetryAt === undefined) return undefined;
  const next = new Date(new Date(lifecycle.lastRetryAt).getTime() + RETRY_INTERVAL_MS);
  return next > now ? next : undefined;
}
