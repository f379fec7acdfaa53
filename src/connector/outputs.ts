/**
 * Zod schemas of the connector's outputs: what the actions return and the error bodies the HTTP API answers
 * with. The single source of truth for the OpenAPI document; each inferred type matches the interface the
 * service returns today (`CreateScheduleOutput`, `ScheduleView`, `RunView`), so the service can use them as is.
 *
 * These describe, they do not filter: nothing parses an output on its way out, so a field added here and not
 * by the service (or the reverse) is caught by the type checker, not by a failed response.
 */
import { z } from 'zod';
import { JsonObjectSchema, RunbookSchema } from '../catalog/model';
import { Frequency, WEEKDAYS, WEEK_STARTS } from '../recurrence/types';
import { ScheduleKind } from '../temporal/run-input';

/** An instant as text (the document says `format: date-time`; nothing checks it on the way out). */
const instant = (description: string) => z.string().meta({ format: 'date-time', description });

const storedBase = {
  disabled: z.boolean().describe('Paused: by the rule itself, or by an operator.'),
  time_zone: z.string().describe('IANA time zone name (Rails names already mapped).'),
  start_date: z.string().describe('First eligible local day, YYYY-MM-DD (the default already filled in).'),
  time_of_day: z.string().describe('Local wall-clock time, HH:MM or HH:MM:SS as given; defaults HH:MM:SS.'),
};
const storedPeriodic = {
  ...storedBase,
  interval: z.number().int(),
  end_date: z.string().optional().describe('Last eligible local day, YYYY-MM-DD.'),
};
const weekday = z.enum(WEEKDAYS);
const nthWeekday = {
  day_of_week: z.literal(true),
  day_of_week_index: z.number().int().describe('1-4, or -1 for the last.'),
  day_of_week_day: weekday,
};

/**
 * A normalised, stored recurrence as the service echoes it back (the `Recurrence` type of the recurrence core):
 * every clock-dependent default filled in, fields that do not belong to the frequency cleared.
 */
export const StoredRecurrenceSchema = z
  .discriminatedUnion('frequency', [
    z.object({ frequency: z.literal(Frequency.NoRepeat), ...storedBase }),
    z.object({ frequency: z.enum([Frequency.Minutely, Frequency.Hourly]), ...storedPeriodic }),
    z.object({ frequency: z.literal(Frequency.Daily), ...storedPeriodic }),
    z.object({
      frequency: z.literal(Frequency.Weekly),
      ...storedPeriodic,
      day: z.array(weekday),
      week_start: z.enum(WEEK_STARTS),
    }),
    z.discriminatedUnion('day_of_week', [
      z.object({
        frequency: z.literal(Frequency.Monthly),
        ...storedPeriodic,
        day_of_week: z.literal(false),
        day_of_month: z.array(z.number().int()).describe('1 to 31, or -1 for the last day.'),
      }),
      z.object({ frequency: z.literal(Frequency.Monthly), ...storedPeriodic, ...nthWeekday }),
    ]),
    z.discriminatedUnion('day_of_week', [
      z.object({
        frequency: z.literal(Frequency.Yearly),
        ...storedPeriodic,
        month_of_year: z.array(z.number().int()),
        day_of_week: z.literal(false),
      }),
      z.object({
        frequency: z.literal(Frequency.Yearly),
        ...storedPeriodic,
        month_of_year: z.array(z.number().int()),
        ...nthWeekday,
      }),
    ]),
  ])
  .describe('A stored recurrence: normalised, defaults filled in.');
/** A stored recurrence; the same type as the recurrence core's `Recurrence`. */
export type StoredRecurrence = z.infer<typeof StoredRecurrenceSchema>;

/** Create Schedule's output (FEATURES.md A7). */
export const CreateScheduleOutputSchema = z.object({
  schedule_reference: z.string(),
  next_occurrence_at: instant('The next fire, YYYY-MM-DDTHH:MM:SSZ.')
    .nullable()
    .describe('The next fire, or null when it will never fire.'),
  next_occurrence_errors: z.string().nullable().describe('Why next_occurrence_at is null.'),
});
/** Create Schedule's output. */
export type CreateScheduleOutput = z.infer<typeof CreateScheduleOutputSchema>;

