/**
 * What a node's run dispatches (FEATURES.md D5), pure and free of Node built-ins (the workflow builds it): the
 * service's `request_body` with the node named, the instant it was scheduled for, and the user it acts as.
 */
import type { DispatchPayload, JsonObject } from '../dispatch/payload';
import { formatUtcSeconds } from '../dispatch/payload';

/** The body a node's run sends: the dispatch payload of a schedule's fire, plus the node and the caller. */
export interface NodeRunPayload extends DispatchPayload {
  /** The node's identifier (also in `body.schedule_reference`, where a schedule's fire names its reference). */
  readonly schedule_node: string;
  /** The instant the run was scheduled for, ISO 8601 UTC with milliseconds. */
  readonly schedule_timestamp: string;
  /** The user who scheduled it: the run acts with this identity. */
  readonly user: string;
}

/** Builds a node run's body; the node's identifier wins over a `schedule_reference` key of the request body. */
export function buildNodeRunPayload(
  requestBody: JsonObject | undefined,
  identifier: string,
  scheduleTimestamp: string,
  user: string,
): NodeRunPayload {
  return {
    body: { ...(requestBody ?? {}), schedule_reference: identifier },
    triggered_at: formatUtcSeconds(new Date(scheduleTimestamp)),
    schedule_node: identifier,
    schedule_timestamp: scheduleTimestamp,
    user,
  };
}

/**
 * The `Idempotency-Key` of a node's run: its workflow id, the node's generation and the scheduled instant in
 * milliseconds, the same on every retry; header-safe (visible ASCII only).
 */
export function nodeRunIdempotencyKey(
  workflowId: string,
  generation: string,
  scheduleTimestamp: string,
): string {
  const safe = (s: string): string => s.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  return `${safe(workflowId)}/${safe(generation)}/${scheduleTimestamp}`;
}
