/**
 * Schema of the arguments a schedule's action passes to each run ({@link ScheduledRunInput}), checked by the
 * workflow before it does anything: the action's arguments can be edited outside the product (`temporal schedule
 * update`, the Web UI), and a malformed one must end the run with a clear error naming the field, never leave
 * it stuck retrying a failing workflow task. Pure and deterministic, so it runs inside workflows.
 */
import { z } from 'zod';
import { DispatchTargetShapeSchema } from '../catalog/model';
import { FREQUENCIES } from '../recurrence/types';
import {
  InstanceType,
  ScheduleKind,
  ScheduleOperationKind,
  type RunInputCheck,
  type ScheduledRunInput,
} from './run-input';

export { invalidRunInputMessage, type RunInputCheck } from './run-input';

const OPERATION_RECORD = z.object(
  {
    kind: z.enum(Object.values(ScheduleOperationKind), {
      error: 'lifecycle.operations[].kind must be a schedule operation',
    }),
    user: z.string({ error: 'lifecycle.operations[].user must be a string' }),
    requestedAt: z.string({ error: 'lifecycle.operations[].requestedAt must be a string' }),
    completedAt: z.string({ error: 'lifecycle.operations[].completedAt must be a string' }),
  },
  { error: 'lifecycle.operations[] must be objects' },
);

const text = (field: string) =>
  z.string({ error: `${field} must be a string` }).min(1, { error: `${field} must not be empty` });

const positive = (field: string) =>
  z.number({ error: `${field} must be a number` }).positive({ error: `${field} must be positive` });

/**
 * The run input as the workflow accepts it. The recurrence is checked only for its shape: it was validated and
 * normalised when the schedule was created or updated, and the run itself does not evaluate it.
 */
export const ScheduledRunInputSchema = z.object(
  {
    scheduleId: text('scheduleId'),
    kind: z.enum([ScheduleKind.Scheduler, ScheduleKind.Dynamic], {
      error: `kind must be "${ScheduleKind.Scheduler}" or "${ScheduleKind.Dynamic}"`,
    }),
    solution: text('solution'),
    reference: text('reference'),
    runbookUuid: text('runbookUuid'),
    generation: text('generation'),
    recurrence: z.looseObject(
      { frequency: z.enum(FREQUENCIES, { error: 'recurrence.frequency must be a known frequency' }) },
      { error: 'recurrence must be an object' },
    ),
    requestBody: z.record(z.string(), z.unknown(), { error: 'requestBody must be a JSON object' }).optional(),
    // The catalog's shape of a target: a run is given the target its runbook was registered with.
    target: DispatchTargetShapeSchema,
    jobContextIdentifierPath: z.string({ error: 'jobContextIdentifierPath must be a string' }).optional(),
    retry: z.object(
      {
        maximumAttempts: z
          .number({ error: 'retry.maximumAttempts must be a number' })
          .int({ error: 'retry.maximumAttempts must be an integer' })
          .min(1, { error: 'retry.maximumAttempts must be at least 1' }),
        initialIntervalMs: positive('retry.initialIntervalMs'),
        backoffCoefficient: z
          .number({ error: 'retry.backoffCoefficient must be a number' })
          .min(1, { error: 'retry.backoffCoefficient must be at least 1' }),
        maximumIntervalMs: positive('retry.maximumIntervalMs'),
      },
      { error: 'retry must be an object' },
    ),
    revision: z.string({ error: 'revision must be a string' }).optional(),
    rearmFrom: z.iso
      .datetime({ error: 'rearmFrom must be an ISO 8601 UTC instant or null' })
      .nullable()
      .optional(),
    submittedBy: z.string({ error: 'submittedBy must be a string' }).optional(),
    parameters: z
      .record(z.string(), z.string({ error: 'parameters values must be strings' }), {
        error: 'parameters must be an object of names to values',
      })
      .optional(),
    instanceType: z
      .enum(Object.values(InstanceType), {
        error: `instanceType must be one of ${Object.values(InstanceType).join(', ')}`,
      })
      .optional(),
    resubmittedFrom: z.string({ error: 'resubmittedFrom must be a string' }).optional(),
    businessIdentifierKeys: z
      .array(z.string({ error: 'businessIdentifierKeys must hold strings' }), {
        error: 'businessIdentifierKeys must be an array',
      })
      .optional(),
    triggeredAt: z.iso.datetime({ error: 'triggeredAt must be an ISO 8601 UTC instant' }).optional(),
    idempotencyKey: z.string({ error: 'idempotencyKey must be a string' }).min(1).max(1000).optional(),
    lifecycle: z
      .object(
        {
          operations: z.array(OPERATION_RECORD, { error: 'lifecycle.operations must be an array' }),
          lastRetryAt: z.string({ error: 'lifecycle.lastRetryAt must be a string' }).optional(),
        },
        { error: 'lifecycle must be an object' },
      )
      .optional(),
  },
  { error: 'the run input must be an object' },
);

/** Checks a run's argument; on failure, one message per problem, each naming the field. */
export function checkScheduledRunInput(value: unknown): RunInputCheck {
  const parsed = ScheduledRunInputSchema.safeParse(value);
  if (parsed.success) return { success: true, input: value as ScheduledRunInput };
  return { success: false, messages: [...new Set(parsed.error.issues.map((issue) => issue.message))] };
}
