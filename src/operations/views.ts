/**
 * What the schedule operations answer (FEATURES.md B1-B3, B8), pure: a schedule's lifecycle as callers see it
 * (state, pending and last operation, submitting user, parameters, when Retry is next allowed), as a type and
 * its zod schema (the HTTP API's response).
 */
import { z } from 'zod';
import type { ParameterDeclaration } from './parameters';
import { parameterViews, type ParameterView } from './parameters';
import { nextRetryAllowedAt, scheduleState, ScheduleState } from './lifecycle';
import type { PendingOperation } from './operation-workflows';
import { InstanceType, ScheduleOperationKind, submitterOf } from '../temporal/run-input';
import type { StoredSchedule } from '../temporal/schedule-options';

const KINDS = Object.values(ScheduleOperationKind);

/** A schedule's lifecycle as callers see it. */
export const ScheduleStatusSchema = z
  .object({
    success: z.literal(true),
    schedule_reference: z.string(),
    status: z
      .enum(Object.values(ScheduleState))
      .describe('Active, Paused, Stopped, or Starting, Pausing, ...'),
    pending_operation: z
      .object({ kind: z.enum(KINDS), requested_by: z.string(), requested_at: z.string() })
      .nullable()
      .describe('The operation that has not completed yet (the status is then transitional), or null.'),
    last_operation: z
      .object({ kind: z.enum(KINDS), user: z.string(), requested_at: z.string(), completed_at: z.string() })
      .nullable()
      .describe('The last completed operation, or null.'),
    submitted_by: z.string().nullable().describe('The user the runs are submitted as (null: not recorded).'),
    parameters: z
      .array(
        z.object({ name: z.string(), default: z.string(), current: z.string(), new: z.string().nullable() }),
      )
      .describe("Each declared parameter's default, current value, and the new value of a pending Start."),
    next_retry_allowed_at: z
      .string()
      .nullable()
      .describe('When Retry is next allowed (ISO 8601), or null when it is allowed now.'),
  })
  .describe('A schedule and its lifecycle.');
/** A schedule's lifecycle as callers see it. */
export type ScheduleStatusView = z.infer<typeof ScheduleStatusSchema>;

/** The lifecycle view of a stored schedule, its pending operation and its runbook's declared parameters. */
export function scheduleStatusView(
  stored: StoredSchedule,
  pending: PendingOperation | undefined,
  declared: readonly ParameterDeclaration[] | undefined,
  now: Date,
): ScheduleStatusView {
  const last = stored.input.lifecycle?.operations.at(-1);
  const nextRetry = nextRetryAllowedAt(stored.input.lifecycle, now);
  const parameters: ParameterView[] = parameterViews(
    declared,
    stored.input.parameters,
    pending?.kind === ScheduleOperationKind.Start ? pending.parameters : undefined,
  );
  return {
    success: true,
    schedule_reference: stored.memo.reference,
    status: scheduleState(stored.paused, stored.input, pending?.kind),
    pending_operation: pending
      ? { kind: pending.kind, requested_by: pending.user, requested_at: pending.requestedAt }
      : null,
    last_operation: last
      ? { kind: last.kind, user: last.user, requested_at: last.requestedAt, completed_at: last.completedAt }
      : null,
    submitted_by: submitterOf(stored.input),
    parameters,
    next_retry_allowed_at: nextRetry ? nextRetry.toISOString() : null,
  };
}

/** What Run now answers: the instance it started. */
export const RunNowResultSchema = z
  .object({
    schedule_reference: z.string(),
    workflow_id: z.string().describe("The instance's workflow id."),
    run_id: z.string(),
    instance_type: z.literal(InstanceType.RunNow),
    submitted_by: z.string().describe('The caller: the user the run is submitted as.'),
    parameters: z.record(z.string(), z.string()).nullable().describe('The values in force for this run.'),
  })
  .describe('The instance Run now started.');
/** What Run now answers. */
export type RunNowResult = z.infer<typeof RunNowResultSchema>;
