/**
 * Errors of the connector's actions and triggers. Messages are the exact strings of FEATURES.md A2, A7-A9:
 * other runbooks match on them.
 */

/** Why an action failed; the HTTP API maps it to a status code. */
export const ActionErrorCode = {
  Invalid: 'invalid',
  NotFound: 'not_found',
  Conflict: 'conflict',
  Unsupported: 'unsupported',
  /** The solution has as many schedules as its quota allows. */
  QuotaExceeded: 'quota_exceeded',
  /** The caller's principal lacks the role or authority the operation needs. */
  Forbidden: 'forbidden',
  /** Asked again too soon (a schedule operation's Retry within 10 minutes of the previous one). */
  TooEarly: 'too_early',
} as const;
/** Why an action failed. */
export type ActionErrorCode = (typeof ActionErrorCode)[keyof typeof ActionErrorCode];

/** A connector action failed; `message` is the exact user-facing string. */
export class ScheduleActionError extends Error {
  override readonly name = 'ScheduleActionError';
  constructor(
    message: string,
    readonly code: ActionErrorCode,
    /** Validation messages that travel beside the message (Update Schedule's `details`). */
    readonly details: readonly string[] = [],
    /** The reference concerned, when known. */
    readonly scheduleReference?: string,
  ) {
    super(message);
  }
}

/** Exact messages. */
export const Messages = {
  noRunbook: 'Failed to create schedule: No Runbook found',
  templateNotSupported: (uuid: string) =>
    `Failed to create schedule: Trigger template ${uuid} is not supported for scheduling`,
  createInvalid: (messages: readonly string[]) => `Failed to create schedule: ${JSON.stringify(messages)}`,
  referenceNotUnique: 'Reference must be unique per solution',
  updateNotFound: 'Failed to update schedule: Schedule not found',
  updateFailed: 'Failed to update schedule: Schedule update failed',
  registerFailed: (error: string) => `Failed to register schedule: ${error}`,
  /** A reference with no schedule in the caller's solution (get, pause, resume, trigger). */
  scheduleNotFound: 'Schedule not found',
  /** A List Schedules page token that is not the `next_page_token` of one of the solution's pages. */
  pageTokenInvalid: 'Page token is invalid',
  /** A solution at its schedule quota (`RUNBOOK_SCHEDULER_SCHEDULE_QUOTA`). */
  quotaReached: (quota: number) => `Solution has reached its quota of ${quota} schedules`,
  /** The caller lacks a role the operation needs. */
  roleRequired: (role: string, operation: string) => `The ${role} role is required to ${operation}`,
  /** Register Node refused its input (FEATURES.md D1). */
  nodeInvalid: (messages: readonly string[]) =>
    `Failed to register schedule node: ${JSON.stringify(messages)}`,
  /** A node identifier or reference the solution already has. */
  nodeTaken: (field: 'identifier' | 'reference') => `Schedule node ${field} must be unique per solution`,
  /** No node of this identifier in the caller's solution (get, delete, clear error). */
  nodeNotFound: 'Schedule node not found',
  /** Deleting a node or clearing its error needs admin authority over it. */
  nodeAdminRequired: (identifier: string) => `Admin authority over schedule node "${identifier}" is required`,
  /** A schedule operation asked for while another is pending (FEATURES.md B1). */
  operationPending: (state: string) =>
    `Schedule is ${state}: an operation is pending; Retry re-drives it, Refresh reads its status`,
  /** Start of a schedule that is already active. */
  alreadyActive: 'Schedule is already Active; stop it first to start it with new values',
  /** Pause or Resume of a stopped schedule. */
  scheduleStopped: 'Schedule is Stopped; start it to run again',
  /** Retry with no pending operation. */
  nothingToRetry: 'Schedule has no pending operation to retry',
  /** Retry within 10 minutes of the previous retry of the schedule; `next` is an ISO 8601 instant. */
  retryTooSoon: (next: string) =>
    `Retry refused: a schedule can be retried once every 10 minutes; the next retry is allowed at ${next}`,
  /** A parameters object that is not one. */
  parametersNotObject: 'Parameters must be an object of parameter names to string values',
  /** A parameter name the runbook does not declare. */
  parameterNotDeclared: (name: string) => `Parameter "${name}" is not declared by the runbook`,
  /** No instance of that id in the schedule (instance operations, FEATURES.md B5, B6). */
  instanceNotFound: 'Instance not found',
  /** An instance with no dispatched request or recorded answer (FEATURES.md B7). */
  noPayload: (payload: string) =>
    payload === 'request'
      ? 'This instance has not dispatched a request'
      : 'This instance has no recorded answer from the runbook',
  /** Abort of an instance that is not Queued or Paused. */
  notAbortable: (status: string) => `Only a Queued or Paused instance can be aborted; this one is ${status}`,
  /** Cancel of an instance that is not running. */
  notCancellable: (status: string) =>
    `Only an In progress or Blocked instance can be cancelled; this one is ${status}`,
  /** Resubmit of an instance that has not finished as a run. */
  notResubmittable: (status: string) =>
    `Only a finished run (Succeeded, Errored or Aborted) can be resubmitted; this one is ${status}`,
} as const;
