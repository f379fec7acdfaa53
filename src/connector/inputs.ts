/**
 * Zod schemas of the connector's inputs: the single source of truth for the client API, the HTTP API and the
 * CLI. Recurrences are validated separately, by the recurrence schema, once the clock is known.
 */
import { z } from 'zod';
import {
  DynamicSchedulerTriggerSchema,
  JsonObjectSchema,
  MAX_JSON_DEPTH,
  RunbookSchema,
  SchedulerTriggerSchema,
  TriggerTemplate,
  WebhookTriggerSchema,
} from '../catalog/model';
import { MAX_REQUEST_BODY_BYTES } from '../dispatch/payload';

/** Message for a missing field, else `invalid`. */
function requiredOr(field: string, invalid: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${field} is required` : invalid;
}

/** The error of an input that is not a JSON object at all (an empty body, a list, a string). */
const NOT_AN_OBJECT = { error: 'Input must be a JSON object' };

/** Longest schedule reference, runbook uuid and runbook name, in characters. */
export const MAX_NAME_LENGTH = 200;

const reference = z
  .string({ error: requiredOr('Schedule reference', 'Schedule reference must be a string') })
  .min(1, 'Schedule reference must not be empty')
  .max(MAX_NAME_LENGTH, `Schedule reference must be at most ${MAX_NAME_LENGTH} characters`);

/**
 * `request_body`: a JSON object of at most 64 KiB, nested at most {@link MAX_JSON_DEPTH} levels deep (the depth
 * is checked first, so the size check never serialises a body that is too deep).
 */
export const RequestBodySchema = JsonObjectSchema.refine(
  (body) =>
    jsonBytesAtLeast(body, MAX_REQUEST_BODY_BYTES) <= MAX_REQUEST_BODY_BYTES &&
    Buffer.byteLength(JSON.stringify(body), 'utf8') <= MAX_REQUEST_BODY_BYTES,
  `Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes of JSON`,
);

/**
 * A lower bound of the bytes `JSON.stringify(value)` writes, counted only until it passes `limit`. An object
 * built in code can share one sub-object or string under many keys, and serialising it would then write far
 * more than its heap holds (2^30 bytes from 30 objects): the exact count is taken only once this bound shows
 * the output is small. Every value counts at least one byte and every string its length, so past the bound's
 * pass the walk stops; depth is already bounded by {@link JsonObjectSchema}.
 */
function jsonBytesAtLeast(value: unknown, limit: number): number {
  let bytes = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && bytes <= limit) {
    const node = pending.pop();
    if (typeof node === 'string') {
      bytes += node.length + 2;
    } else if (Array.isArray(node)) {
      // Brackets, and a comma before every element but the first.
      bytes += 1 + Math.min(node.length, limit + 1);
      for (let i = 0; i < node.length && i <= limit; i++) pending.push(node[i]);
    } else if (node !== null && typeof node === 'object') {
      bytes += 2;
      for (const key of Object.keys(node)) {
        if (bytes > limit) break;
        const child = (node as Record<string, unknown>)[key];
        // JSON leaves out a key whose value it cannot write.
        if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
        bytes += key.length + 3;
        pending.push(child);
      }
    } else {
      bytes += 1;
    }
  }
  return bytes;
}

/** Create Schedule input (FEATURES.md A7). */
export const CreateScheduleInputSchema = z.object(
  {
    runbook_uuid: z
      .string({ error: requiredOr('Runbook uuid', 'Runbook uuid must be a string') })
      .min(1, 'Runbook uuid must not be empty')
      .max(MAX_NAME_LENGTH, `Runbook uuid must be at most ${MAX_NAME_LENGTH} characters`),
    schedule_reference: reference,
    schedule: z.unknown().refine((v) => v !== undefined, 'Schedule is required'),
    // Not a union: a union would answer a body that is too deep or too big as "must be a JSON object".
    request_body: RequestBodySchema.nullable()
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

/** Schedules on one page of List Schedules, unless asked otherwise. */
export const DEFAULT_SCHEDULE_PAGE_SIZE = 100;
/** Most schedules one page of List Schedules holds. */
export const MAX_SCHEDULE_PAGE_SIZE = 1000;
/** Longest page token, in characters (the tokens the product issues are far shorter). */
export const MAX_PAGE_TOKEN_LENGTH = 4096;

/** List Schedules input: how many on a page, and which page (the `next_page_token` of the previous one). */
export const ListSchedulesInputSchema = z.object(
  {
    // A query string or a CLI flag carries the size as text: digits are read as the number they spell.
    page_size: z.preprocess(
      (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
      z
        .number({ error: 'Page size must be a number' })
        .int({ error: 'Page size must be an integer' })
        .min(1, { error: 'Page size must be greater than or equal to 1' })
        .max(MAX_SCHEDULE_PAGE_SIZE, {
          error: `Page size must be less than or equal to ${MAX_SCHEDULE_PAGE_SIZE}`,
        })
        .default(DEFAULT_SCHEDULE_PAGE_SIZE)
        .describe(
          `How many schedules on the page, 1 to ${MAX_SCHEDULE_PAGE_SIZE}. Default ${DEFAULT_SCHEDULE_PAGE_SIZE}.`,
        ),
    ),
    page_token: z
      .string({ error: 'Page token must be a string' })
      .min(1, 'Page token must not be empty')
      .max(MAX_PAGE_TOKEN_LENGTH, `Page token must be at most ${MAX_PAGE_TOKEN_LENGTH} characters`)
      .regex(/^[A-Za-z0-9_-]+$/, 'Page token is invalid')
      .optional()
      .describe('The `next_page_token` of the previous page; absent for the first page.'),
  },
  NOT_AN_OBJECT,
);
/** List Schedules input. */
export type ListSchedulesInput = z.input<typeof ListSchedulesInputSchema>;

/** Longest `job_context_identifier_path`, in characters. */
export const MAX_JOB_CONTEXT_PATH_LENGTH = 256;
/**
 * Most segments of a `job_context_identifier_path`: `body` plus one key per level of a request body, so every
 * value a body can hold is reachable and no longer path could match anything.
 */
export const MAX_JOB_CONTEXT_PATH_SEGMENTS = MAX_JSON_DEPTH + 1;
/** Longest Webhook trigger `path`, in characters. */
export const MAX_WEBHOOK_PATH_LENGTH = 2048;

/** A runbook's `name`: 1 to {@link MAX_NAME_LENGTH} characters. */
export const RunbookNameSchema = z
  .string({ error: requiredOr('Runbook name', 'Runbook name must be a string') })
  .min(1, 'Runbook name must not be empty')
  .max(MAX_NAME_LENGTH, `Runbook name must be at most ${MAX_NAME_LENGTH} characters`);

/** A Dynamic Scheduler trigger's `job_context_identifier_path`: a dot path, bounded in length and segments. */
export const JobContextIdentifierPathSchema = z
  .string({ error: 'Job context identifier path must be a string' })
  .max(
    MAX_JOB_CONTEXT_PATH_LENGTH,
    `Job context identifier path must be at most ${MAX_JOB_CONTEXT_PATH_LENGTH} characters`,
  )
  .refine(
    (path) => path.split('.').length <= MAX_JOB_CONTEXT_PATH_SEGMENTS,
    `Job context identifier path must have at most ${MAX_JOB_CONTEXT_PATH_SEGMENTS} segments`,
  );

const TRIGGER_TEMPLATES = Object.values(TriggerTemplate);

function triggerMessage(issue: { input?: unknown }): string {
  const input = issue.input;
  if (input === undefined) return 'Trigger is required';
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'Trigger must be an object';
  if ((input as { template?: unknown }).template === undefined) return 'Trigger template is required';
  return `Trigger template must be one of ${TRIGGER_TEMPLATES.join(', ')}`;
}

/**
 * A runbook as a tenant registers it: the catalog's {@link RunbookSchema} with every tenant-sent field bounded
 * and every message naming its field. The trigger's `schedule_reference` is the product's to set on provision,
 * so it is not taken from the input. The recurrence of a Scheduler trigger is validated on provision, once the
 * clock is known.
 */
export const RegisterRunbookInputSchema = z.object(
  {
    ...RunbookSchema.shape,
    solution: z
      .string({ error: requiredOr('Solution', 'Solution must be a string') })
      .min(1, 'Solution must not be empty'),
    name: RunbookNameSchema,
    trigger: z.discriminatedUnion(
      'template',
      [
        SchedulerTriggerSchema.omit({ schedule_reference: true }).extend({
          schedule: z.unknown().refine((v) => v !== undefined, 'Schedule is required'),
          request_body: RequestBodySchema.optional(),
        }),
        DynamicSchedulerTriggerSchema.extend({
          job_context_identifier_path: JobContextIdentifierPathSchema.optional(),
        }),
        WebhookTriggerSchema.extend({
          path: z
            .string({ error: 'Trigger path must be a string' })
            .max(
              MAX_WEBHOOK_PATH_LENGTH,
              `Trigger path must be at most ${MAX_WEBHOOK_PATH_LENGTH} characters`,
            )
            .optional(),
        }),
      ],
      { error: triggerMessage },
    ),
  },
  NOT_AN_OBJECT,
);
/** A runbook as a tenant registers it. */
export type RegisterRunbookInput = z.input<typeof RegisterRunbookInputSchema>;

/** Messages of a failed parse, one sentence each. */
export function issueMessages(error: z.ZodError): string[] {
  return error.issues.map((issue) => issue.message);
}
