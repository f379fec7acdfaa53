/** The connector's input schemas name the field in every message, whatever shape of bad input arrives. */
import {
  CreateScheduleInputSchema,
  issueMessages,
  ListRunsInputSchema,
  ScheduleReferenceInputSchema,
  UpdateScheduleInputSchema,
} from '../../../src/connector/inputs';

const messages = (
  schema: { safeParse(v: unknown): { success: boolean; error?: unknown } },
  value: unknown,
) => {
  const result = schema.safeParse(value);
  return result.success ? [] : issueMessages(result.error as Parameters<typeof issueMessages>[0]);
};

test.each([undefined, null, [], 'tenant-42', 42])('%j is not an input object, for every action', (value) => {
  for (const schema of [
    CreateScheduleInputSchema,
    UpdateScheduleInputSchema,
    ScheduleReferenceInputSchema,
    ListRunsInputSchema,
  ]) {
    expect(messages(schema, value)).toEqual(['Input must be a JSON object']);
  }
});

test('missing fields are required; present fields of the wrong type say so', () => {
  expect(messages(CreateScheduleInputSchema, {})).toEqual([
    'Runbook uuid is required',
    'Schedule reference is required',
    'Schedule is required',
  ]);
  expect(
    messages(CreateScheduleInputSchema, { runbook_uuid: 5, schedule_reference: 7, schedule: {} }),
  ).toEqual(['Runbook uuid must be a string', 'Schedule reference must be a string']);
  expect(
    messages(CreateScheduleInputSchema, {
      runbook_uuid: 'u',
      schedule_reference: 'r',
      schedule: {},
      request_body: [1],
    }),
  ).toEqual(['Request body must be a JSON object']);
});

test('a request body over 64 KiB is refused, naming the limit', () => {
  const big = { blob: 'x'.repeat(64 * 1024) };
  expect(
    messages(CreateScheduleInputSchema, {
      runbook_uuid: 'u',
      schedule_reference: 'r',
      schedule: {},
      request_body: big,
    }),
  ).toEqual(['Request body must be at most 65536 bytes of JSON']);
});

test('List Runs defaults its limit to 50 and bounds it', () => {
  expect(ListRunsInputSchema.parse({ schedule_reference: 'r' })).toEqual({
    schedule_reference: 'r',
    limit: 50,
  });
  expect(messages(ListRunsInputSchema, { schedule_reference: 'r', limit: 1001 })).toEqual([
    'Limit must be less than or equal to 1000',
  ]);
});
