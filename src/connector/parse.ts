/**
 * Parse-or-throw for the connector's inputs: one helper, so every action reports a bad input the same way, with
 * the messages of its zod schema.
 */
import type { z } from 'zod';
import { validateRecurrence, type Recurrence } from '../recurrence';
import { ActionErrorCode, ScheduleActionError } from './errors';
import { issueMessages } from './inputs';

/**
 * The parsed input, or a {@link ScheduleActionError} with code `invalid`.
 * @param error the action's message for these validation messages. @default the messages joined by `; `
 * @throws {@link ScheduleActionError} carrying every message in `details`.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  error: (messages: string[]) => string = (messages) => messages.join('; '),
): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const messages = issueMessages(parsed.error);
  throw new ScheduleActionError(error(messages), ActionErrorCode.Invalid, messages);
}

/** How recurrences are validated: the clock and the zone of a rule that omits one where it is required. */
export interface RecurrenceOptions {
  readonly now: Date;
  readonly defaultTimeZone?: string;
}

/** {@link RecurrenceOptions} of a clock reading and an optional deployment default zone. */
export function recurrenceOptions(now: Date, defaultTimeZone: string | undefined): RecurrenceOptions {
  return { now, ...(defaultTimeZone ? { defaultTimeZone } : {}) };
}

/**
 * The validated, normalised recurrence, or a {@link ScheduleActionError} with code `invalid`.
 * @param error the action's message for the validation messages.
 * @throws {@link ScheduleActionError} carrying every message in `details`.
 */
export function parseRecurrence(
  schedule: unknown,
  options: RecurrenceOptions,
  error: (messages: string[]) => string,
): Recurrence {
  const validation = validateRecurrence(schedule, options);
  if (validation.success) return validation.recurrence;
  throw new ScheduleActionError(error(validation.messages), ActionErrorCode.Invalid, validation.messages);
}
