/**
 * The state of one schedule node's workflow and how each request changes it (FEATURES.md D2-D4), pure and
 * deterministic: the workflow keeps it, the update validators and handlers call these functions, unit tests
 * check them without a server. No Node built-ins, no clock.
 */
import type { DispatchTarget } from '../catalog/model';
import type { JsonObject } from '../dispatch/payload';
import type { DispatchRetryPolicy } from '../config';
import { ErrorNumber, NodeMessages } from './errors';

/** What a `schedule` asks the node workflow to keep as its pending run. Carries no credentials. */
export interface NodeRunRequest {
  /** The node's registration the caller resolved; a deleted generation is refused with 102. */
  readonly generation: string;
  /** The instant to run at, ISO 8601 UTC with milliseconds. */
  readonly scheduleTimestamp: string;
  readonly runbookUuid: string;
  /** The runbook's target as registered (checked against the target policy when scheduled). */
  readonly target: DispatchTarget;
  readonly requestBody?: JsonObject;
  /** The caller's user: the run acts as this user, and the dispatched body names it. */
  readonly user: string;
  /** Dispatch retries (FEATURES.md A4). */
  readonly retry: DispatchRetryPolicy;
}

/** A command on the node (`cancel`, clear its error, delete it), naming the registration it concerns. */
export interface NodeCommand {
  readonly generation: string;
}

/** The error members a failed run sets on its node (seed: `system.NODE_ERROR`). */
export interface NodeError {
  /** `Runbook execution failed with status <status>` (FEATURES.md A4). */
  readonly message: string;
  readonly failedAt: string;
  readonly scheduleTimestamp: string;
  readonly runbookUuid: string;
}

/** How the node's last run ended. */
export interface NodeLastRun {
  readonly scheduleTimestamp: string;
  readonly finishedAt: string;
  readonly status: 'succeeded' | 'failed' | 'duplicate';
}

/** Everything the node workflow remembers; carried whole across continue-as-new. */
export interface NodeState {
  readonly generation: string;
  readonly pending: NodeRunRequest | null;
  /** The run being dispatched, if any (it is no longer pending). */
  readonly running: NodeRunRequest | null;
  readonly error: NodeError | null;
  readonly lastRun: NodeLastRun | null;
  /** The node was deleted: its pending run is gone and requests of its generation are refused. */
  readonly deleted: boolean;
  /** Generations deleted, newest last (bounded), so a request resolved before a deletion is refused. */
  readonly deletedGenerations: readonly string[];
  /** Changes whenever the pending run does, so the workflow re-arms its timer. */
  readonly version: number;
}

/** Most deleted generations a node remembers. */
export const MAX_DELETED_GENERATIONS = 20;

/** The state of a node's first run. */
export function initialNodeState(generation: string): NodeState {
  return {
    generation,
    pending: null,
    running: null,
    error: null,
    lastRun: null,
    deleted: false,
    deletedGenerations: [],
    version: 0,
  };
}

/** A refusal of an update: its error number and exact message. */
export interface NodeRefusal {
  readonly errorNumber: ErrorNumber;
  readonly message: string;
}

/** The state a request of `generation` meets: a registration after a deletion starts afresh. */
export function forGeneration(state: NodeState, generation: string): NodeState {
  if (generation === state.generation) return state;
  return {
    ...initialNodeState(generation),
    deletedGenerations: state.deletedGenerations,
    version: state.version + 1,
  };
}

/** Why a command of this generation is refused (102 for a deleted registration), if it is. */
export function commandRefusal(state: NodeState, generation: string): NodeRefusal | undefined {
  if (state.deletedGenerations.includes(generation)) {
    return { errorNumber: ErrorNumber.NotFound, message: NodeMessages.notFound };
  }
  return undefined;
}

/** Why a `schedule` is refused: 102 for a deleted registration, 106 while the node has an error set. */
export function scheduleRefusal(
  state: NodeState,
  request: NodeRunRequest,
  identifier: string,
): NodeRefusal | undefined {
  const refusal = commandRefusal(state, request.generation);
  if (refusal) return refusal;
  if (forGeneration(state, request.generation).error !== null) {
    return { errorNumber: ErrorNumber.ExistingErrors, message: NodeMessages.existingErrors(identifier) };
  }
  return undefined;
}

