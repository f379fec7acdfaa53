/**
 * The fuzz suites' oracle: "a message names a field" accepts the product's messages and refuses zod's defaults
 * and runtime errors, so the properties built on it can fail.
 */
import { z } from 'zod';
import { CreateScheduleInputSchema, RegisterRunbookInputSchema } from '../../../src/connector/inputs';
import { recurrenceJsonSchema } from '../../../src/recurrence';
import { Timings, WARM_UP_CALLS, displayNames, fieldNamesOf, namesAField } from './support';

const RECURRENCE = displayNames(recurrenceJsonSchema(), 'Recurrence');

test('display names are derived from the schema: humanised keys, parent-qualified keys, the root', () => {
  for (const name of ['Recurrence', 'Time zone', 'Day of week index', 'Month of year', 'Interval']) {
    expect([name, RECURRENCE.has(name)]).toEqual([name, true]);
  }
  const runbook = fieldNamesOf(RegisterRunbookInputSchema, 'Runbook');
  for (const name of [
    'Runbook uuid',
    'Runbook name',
    'Trigger template',
    'Target url',
    'Job context identifier path',
  ]) {
    expect([name, runbook.has(name)]).toEqual([name, true]);
  }
  expect(fieldNamesOf(CreateScheduleInputSchema, 'Input').has('Request body')).toBe(true);
});

test.each([
  'Time zone "Mars/Base" is not a valid IANA time zone',
  'Time zone must be at most 64 characters',
  'Interval must be greater than or equal to 1',
  'Recurrence must be an object',
  'Day of week index must be one of 1, 2, 3, 4 or -1',
])('names a field: %s', (message) => {
  expect(namesAField(message, RECURRENCE)).toBe(true);
});

test.each([
  'Invalid input: expected string, received number',
  "Invalid discriminator value. Expected 'a' | 'b'",
  'Maximum call stack size exceeded',
  'Cannot read properties of undefined (reading "day")',
  'Interval',
  'Intervals must be positive',
])('names no field: %s', (message) => {
  expect(namesAField(message, RECURRENCE)).toBe(false);
});

test('a schema left with zod default messages fails the property the suites assert', () => {
  const careless = z.object({ name: z.string() });
  const names = fieldNamesOf(careless, 'Input');
  const result = careless.safeParse({ name: 7 });
  expect(result.success).toBe(false);
  expect(result.error?.issues.map((i) => namesAField(i.message, names))).toEqual([false]);
});

test('timings leave out the warm-up calls and report the rest', () => {
  const timings = new Timings();
  for (let i = 0; i < WARM_UP_CALLS + 3; i++) timings.time(() => i);
  const summary = timings.summary();
  expect(summary.calls).toBe(WARM_UP_CALLS + 3);
  expect(summary.maxMs).toBeGreaterThanOrEqual(summary.medianMs);
});
