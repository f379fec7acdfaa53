/**
 * Zod schemas of the connector's inputs: the single source of truth for the client API, the HTTP API and the
 * CLI. Recurrences are validated separately, by the recurrence schema, once the clock is known.
 */
import { z } from 'zod';
import { JsonObjectSchema } from '../catalog/model';
import { MAX_REQUEST_BODY_BYTES } from '../dispatch/payload';

/** Message for a missing field, else `invalid`. */
function requiredOr(field: string, invalid: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${field} is required` : invalid;
}

/** The error of an input that is not a JSON object at all (an empty body, a list, a string). */
const NOT_AN_OBJECT = { error: 'Input must be a JSON object' };

const reference = z
  .string({ error: requiredOr('Schedule reference', 'Schedule reference must be a string') })
  .min(1, 'Schedule reference must not be empty')
  .max(200, 'Schedule reference must be at most 200 characters');

/** `request_body`: a JSON object of at most 64 KiB. */
export const RequestBodySchema = JsonObjectSchema.refine(
  (body) => Buffer.byteLength(JSON.stringify(body), 'utf8') <= MAX_REQUEST_BODY_BYTES,
  `Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes of JSON`,
);

/** Create Schedule input (FEATURES.md A7). */
export const CreateScheduleInputSchema = z.object(
  {
    runbook_uuid: z
      .string({ error: requiredOr('Runbook uuid', 'Runbook uuid must be a string') })
      .min(1, 'Runbook uuid must not be empty'),
    schedule_reference: reference,
    schedule: z.unknown().refine((v) => v !== undefined, 'Schedule is required'),
    request_body: z
      .union([RequestBodySchema, z.null()], { error: 'Request body must be a JSON object' })
      .optional()
      .transform((v) => v ?? undefined),
  },
  NOT_AN_OBJECT,
);
/** Create Schedule input. */
export type CreateScheduleInput = z.input<typeof CreateScheduleInputSchema>;

/** Update Schedule input (FEATURES.md A8). */
export const UpdateScheduleInputSchema = z.object(
  {
    schedule_reference: reference,
    schedule: z.unknown().refine((v) => v !== undefined, 'Schedule is required'),
  },
  NOT_AN_OBJECT,
);
/** Update Schedule input. */
export type UpdateScheduleInput = z.input<typeof UpdateScheduleInputSchema>;

/** Delete Schedule input (FEATURES.md A9); also the input of get, pause, resume and trigger. */
export const ScheduleReferenceInputSchema = z.object({ schedule_reference: reference }, NOT_AN_OBJECT);
/** Delete Schedule input. */
export type ScheduleReferenceInput = z.input<typeof ScheduleReferenceInputSchema>;

/** Most runs one List Runs call returns. */
export const MAX_RUNS_LIMIT = 1000;

/** List Runs input: a reference and how many of its most recent runs. */
export const ListRunsInputSchema = ScheduleReferenceInputSchema.extend({
  // A query string or a CLI flag carries the limit as text: digits are read as the number they spell.
  limit: z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
    z
      .number({ error: 'Limit must be a number' })
      .int({ error: 'Limit must be an integer' })
      .min(1, { error: 'Limit must be greater than or equal to 1' })
      .max(MAX_RUNS_LIMIT, { error: `Limit must be less than or equal to ${MAX_RUNS_LIMIT}` })
      .default(50)
      .describe('How many of the most recent runs. Default 50.'),
  ),
});
/** List Runs input. */
export type ListRunsInput = z.input<typeof ListRunsInputSchema>;

/** Messages of a failed parse, one sentence each. */
export function issueMessages(error: z.ZodError): string[] {
  return error.issues.map((issue) => issue.message);
}
