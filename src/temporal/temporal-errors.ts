/**
 * The one place where Temporal's errors become the product's own: the gateway and the connection module wrap
 * every call with {@link translateTemporalError}, so no Temporal error class reaches the connector, the HTTP API
 * or the CLI.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError as TemporalScheduleNotFoundError,
} from '@temporalio/client';
import { Dependency, UnavailableError } from '../errors';

/** A reference that already has a live schedule in the solution. */
export class ScheduleAlreadyExistsError extends Error {
  override readonly name = 'ScheduleAlreadyExistsError';
  constructor(readonly scheduleId: string) {
    super(`Schedule ${scheduleId} already exists`);
  }
}

/** The schedule does not exist (any more), or is not one of the product's. */
export class ScheduleNotFoundError extends Error {
  override readonly name = 'ScheduleNotFoundError';
  constructor(readonly scheduleId: string) {
    super(`Schedule ${scheduleId} not found`);
  }
}

/**
 * A write to a schedule did not take after several attempts: each time it was read back, a concurrent change had
 * won. Nothing of this write is in the schedule.
 */
export class ScheduleWriteConflictError extends Error {
  override readonly name = 'ScheduleWriteConflictError';
  constructor(
    readonly scheduleId: string,
    readonly attempts: number,
  ) {
    super(
      `Schedule ${scheduleId} kept changing concurrently; the change did not take after ${attempts} attempts`,
    );
  }
}

/**
 * A schedule's run input is of a deleted generation of its reference, written over its own by a stale write, and
 * cannot be restored (`generation-restore.ts`): the schedule is paused, with a note that says why.
 */
export class ScheduleOverwrittenError extends Error {
  override readonly name = 'ScheduleOverwrittenError';
  constructor(
    readonly scheduleId: string,
    readonly reason: string,
  ) {
    super(
      `Schedule ${scheduleId} holds the run input of a deleted schedule of the same reference and cannot be ` +
        `restored (${reason}); it is paused. Delete it and create it again`,
    );
  }
}

/** gRPC status codes the translation looks at. */
export const GrpcStatus = {
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  Unimplemented: 12,
  Unavailable: 14,
} as const;

/** The gRPC status code of an error or of its cause (the SDK wraps them in `ServiceError`), if any. */
export function grpcCodeOf(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

const UNAVAILABLE_REASONS: Readonly<Record<number, string>> = {
  [GrpcStatus.Unavailable]: 'the server did not answer',
  [GrpcStatus.DeadlineExceeded]: 'the request timed out',
  [GrpcStatus.ResourceExhausted]: 'the server is overloaded',
};

/** True when the error says a concurrent change won (a stale conflict token refused rather than dropped). */
export function isConflict(err: unknown): boolean {
  const code = grpcCodeOf(err);
  if (code === GrpcStatus.Aborted || code === GrpcStatus.FailedPrecondition) {
    return /conflict/i.test(err instanceof Error ? err.message : String(err));
  }
  return false;
}

/**
 * The product's error for a Temporal error: {@link ScheduleAlreadyExistsError}, {@link ScheduleNotFoundError},
 * {@link UnavailableError} (never naming the server's address), or the error itself when it is none of these.
 * @param scheduleId the schedule concerned, carried by the translated error.
 */
export function translateTemporalError(err: unknown, scheduleId = ''): unknown {
  if (err instanceof ScheduleAlreadyRunning) return new ScheduleAlreadyExistsError(scheduleId);
  if (err instanceof TemporalScheduleNotFoundError) return new ScheduleNotFoundError(scheduleId);
  const code = grpcCodeOf(err);
  if (code === GrpcStatus.NotFound && scheduleId) return new ScheduleNotFoundError(scheduleId);
  if (code === GrpcStatus.FailedPrecondition && scheduleId && isClosedScheduler(err)) {
    return new ScheduleNotFoundError(scheduleId);
  }
  const reason = code === undefined ? undefined : UNAVAILABLE_REASONS[code];
  if (reason) return new UnavailableError(Dependency.Temporal, reason, { cause: err });
  if (isConnectionFailure(err)) {
    return new UnavailableError(Dependency.Temporal, 'cannot connect to the server', { cause: err });
  }
  return err;
}

/** Runs a Temporal call, translating what it throws (see {@link translateTemporalError}). */
export async function translating<T>(scheduleId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translateTemporalError(err, scheduleId);
  }
}

/**
 * A schedule deleted a moment ago: its scheduler workflow closed while the call was on its way (a describe then
 * answers `FAILED_PRECONDITION: Workflow execution closed before WorkflowTaskStarted event`).
 */
function isClosedScheduler(err: unknown): boolean {
  const text =
    err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause)}` : String(err);
  return /workflow execution (closed|already completed)/i.test(text);
}

/** Errors of a connection that could not be made at all (refused, unresolvable, TLS handshake). */
function isConnectionFailure(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  return /TransportError|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|Failed to connect|No connection established|handshake/i.test(
    text,
  );
}

/** Temporal refused a page token the caller passed (one it did not issue, or issued for another query). */
export class PageTokenRejectedError extends Error {
  override readonly name = 'PageTokenRejectedError';
  constructor(options?: { cause?: unknown }) {
    super('Temporal refused the page token', options);
  }
}
