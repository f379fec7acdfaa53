/** The inputs of the instance operations, one zod schema each, parsed at every boundary (HTTP, CLI, client). */
import { z } from 'zod';
import { ScheduleReferenceInputSchema } from '../connector/inputs';
import { MAX_FUTURE_RUNS } from './occurrences';
import { INSTANCE_STATUSES } from './status';

/** Largest page of instances. */
export const MAX_INSTANCES_PAGE = 100;

const reference = ScheduleReferenceInputSchema.shape.schedule_reference;
const instanceId = z
  .string({ error: 'instance_id is required' })
  .min(1, 'instance_id must not be empty')
  .max(1000, 'instance_id must be at most 1000 characters');
const instant = (field: string) => z.iso.datetime({ error: `${field} must be an ISO 8601 UTC instant` });

/** List Instances: a reference, optional status and occurrence-time filters, a page. */
export const ListInstancesInputSchema = z.object({
  schedule_reference: reference,
  status: z
    .enum(INSTANCE_STATUSES as [string, ...string[]], {
      error: `status must be one of ${INSTANCE_STATUSES.join(', ')}`,
    })
    .optional(),
  from: instant('from').optional(),
  to: instant('to').optional(),
  page_size: z.coerce
    .number({ error: 'page_size must be a number' })
    .int('page_size must be an integer')
    .min(1, 'page_size must be at least 1')
    .max(MAX_INSTANCES_PAGE, `page_size must be at most ${MAX_INSTANCES_PAGE}`)
    .default(20),
  page_token: z
    .string()
    .regex(/^\d{1,6}$/, 'page_token is not one this API returned')
    .optional(),
});
/** List Instances' input. */
export type ListInstancesInput = z.infer<typeof ListInstancesInputSchema>;

/** Future Runs: a reference and how many (1 to 1,000). */
export const FutureRunsInputSchema = z.object({
  schedule_reference: reference,
  count: z.coerce
    .number({ error: 'count must be a number' })
    .int('count must be an integer')
    .min(1, 'count must be at least 1')
    .max(MAX_FUTURE_RUNS, `count must be at most ${MAX_FUTURE_RUNS}`)
    .default(10),
});
/** Future Runs' input. */
export type FutureRunsInput = z.infer<typeof FutureRunsInputSchema>;

/** Abort, Cancel, Resubmit: one instance of a reference. */
export const InstanceInputSchema = z.object({ schedule_reference: reference, instance_id: instanceId });
/** One instance of a reference. */
export type InstanceInput = z.infer<typeof InstanceInputSchema>;

/** Instance Payload: one instance's dispatched `request` or the runbook's `response`, as JSON or as a download. */
export const InstancePayloadInputSchema = InstanceInputSchema.extend({
  payload: z.enum(['request', 'response'], { error: 'payload must be request or response' }),
  download: z
    .union(
      [
        z.boolean(),
        z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1'),
      ],
      { error: 'download must be true or false' },
    )
    .optional()
    .transform((value) => value ?? false),
});
/** Instance Payload's input. */
export type InstancePayloadInput = z.infer<typeof InstancePayloadInputSchema>;
