/**
 * The published JSON Schemas (FEATURES.md F5): the recurrence object and the inputs of Create, Update and
 * Delete Schedule, generated from the zod schemas that validate them, so the two cannot disagree.
 * `scripts/write-schemas.ts` writes them to `schemas/`; a unit test checks the files are current.
 */
import { z } from 'zod';
import {
  CreateScheduleInputSchema,
  ScheduleReferenceInputSchema,
  UpdateScheduleInputSchema,
} from './connector/inputs';
import { recurrenceJsonSchema } from './recurrence';
import { IntegrationDefinitionSchema } from './workspace/model';

type JsonSchema = Record<string, unknown>;

function withRecurrence(schema: JsonSchema, title: string): JsonSchema {
  const properties = { ...(schema.properties as Record<string, unknown>) };
  properties.schedule = { $ref: 'recurrence.schema.json' };
  return { ...schema, title, properties };
}

/** File name -> JSON Schema, for every published schema. */
export function publishedSchemas(): Record<string, JsonSchema> {
  const input = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return {
    'recurrence.schema.json': { ...recurrenceJsonSchema(), title: 'Recurrence' },
    'create-schedule.schema.json': withRecurrence(input(CreateScheduleInputSchema), 'Create Schedule input'),
    'update-schedule.schema.json': withRecurrence(input(UpdateScheduleInputSchema), 'Update Schedule input'),
    'delete-schedule.schema.json': { ...input(ScheduleReferenceInputSchema), title: 'Delete Schedule input' },
    'integration-definition.schema.json': {
      ...input(IntegrationDefinitionSchema),
      title: 'Integration definition (workspace schedules sync)',
    },
  };
}
