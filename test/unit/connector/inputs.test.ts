/** The connector's input schemas name the field in every message, whatever shape of bad input arrives. */
import { jsonShapeProblem, MAX_JSON_DEPTH, RunbookSchema, TriggerTemplate } from '../../../src/catalog/model';
import {
  CreateScheduleInputSchema,
  issueMessages,
  ListRunsInputSchema,
  MAX_JOB_CONTEXT_PATH_SEGMENTS,
  RegisterRunbookInputSchema,
  ScheduleReferenceInputSchema,
  UpdateScheduleInputSchema,
} from '../../../src/connector/inputs';
import { MAX_REQUEST_BODY_BYTES } from '../../../src/dispatch/payload';

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

/** A JSON object nested `levels` deep: `{"a":{"a":...{}}}`, `{}` being one level. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}
const create = (request_body: unknown) =>
  messages(CreateScheduleInputSchema, {
    runbook_uuid: 'u',
    schedule_reference: 'r',
    schedule: {},
    request_body,
  });

test('a request body of exactly 64 KiB is accepted, one byte more is refused', () => {
  // {"blob":"..."} is 11 bytes around the string; {"list":[1,1,...]} 10 plus two per element.
  expect(create({ blob: 'x'.repeat(MAX_REQUEST_BODY_BYTES - 11) })).toEqual([]);
  expect(create({ blob: 'x'.repeat(MAX_REQUEST_BODY_BYTES - 10) })).toEqual([
    `Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes of JSON`,
  ]);
  const ones = (n: number) => ({ list: Array<number>(n).fill(1) });
  expect(JSON.stringify(ones(32_763)).length).toBe(MAX_REQUEST_BODY_BYTES);
  expect(create(ones(32_763))).toEqual([]);
  expect(create(ones(32_764))).toEqual([
    `Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes of JSON`,
  ]);
  expect(create({ list: Array<number>(10_000_000).fill(1) })).toEqual([
    `Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes of JSON`,
  ]);
});

describe('a request body nested too deep', () => {
  test('32 levels are accepted; 33, or 10,000, are refused naming the field, without exhausting the stack', () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    expect(create(nested(32))).toEqual([]);
    expect(create(nested(33))).toEqual(['Request body must be nested at most 32 levels deep']);
    expect(create(nested(10_000))).toEqual(['Request body must be nested at most 32 levels deep']);
  });

  test('arrays count as levels, as objects do', () => {
    let list: unknown = [];
    for (let i = 1; i < 32; i++) list = [list];
    expect(create({ list })).toEqual(['Request body must be nested at most 32 levels deep']);
    expect(create({ list: (list as unknown[])[0] })).toEqual([]);
  });

  test('a cycle is too deep, and a value JSON cannot carry is refused, instead of a throw', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(create(cyclic)).toEqual(['Request body must be nested at most 32 levels deep']);
    expect(create({ big: 10n })).toEqual(['Request body must contain only JSON values']);
  });

  test('sub-objects shared by many keys are checked once per level, not once per path', () => {
    let shared: Record<string, unknown> = {};
    for (let i = 1; i < 30; i++) shared = { left: shared, right: shared };
    // 2^29 paths, 30 distinct objects.
    const started = performance.now();
    expect(create(shared)).toEqual([`Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes of JSON`]);
    expect(jsonShapeProblem(shared, MAX_JSON_DEPTH)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('a body that is not an object says so, as does a body that is an object but too big', () => {
    expect(create([1])).toEqual(['Request body must be a JSON object']);
    expect(create('text')).toEqual(['Request body must be a JSON object']);
    expect(create(null)).toEqual([]);
  });
});

test('a runbook uuid over 200 characters is refused, naming the field', () => {
  expect(
    messages(CreateScheduleInputSchema, {
      runbook_uuid: 'u'.repeat(201),
      schedule_reference: 'r',
      schedule: {},
    }),
  ).toEqual(['Runbook uuid must be at most 200 characters']);
  expect(
    messages(CreateScheduleInputSchema, {
      runbook_uuid: 'u'.repeat(200),
      schedule_reference: 'r',
      schedule: {},
    }),
  ).toEqual([]);
});

describe('RegisterRunbookInputSchema bounds what a tenant registers', () => {
  const dynamic = (trigger: Record<string, unknown>) => ({
    uuid: '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54',
    solution: 'acme',
    name: 'worker runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler, ...trigger },
    target: { kind: 'http', url: 'https://example.com/hook' },
  });
  const register = (value: unknown) => messages(RegisterRunbookInputSchema, value);

  test('a valid runbook parses to what the catalog stores', () => {
    const input = dynamic({ job_context_identifier_path: 'body.tenant.id' });
    expect(RegisterRunbookInputSchema.parse(input)).toEqual(RunbookSchema.parse(input));
  });

  test.each([
    [{ name: 'n'.repeat(201) }, 'Runbook name must be at most 200 characters'],
    [{ name: '' }, 'Runbook name must not be empty'],
    [{ name: 7 }, 'Runbook name must be a string'],
    [{ name: undefined }, 'Runbook name is required'],
    [{ solution: 7 }, 'Solution must be a string'],
  ])('%j: %s', (change, message) => {
    expect(register({ ...dynamic({}), ...change })).toEqual([message]);
  });

  test('a job context identifier path is bounded in characters and in segments', () => {
    expect(MAX_JOB_CONTEXT_PATH_SEGMENTS).toBe(33);
    const path = (segments: number) => ['body', ...Array<string>(segments - 1).fill('a')].join('.');
    expect(register(dynamic({ job_context_identifier_path: path(33) }))).toEqual([]);
    expect(register(dynamic({ job_context_identifier_path: path(34) }))).toEqual([
      'Job context identifier path must have at most 33 segments',
    ]);
    expect(register(dynamic({ job_context_identifier_path: 'x'.repeat(257) }))).toEqual([
      'Job context identifier path must be at most 256 characters',
    ]);
    expect(register(dynamic({ job_context_identifier_path: ['body'] }))).toEqual([
      'Job context identifier path must be a string',
    ]);
  });

  test('a Scheduler trigger bounds its request body like Create Schedule; the product sets its reference', () => {
    const scheduler = {
      ...dynamic({}),
      trigger: {
        template: TriggerTemplate.Scheduler,
        schedule: {},
        request_body: nested(33),
        schedule_reference: 'x',
      },
    };
    expect(register(scheduler)).toEqual(['Request body must be nested at most 32 levels deep']);
    const parsed = RegisterRunbookInputSchema.parse({
      ...scheduler,
      trigger: { ...scheduler.trigger, request_body: { tenant: '42' } },
    });
    expect(parsed.trigger).toEqual({
      template: TriggerTemplate.Scheduler,
      schedule: {},
      request_body: { tenant: '42' },
    });
  });

  test('a trigger that is missing, not an object, or of no known template says which', () => {
    expect(register({ ...dynamic({}), trigger: undefined })).toEqual(['Trigger is required']);
    expect(register({ ...dynamic({}), trigger: 'scheduler' })).toEqual(['Trigger must be an object']);
    expect(register({ ...dynamic({}), trigger: {} })).toEqual(['Trigger template is required']);
    expect(register({ ...dynamic({}), trigger: { template: 'cron' } })).toEqual([
      `Trigger template must be one of ${Object.values(TriggerTemplate).join(', ')}`,
    ]);
    expect(
      register({ ...dynamic({}), trigger: { template: TriggerTemplate.Webhook, path: 'p'.repeat(2049) } }),
    ).toEqual(['Trigger path must be at most 2048 characters']);
  });

  test.each([undefined, null, [], 'runbook'])('%j is not an input object', (value) => {
    expect(register(value)).toEqual(['Input must be a JSON object']);
  });
});