/** What a `schedule` answers: the timestamp it scheduled, or none when an earlier or equal run is pending. */
export interface ScheduleOutcome {
  readonly scheduled: boolean;
  readonly scheduleTimestamp?: string;
}

/** A `schedule`: kept when nothing is pending or it is earlier than the pending run; ignored otherwise (D2). */
export function applySchedule(
  current: NodeState,
  request: NodeRunRequest,
): { state: NodeState; outcome: ScheduleOutcome } {
  const state = forGeneration(current, request.generation);
  const pending = state.pending;
  if (pending !== null && Date.parse(request.scheduleTimestamp) >= Date.parse(pending.scheduleTimestamp)) {
    return { state, outcome: { scheduled: false } };
  }
  return {
    state: { ...state, pending: request, version: state.version + 1 },
    outcome: { scheduled: true, scheduleTimestamp: request.scheduleTimestamp },
  };
}

/** A `cancel`: removes the pending run; a no-op without one (D3). */
export function applyCancel(
  current: NodeState,
  command: NodeCommand,
): { state: NodeState; cancelled: boolean } {
  const state = forGeneration(current, command.generation);
  if (state.pending === null) return { state, cancelled: false };
  return { state: { ...state, pending: null, version: state.version + 1 }, cancelled: true };
}

/** Clears the node's error (standing for the seed's re-derivation of the node). */
export function applyClearError(
  current: NodeState,
  command: NodeCommand,
): { state: NodeState; cleared: boolean } {
  const state = forGeneration(current, command.generation);
  return { state: { ...state, error: null }, cleared: state.error !== null };
}

/** Deletes the node: its pending run is cancelled and its generation refused from now on (D4). */
export function applyDelete(
  current: NodeState,
  command: NodeCommand,
): { state: NodeState; cancelled: boolean } {
  const state = forGeneration(current, command.generation);
  const deletedGenerations = [...state.deletedGenerations, command.generation].slice(
    -MAX_DELETED_GENERATIONS,
  );
  return {
    state: { ...state, pending: null, deleted: true, deletedGenerations, version: state.version + 1 },
    cancelled: state.pending !== null,
  };
}

/** The pending run becomes the running one. */
export function startRun(state: NodeState): NodeState {
  return { ...state, running: state.pending, pending: null, version: state.version + 1 };
}

/**
 * The running run ended: a failure sets the node's error members; a success leaves an earlier error as it is (D4).
 * A run of a generation since replaced changes nothing but `running`.
 */
export function finishRun(
  state: NodeState,
  run: NodeRunRequest,
  finishedAt: string,
  failure: string | null,
  duplicate = false,
): NodeState {
  if (run.generation !== state.generation) return { ...state, running: null };
  const lastRun: NodeLastRun = {
    scheduleTimestamp: run.scheduleTimestamp,
    finishedAt,
    status: failure !== null ? 'failed' : duplicate ? 'duplicate' : 'succeeded',
  };
  const error: NodeError | null =
    failure === null
      ? state.error
      : {
          message: failure,
          failedAt: finishedAt,
          scheduleTimestamp: run.scheduleTimestamp,
          runbookUuid: run.runbookUuid,
        };
  return { ...state, running: null, lastRun, error };
}

/** What the node's query answers: nothing of the runs' bodies or targets. */
export interface NodeStateView {
  readonly generation: string;
  readonly pending: {
    readonly scheduleTimestamp: string;
    readonly runbookUuid: string;
    readonly user: string;
  } | null;
  readonly running: { readonly scheduleTimestamp: string; readonly runbookUuid: string } | null;
  readonly error: NodeError | null;
  readonly lastRun: NodeLastRun | null;
  readonly deleted: boolean;
}

/** The query's view of a state. */
export function viewOf(state: NodeState): NodeStateView {
  return {
    generation: state.generation,
    pending: state.pending && {
      scheduleTimestamp: state.pending.scheduleTimestamp,
      runbookUuid: state.pending.runbookUuid,
      user: state.pending.user,
    },
    running: state.running && {
      scheduleTimestamp: state.running.scheduleTimestamp,
      runbookUuid: state.running.runbookUuid,
    },
    error: state.error,
    lastRun: state.lastRun,
    deleted: state.deleted,
  };
}
