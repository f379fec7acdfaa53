/**
 * JSON Schema of the recurrence input, for runbook builders and other languages (FEATURES.md F5).
 */
import { z } from 'zod';
import { RecurrenceInputSchema } from './schema';

/**
 * JSON Schema (draft 2020-12) of {@link RecurrenceInputSchema} as accepted on input. It describes the shape;
 * zone names, calendar validity of dates and cross-field rules are checked only by the zod schema.
 */
export function recurrenceJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(RecurrenceInputSchema, { io: 'input' });
}