/** A schedule as callers see it. */
export const ScheduleViewSchema = z.object({
  schedule_reference: z.string(),
  runbook_uuid: z.string(),
  kind: z.enum([ScheduleKind.Scheduler, ScheduleKind.Dynamic]),
  schedule: StoredRecurrenceSchema,
  request_body: JsonObjectSchema.nullable(),
  paused: z
    .boolean()
    .describe('True when paused: by `disabled`, by an operator (also in the Temporal UI), or by itself.'),
  note: z.string().nullable().describe("The schedule's note: why it is paused, or its next occurrence."),
  next_action_times: z
    .array(instant('YYYY-MM-DDTHH:MM:SSZ'))
    .describe('The next instants Temporal will fire.'),
  last_error: z
    .string()
    .nullable()
    .describe('The last dispatch failure, `<triggered_at> Runbook execution failed with status <status>`.'),
  generation: z.string(),
  temporal_schedule_id: z.string(),
});
/** A schedule as callers see it. */
export type ScheduleView = z.infer<typeof ScheduleViewSchema>;

/** One run of a schedule, as callers see it. */
export const RunViewSchema = z.object({
  workflow_id: z.string(),
  run_id: z.string(),
  generation: z.string().nullable().describe('The schedule generation that fired it.'),
  triggered_at: instant(
    'The occurrence instant, YYYY-MM-DDTHH:MM:SSZ (the trigger instant for a manual fire).',
  ),
  status: z
    .string()
    .describe("Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT."),
  dispatch_status: z
    .string()
    .nullable()
    .describe('succeeded, failed, duplicate or cancelled once the dispatch ended; null while it runs.'),
  job_context_identifier: z.string().nullable(),
  started_at: instant('When the run started, an ISO 8601 UTC instant with milliseconds.'),
  closed_at: instant('When the run ended, ISO 8601 UTC with milliseconds.')
    .nullable()
    .describe('When the run ended; null while it runs.'),
  duration_ms: z.number().int().nullable(),
});
/** One run of a schedule. */
export type RunView = z.infer<typeof RunViewSchema>;

/** The `{success: true}` of actions that return nothing else. */
export const SuccessSchema = z.object({ success: z.literal(true) });
/** The `{success: true}` of actions that return nothing else. */
export type Success = z.infer<typeof SuccessSchema>;

/** One page of a solution's schedules, by reference within the page. */
export const ScheduleListSchema = z.object({
  schedules: z.array(ScheduleViewSchema),
  next_page_token: z
    .string()
    .nullable()
    .describe('Pass it as `page_token` for the next page; null on the last page.'),
});
/** One page of a solution's schedules. */
export type ScheduleList = z.infer<typeof ScheduleListSchema>;

/** The most recent runs of a reference, newest first. */
export const RunListSchema = z.object({ runs: z.array(RunViewSchema) });
/** The most recent runs of a reference. */
export type RunList = z.infer<typeof RunListSchema>;

/** The runbooks of a solution. */
export const RunbookListSchema = z.object({ runbooks: z.array(RunbookSchema) });
/** The runbooks of a solution. */
export type RunbookList = z.infer<typeof RunbookListSchema>;

/** A refused request: the exact user-facing message, and the validation messages behind it (often none). */
export const ErrorBodySchema = z.object({
  error: z.string().describe('The exact message (FEATURES.md).'),
  details: z.array(z.string()).describe('Validation messages, one sentence each; often empty.'),
});
/** A refused request. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A dependency is down: `Temporal is unavailable: <cause>` or `Catalog is unavailable: <cause>`. */
export const UnavailableBodySchema = z.object({
  error: z.string().describe('`Temporal is unavailable: <cause>` or `Catalog is unavailable: <cause>`.'),
});
/** A dependency is down. */
export type UnavailableBody = z.infer<typeof UnavailableBodySchema>;

/** The message of every unexpected failure; the detail is only in the server's log. */
export const INTERNAL_ERROR_MESSAGE = 'Internal error';

/** An unexpected failure: never the internal message, only the id that finds it in the server's log. */
export const InternalErrorBodySchema = z.object({
  error: z.literal(INTERNAL_ERROR_MESSAGE),
  request_id: z.string().describe("The request's id in the server's log."),
});
/** An unexpected failure. */
export type InternalErrorBody = z.infer<typeof InternalErrorBodySchema>;
