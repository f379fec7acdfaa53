/**
 * Schemas of what the node workflow's updates are sent ({@link NodeRunRequest}, {@link NodeCommand}), checked by
 * the update validators before anything is written to history: an update sent from outside the product (the
 * `temporal` CLI, the Web UI) that is malformed is rejected with 103 naming the field. Pure and deterministic.
 */
import { z } from 'zod';
import { DispatchTargetShapeSchema } from '../catalog/model';
import type { NodeCommand, NodeRunRequest } from './node-state';

const text = (field: string) =>
  z.string({ error: `${field} must be a string` }).min(1, { error: `${field} must not be empty` });
const positive = (field: string) =>
  z.number({ error: `${field} must be a number` }).positive({ error: `${field} must be positive` });

/** A command's argument. */
export const NodeCommandSchema = z.object(
  { generation: text('generation') },
  { error: 'the command must be an object' },
);

/** A `schedule` update's argument. */
export const NodeRunRequestSchema = NodeCommandSchema.extend({
  scheduleTimestamp: z.iso.datetime({ error: 'scheduleTimestamp must be an ISO 8601 UTC instant' }),
  runbookUuid: text('runbookUuid'),
  target: DispatchTargetShapeSchema,
  requestBody: z.record(z.string(), z.unknown(), { error: 'requestBody must be a JSON object' }).optional(),
  user: text('user'),
  retry: z.object(
    {
      maximumAttempts: z.number({ error: 'retry.maximumAttempts must be a number' }).int().min(1),
      initialIntervalMs: positive('retry.initialIntervalMs'),
      backoffCoefficient: z.number({ error: 'retry.backoffCoefficient must be a number' }).min(1),
      maximumIntervalMs: positive('retry.maximumIntervalMs'),
    },
    { error: 'retry must be an object' },
  ),
});

/** The messages of a value the schema refuses, or undefined when it is accepted. */
function problems(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : [...new Set(parsed.error.issues.map((i) => i.message))].join('; ');
}

/** The problem of a `schedule` update's argument, or undefined. */
export function runRequestProblem(value: unknown): string | undefined {
  return problems(NodeRunRequestSchema, value);
}

/** The problem of a command's argument, or undefined. */
export function commandProblem(value: unknown): string | undefined {
  return problems(NodeCommandSchema, value);
}

export type { NodeCommand, NodeRunRequest };
