/**
 * Shape of a workspace run's input ({@link WorkspaceRunInput}), checked by the workflow before it dispatches
 * anything: the action's arguments can be edited outside the product (the Web UI, `temporal schedule update`),
 * and a malformed one must end the run naming the field, never leave it retrying a failing workflow task.
 * Pure and deterministic, so it runs inside workflows.
 */
import { z } from 'zod';
import { DispatchTargetShapeSchema } from '../catalog/model';
import type { WorkspaceRunInput } from './run-input';

const text = (field: string) =>
  z.string({ error: `${field} must be a string` }).min(1, { error: `${field} must not be empty` });

const JobShapeSchema = z.object(
  {
    name: z.string({ error: 'jobs[].name must be a string' }),
    runbookUuid: text('jobs[].runbookUuid'),
    sequence: z
      .number({ error: 'jobs[].sequence must be a number' })
      .int({ error: 'jobs[].sequence must be an integer' }),
    skipWait: z.boolean({ error: 'jobs[].skipWait must be a boolean' }),
    target: DispatchTargetShapeSchema,
  },
  { error: 'jobs[] must be objects' },
);

/** The run input as the workflow accepts it (the cadence was validated when the schedule was written). */
export const WorkspaceRunInputShapeSchema = z.object(
  {
    scheduleId: text('scheduleId'),
    solution: text('solution'),
    key: text('key'),
    generation: text('generation'),
    jobs: z
      .array(JobShapeSchema, { error: 'jobs must be a list' })
      .min(1, { error: 'jobs must not be empty' }),
    failurePolicy: z.enum(['stop', 'continue'], { error: 'failurePolicy must be "stop" or "continue"' }),
    requestBody: z.record(z.string(), z.unknown(), { error: 'requestBody must be a JSON object' }).optional(),
    retry: z.object(
      {
        maximumAttempts: z.number({ error: 'retry.maximumAttempts must be a number' }).int().min(1),
        initialIntervalMs: z.number({ error: 'retry.initialIntervalMs must be a number' }).positive(),
        backoffCoefficient: z.number({ error: 'retry.backoffCoefficient must be a number' }).min(1),
        maximumIntervalMs: z.number({ error: 'retry.maximumIntervalMs must be a number' }).positive(),
      },
      { error: 'retry must be an object' },
    ),
  },
  { error: 'the run input must be an object' },
);

/** Checks a run's argument; on failure, one message per problem, each naming the field. */
export function checkWorkspaceRunInput(
  value: unknown,
): { success: true; input: WorkspaceRunInput } | { success: false; messages: string[] } {
  const parsed = WorkspaceRunInputShapeSchema.safeParse(value);
  if (parsed.success) return { success: true, input: value as WorkspaceRunInput };
  return { success: false, messages: [...new Set(parsed.error.issues.map((issue) => issue.message))] };
}
