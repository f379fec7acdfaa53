/**
 * The request a fire dispatches to a runbook (FEATURES.md A3, F4). Pure: used by the workflow, so it must be
 * deterministic and free of Node built-ins.
 */

/** A JSON object as stored in `request_body`. */
export type JsonObject = { [key: string]: unknown };

/**
 * The JSON body a runbook receives on each fire: the A3 fields `body` and `triggered_at`, unchanged, and the
 * run's context (FEATURES.md B3, B8) beside them, each field present only when it has a value.
 */
export interface DispatchPayload {
  readonly body: JsonObject & { readonly schedule_reference: string };
  /** UTC instant of the occurrence, `YYYY-MM-DDTHH:MM:SSZ`, the same on every retry. */
  readonly triggered_at: string;
  /** The schedule parameters in force when the run started, name to value; absent when none are declared. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The submitting user the run executes as; absent for schedules written before it was recorded. */
  readonly submitted_by?: string;
}

/** The run context a payload carries beside the A3 fields (see {@link DispatchPayload}). */
export interface RunContext {
  readonly parameters?: Readonly<Record<string, string>> | undefined;
  readonly submittedBy?: string | undefined;
}

/** True when a run context has anything to carry (a runbook with no parameters and no submitter has not). */
export function hasRunContext(context: RunContext): boolean {
  return context.parameters !== undefined || context.submittedBy !== undefined;
}

/** Largest accepted `request_body`, in bytes of its JSON text (FEATURES.md A3). */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** Formats an instant as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds, truncated). */
export function formatUtcSeconds(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Builds the dispatched body: `request_body` with the platform's `schedule_reference` winning over a key of
 * the same name, the occurrence instant, and the run's context (parameters in force, submitting user).
 */
export function buildDispatchPayload(
  requestBody: JsonObject | undefined,
  scheduleReference: string,
  triggeredAt: Date,
  context: RunContext = {},
): DispatchPayload {
  return {
    body: { ...(requestBody ?? {}), schedule_reference: scheduleReference },
    triggered_at: formatUtcSeconds(triggeredAt),
    ...(context.parameters !== undefined ? { parameters: { ...context.parameters } } : {}),
    ...(context.submittedBy !== undefined ? { submitted_by: context.submittedBy } : {}),
  };
}

/**
 * The `Idempotency-Key` of one occurrence: schedule id, generation and occurrence instant, so a receiver can
 * drop retried duplicates and a re-created reference (new generation) never collides with the old one.
 */
export function idempotencyKey(scheduleId: string, generation: string, triggeredAt: Date): string {
  // Header values must be visible ASCII; references are free text, so escape everything else.
  const safe = (s: string): string => s.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  return `${safe(scheduleId)}/${safe(generation)}/${formatUtcSeconds(triggeredAt)}`;
}
