/** Names shared by the run workflow and the client that cancels it (no imports: workflow bundles load it). */

/**
 * Signal a cancel sends just before its cancel request, naming who cancelled the run, so the run records it in its
 * memo (a workflow cannot read the cancel request's reason). Argument: {@link CancelledBy}.
 */
export const CANCELLED_BY_SIGNAL = 'instanceCancelledBy';

/** The argument of {@link CANCELLED_BY_SIGNAL}. */
export interface CancelledBy {
  /** The user who cancelled the run. */
  readonly by: string;
  /** The reason shown on the instance, `Scheduled run cancelled by <user>`. */
  readonly reason: string;
}

/** Longest user or reason a run keeps from the signal (anyone with namespace access can send it). */
export const MAX_CANCELLED_BY_CHARS = 300;

/**
 * The user a `CANCELLED_BY_SIGNAL` names, or undefined when its argument is not one (anyone with namespace
 * access can send it, so it is bounded and checked).
 */
export function cancelledByOf(raw: unknown): CancelledBy | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { by, reason } = raw as Record<string, unknown>;
  if (typeof by !== 'string' || typeof reason !== 'string' || by === '') return undefined;
  return { by: by.slice(0, MAX_CANCELLED_BY_CHARS), reason: reason.slice(0, MAX_CANCELLED_BY_CHARS) };
}
