/**
 * Schedule nodes and the schedule service's request and answer (FEATURES.md D1-D5), as zod schemas: the single
 * source of truth for the client API, the HTTP API (JSON and XML), the CLI and the node workflow's validators.
 */
import { z } from 'zod';
import { MAX_NAME_LENGTH, RequestBodySchema } from '../connector/inputs';
import { isValidUser } from '../principal';
import { ParameterProblems } from './errors';

/** Longest node identifier and reference, in characters. */
export const MAX_NODE_NAME_LENGTH = MAX_NAME_LENGTH;
/** Most admin users a node lists. */
export const MAX_NODE_ADMINS = 100;

/** A name of a node: 1 to 200 characters, no control characters (it travels in a workflow id). */
function nodeName(field: string) {
  return (
    z
      .string({
        error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`),
      })
      .min(1, `${field} must not be empty`)
      .max(MAX_NODE_NAME_LENGTH, `${field} must be at most ${MAX_NODE_NAME_LENGTH} characters`)
      // eslint-disable-next-line no-control-regex
      .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), `${field} must not contain control characters`)
  );
}

/** Admin users of a node: user names as tokens and `RUNBOOK_SCHEDULER_USER` give them. */
const AdminsSchema = z
  .array(
    z
      .string({ error: 'admins must be a list of user names' })
      .refine(isValidUser, 'admins must be a list of user names'),
    { error: 'admins must be a list of user names' },
  )
  .max(MAX_NODE_ADMINS, `admins must list at most ${MAX_NODE_ADMINS} users`);

/** Input of Register Node: the caller becomes one of its admins. */
export const RegisterNodeInputSchema = z.strictObject(
  {
    identifier: nodeName('identifier'),
    reference: nodeName('reference'),
    admins: AdminsSchema.optional(),
  },
  { error: 'Input must be a JSON object' },
);
/** Input of Register Node. */
export type RegisterNodeInput = z.infer<typeof RegisterNodeInputSchema>;

/** A schedule node as the registry stores it. */
export const ScheduleNodeSchema = z.object({
  solution: z.string(),
  identifier: z.string(),
  reference: z.string(),
  /** Users with admin authority over the node (besides callers with the `ServiceAdministrator` role). */
  admins: z.array(z.string()),
  /** Fresh on every registration: a node deleted and registered again is a new node to its workflow. */
  generation: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
/** A schedule node as the registry stores it. */
export type ScheduleNode = z.infer<typeof ScheduleNodeSchema>;

/** How a node is named in a request: identifier or reference. */
export const NodeSelectorSchema = z.strictObject(
  {
    nodeIdentifierSchedule: nodeName('nodeIdentifierSchedule').optional(),
    nodeVersionReferenceSchedule: nodeName('nodeVersionReferenceSchedule').optional(),
  },
  { error: 'Input must be a JSON object' },
);
/** How a node is named in a request. */
export type NodeSelector = z.infer<typeof NodeSelectorSchema>;

/** The schedule service's actions; `schedule` is the default. */
export const ScheduleAction = {
  Schedule: 'schedule',
  Cancel: 'cancel',
  Query: 'query',
} as const;
/** A schedule service action. */
export type ScheduleAction = (typeof ScheduleAction)[keyof typeof ScheduleAction];

/** The service a `schedule` runs: a runbook of the caller's solution, and the body it is sent. */
export const ScheduledServiceSchema = z.strictObject(
  {
    runbook_uuid: z.uuid({ error: 'service.runbook_uuid must be a UUID' }),
    request_body: RequestBodySchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `service has unknown field ${JSON.stringify(issue.keys[0])}`
        : 'service must be an object with runbook_uuid and optional request_body',
  },
);
/** The service a `schedule` runs. */
export type ScheduledService = z.infer<typeof ScheduledServiceSchema>;

/** Longest `delay`, in seconds: 100 years; `maximumDelay` bounds it further. */
const MAX_DELAY_SECONDS = 100 * 365 * 24 * 3600;

/** A schedule service request, in its JSON form (the XML form is read into this shape). */
export const ScheduleServiceInputSchema = z.strictObject(
  {
    action: z
      .enum([ScheduleAction.Schedule, ScheduleAction.Cancel, ScheduleAction.Query], {
        error: 'action must be schedule, cancel or query',
      })
      .default(ScheduleAction.Schedule),
    nodeIdentifierSchedule: nodeName('nodeIdentifierSchedule').optional(),
    nodeVersionReferenceSchedule: nodeName('nodeVersionReferenceSchedule').optional(),
    scheduleTimestamp: z.string({ error: 'scheduleTimestamp must be a string' }).optional(),
    delay: z
      .number({ error: 'delay must be a number of seconds' })
      .min(0, 'delay must not be negative')
      .max(MAX_DELAY_SECONDS, `delay must be at most ${MAX_DELAY_SECONDS} seconds`)
      .optional(),
    service: ScheduledServiceSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.includes('password')
          ? ParameterProblems.password
          : `unknown parameter ${JSON.stringify(issue.keys[0])}`
        : 'the request must be an object',
  },
);
/** A schedule service request. */
export type ScheduleServiceInput = z.infer<typeof ScheduleServiceInputSchema>;

/** The answer of the schedule service: `errorNumber` 0 and, when one was scheduled or found, its timestamp. */
export const ScheduleServiceAnswerSchema = z.object({
  errorNumber: z.number().describe('0 on success; 101, 102, 103, 106 or 110 on a refusal'),
  scheduleTimestamp: z
    .string()
    .optional()
    .describe('yyyy-mm-ddThh:mm:ss.sss (UTC): what schedule scheduled, or what query found'),
  errorMessage: z.string().optional().describe('the exact message of a refusal'),
});
/** The answer of the schedule service. */
export type ScheduleServiceAnswer = z.infer<typeof ScheduleServiceAnswerSchema>;
