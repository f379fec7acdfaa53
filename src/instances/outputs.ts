/** Zod schemas of the instance operations' outputs, for the OpenAPI document (they describe, not filter). */
import { z } from 'zod';
import { INSTANCE_STATUSES } from './status';

/** One instance (`InstanceView`). */
export const InstanceViewSchema = z.object({
  primary_identifier: z.string().describe("The instance's idempotency key"),
  instance_id: z
    .string()
    .describe('Workflow id of its run or abort record (queued: the id its run will have)'),
  status: z.enum(INSTANCE_STATUSES as [string, ...string[]]),
  type: z.string().describe('`Scheduled`, `Once`, `RunNow` or `Resubmitted`'),
  triggered_at: z.string(),
  business_identifiers: z.record(z.string(), z.string()),
  submitter: z.string().nullable(),
  started_at: z.string().nullable(),
  closed_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  aborted: z.object({ reason: z.string(), by: z.string().nullable() }).nullable(),
  resubmitted_from: z.string().nullable(),
  resubmitted_as: z.array(z.string()),
});

/** A page of instances. */
export const InstancePageSchema = z.object({
  instances: z.array(InstanceViewSchema),
  next_page_token: z.string().nullable(),
});

/** Future runs. */
export const FutureRunsSchema = z.object({
  paused: z.boolean(),
  future_runs: z.array(z.object({ type: z.string(), scheduled_time: z.string() })),
});

/** An abort record. */
export const AbortRecordSchema = z.object({
  scheduleId: z.string(),
  solution: z.string(),
  reference: z.string(),
  runbookUuid: z.string(),
  generation: z.string(),
  occurrence: z.string(),
  reason: z.string(),
  user: z.string(),
  abortedAt: z.string(),
});

/** Resubmit's answer. */
export const ResubmittedSchema = z.object({ instance_id: z.string() });

/** One entry of an activity stream. */
export const ActivityEntrySchema = z.object({
  time: z.string().describe('When, ISO 8601'),
  milestone: z
    .string()
    .describe(
      '`Scheduled run is triggered`, `Scheduled run started processing`, `Schedule paused`, `Schedule resumed` (also `Schedule started`, `Schedule stopped`), `Dispatch attempt failed` (retried), `Processing completed successfully`, `Run refused as a duplicate`, `Processing failed`, `Cancellation requested`, `Instance aborted`',
    ),
  reason: z.string().nullable().describe('Failures and aborts: the message or reason'),
  by: z
    .string()
    .nullable()
    .describe(
      "Who: the submitting user for the run's own milestones, the operator for operations, aborts and cancels",
    ),
  payloads: z
    .array(z.enum(['request', 'response']))
    .describe('Payloads this milestone has to view or download (`GET .../request`, `GET .../response`)'),
});

/** An instance's activity stream. */
export const ActivityStreamSchema = z.object({
  instance_id: z.string(),
  status: z.enum(INSTANCE_STATUSES as [string, ...string[]]),
  entries: z.array(ActivityEntrySchema),
});

/** A dispatched request (target header values redacted) or a runbook's answer. */
export const InstancePayloadSchema = z
  .record(z.string(), z.unknown())
  .describe(
    'request: `{method, url, headers, body}` (an HTTP target; header values the runbook configured read `[redacted]`) or `{workflow_type, workflow_id, body}`; response: `{status, status_text, content_type, body, truncated}`',
  );
