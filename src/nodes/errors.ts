/**
 * The error numbers of the schedule service (FEATURES.md D4, seed 002) and their exact messages. Pure and free of
 * Node built-ins: the node workflow's update validators answer with them too.
 */

/** The `errorNumber` of a schedule service answer. */
export const ErrorNumber = {
  /** Success (for `schedule`, also an ignored request: then no `scheduleTimestamp`). */
  Ok: 0,
  /** The caller has no admin authority over the schedule node. */
  NotAuthorised: 101,
  /** The schedule node is not found. */
  NotFound: 102,
  /** A parameter is missing or wrong; the message names it. */
  ParameterError: 103,
  /** The node has an error set by a failed run, until it is cleared. */
  ExistingErrors: 106,
  /** Temporary: the solution's limit of pending runs is reached, or Temporal is unavailable. */
  Temporary: 110,
} as const;
/** The `errorNumber` of a schedule service answer. */
export type ErrorNumber = (typeof ErrorNumber)[keyof typeof ErrorNumber];

/** Exact messages of the refusals, each starting with the seed's name of its number. */
export const NodeMessages = {
  notAuthorised: (identifier: string) =>
    `Not authorised: admin authority over schedule node "${identifier}" is required`,
  notFound: 'Not found: schedule node not found',
  parameter: (problem: string) => `Parameter error: ${problem}`,
  existingErrors: (identifier: string) =>
    `Rejected due to existing errors: schedule node "${identifier}" has an error set; clear it first`,
  capacity: (limit: number) =>
    `Temporary error: unable to accept more scheduled jobs (the solution has its limit of ${limit} pending runs)`,
  unavailable: (cause: string) => `Temporary error: ${cause}`,
} as const;

/** Exact problems of {@link NodeMessages.parameter}, each naming its parameter. */
export const ParameterProblems = {
  noNode: 'nodeIdentifierSchedule or nodeVersionReferenceSchedule is required',
  timestampFormat: 'scheduleTimestamp must be a UTC timestamp yyyy-mm-ddThh:mm:ss.sss',
  beyondMaximumDelay: (seconds: number) =>
    `scheduleTimestamp plus delay must lie within maximumDelay (${seconds} seconds) of now`,
  noService: 'service is required for action schedule',
  noRunbook: 'service.runbook_uuid names no runbook of this solution',
  credentials: (path: string) => `service must not contain credentials (${path})`,
  password: 'password is not accepted: authenticate with the bearer token',
  refusedTarget: (message: string) => `service.runbook_uuid: ${message}`,
  xmlMalformed: (reason: string) => `the request must be well-formed XML (${reason})`,
  xmlDoctype: 'the request must not contain a DOCTYPE or entity declarations',
  xmlTooLarge: (bytes: number) => `the request must be at most ${bytes} bytes`,
  xmlRoot: 'the request must be one ScheduleService element',
} as const;

/** A schedule service request refused with an error number; `message` is the exact string. */
export class ScheduleServiceError extends Error {
  override readonly name = 'ScheduleServiceError';
  constructor(
    readonly errorNumber: Exclude<ErrorNumber, 0>,
    message: string,
    /** The node concerned, when known. */
    readonly nodeIdentifier?: string,
  ) {
    super(message);
  }
}

/** The `type` of the ApplicationFailure an update validator rejects with; its first detail is the number. */
export const SCHEDULE_SERVICE_REFUSAL = 'ScheduleServiceRefusal';
