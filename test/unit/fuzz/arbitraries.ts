/**
 * Generators of tenant input for the fuzz suites. Each produces a mix of valid inputs (so the accepting paths
 * run), near-valid ones (a valid input with one field replaced, removed or added) and garbage, with the values
 * that break naive code over-represented: DST-edge times and zones with odd histories, extreme years and
 * intervals, long strings, deep JSON, prototype keys, non-JSON values.
 */
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { TriggerTemplate } from '../../../src/catalog/model';
import { MAX_INTERVAL, WEEKDAYS } from '../../../src/recurrence';

type Json = Record<string, unknown>;

/** Zones with DST gaps, 30- and 45-minute offsets, date-line jumps, aliases, Rails names and odd letter case. */
const ZONES = [
  'UTC',
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Pacific/Kiritimati',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Africa/Casablanca',
  'Europe/Dublin',
  'America/Santiago',
  'Antarctica/Troll',
  'Etc/GMT+12',
  'Asia/Calcutta',
  'europe/amsterdam',
  'us/eastern',
  'London',
  'Eastern Time (US & Canada)',
  'Chatham Is.',
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) =>
  [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 31;

/** Mostly years around now; sometimes the century; rarely the ends of the four-digit range. */
const year = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 2023, max: 2028 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1900, max: 2100 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 1582, 1970, 2038, 9999) },
);

/** A real calendar date `YYYY-MM-DD`. */
export const date = fc
  .tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(Math.min(d, daysIn(y, m)), 2)}`);

/** `HH:MM` or `HH:MM:SS`, often in the small hours where DST changes happen. */
const timeOfDay = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 3 })),
    fc.integer({ min: 0, max: 59 }),
    fc.option(fc.integer({ min: 0, max: 59 })),
  )
  .map(([h, m, s]) => `${pad(h, 2)}:${pad(m, 2)}${s === null ? '' : `:${pad(s, 2)}`}`);

const interval = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom(7, 12, 400, 4800, 20871, 146097, MAX_INTERVAL) },
);

const DAYS_OF_MONTH = [-1, ...Array.from({ length: 31 }, (_, i) => i + 1)];
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const nonEmptySubset = <T>(values: readonly T[]) =>
  fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: values.length });

/** Fields every periodic rule may carry, each present or not. */
const periodic = fc.record(
  {
    interval,
    time_zone: fc.constantFrom(...ZONES),
    disabled: fc.boolean(),
    start_date: date,
    end_date: date,
  },
  { requiredKeys: ['interval', 'time_zone'] },
);

/** A recurrence the schema accepts, of any frequency (its end date may precede its start: then it is refused). */
export const validRecurrence: fc.Arbitrary<Json> = fc.oneof(
  fc.record(
    {
      frequency: fc.constant('no_repeat'),
      time_zone: fc.constantFrom(...ZONES),
      start_date: date,
      time_of_day: timeOfDay,
    },
    { requiredKeys: ['frequency', 'time_zone'] },
  ),
  fc.constant({ frequency: 'no_repeat' }),
  fc
    .tuple(fc.constantFrom('minutely', 'hourly'), periodic, fc.option(timeOfDay))
    .map(([frequency, p, t]) => ({ frequency, ...p, ...(t === null ? {} : { time_of_day: t }) })),
  fc.tuple(periodic, timeOfDay).map(([p, time_of_day]) => ({ frequency: 'daily', ...p, time_of_day })),
  fc
    .tuple(periodic, timeOfDay, nonEmptySubset(WEEKDAYS), fc.option(fc.constantFrom('monday', 'sunday')))
    .map(([p, time_of_day, day, week_start]) => ({
      frequency: 'weekly',
      ...p,
      time_of_day,
      day,
      ...(week_start === null ? {} : { week_start }),
    })),
  fc
    .tuple(periodic, timeOfDay, nonEmptySubset(DAYS_OF_MONTH), fc.boolean())
    .map(([p, time_of_day, day_of_month, explicit]) => ({
      frequency: 'monthly',
      ...p,
      time_of_day,
      ...(explicit ? { day_of_week: false } : {}),
      day_of_month,
    })),
  fc
    .tuple(
      fc.constantFrom('monthly', 'yearly'),
      periodic,
      timeOfDay,
      fc.constantFrom(1, 2, 3, 4, -1),
      fc.constantFrom(...WEEKDAYS),
      nonEmptySubset(MONTHS),
    )
    .map(([frequency, p, time_of_day, index, weekday, months]) => ({
      frequency,
      ...p,
      time_of_day,
      day_of_week: true,
      day_of_week_index: index,
      day_of_week_day: weekday,
      ...(frequency === 'yearly' ? { month_of_year: months } : {}),
    })),
  fc
    .tuple(periodic, timeOfDay, nonEmptySubset(MONTHS))
    .map(([p, time_of_day, month_of_year]) => ({ frequency: 'yearly', ...p, time_of_day, month_of_year })),
);

/** A JSON object `levels` deep (`{}` is one level), built without recursion. */
export function nested(levels: number): Json {
  let value: Json = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

const cyclic = (): Json => {
  const value: Json = {};
  value.self = value;
  return value;
};

/** Values that break naive code: wrong types, edge numbers, edge strings, deep and non-JSON values. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
  ),
  fc.integer({ min: -100, max: 2_000_000 }),
  fc.double(),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom(
    '',
    ' ',
    'UTC ',
    'Mars/Base',
    '+01:00',
    'GMT+5',
    '24:00',
    '23:59:60',
    '9:00',
    '2025-02-29',
    '2024-02-29',
    '2025-13-01',
    '0000-01-01',
    '9999-12-31',
    '25-01-01',
    'monday',
    'Monday',
    '-1',
    '1e3',
    '__proto__',
    'constructor',
    'toString',
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(201),
    'x'.repeat(70_000),
  ),
  fc.array(fc.oneof(fc.constantFrom(...WEEKDAYS), fc.integer({ min: -2, max: 33 }), fc.constant(null)), {
    maxLength: 40,
  }),
  fc.constantFrom(Array<string>(1000).fill('monday'), Array<number>(1000).fill(31)),
  fc.object({ maxDepth: 2 }),
  fc.anything({
    maxDepth: 2,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
  }),
  fc.constant(undefined),
  fc.constant(0).map(() => nested(40)),
  fc.constant(0).map(() => nested(10_000)),
  fc.constant(0).map(cyclic),
);

/** A plain object, or one without a prototype (fast-check builds its records that way). */
const isPlainObject = (v: unknown): v is Json =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

/** Paths to mutate in `value`: `keys`, its own keys, and the keys (and an unknown key) of its nested objects. */
function pathsOf(value: Json, keys: readonly string[]): string[][] {
  const paths = [...new Set([...keys, ...Object.keys(value)])].map((key) => [key]);
  for (const [key, child] of Object.entries(value)) {
    if (isPlainObject(child)) for (const inner of [...Object.keys(child), 'extra']) paths.push([key, inner]);
  }
  return paths;
}

/** A copy of `value` with the field at `path` set to `replacement`, or removed. */
function withField(value: Json, path: readonly string[], replacement: unknown, remove: boolean): Json {
  const [key, ...rest] = path as [string, ...string[]];
  const copy: Json = { ...value };
  const child = copy[key];
  if (rest.length > 0 && isPlainObject(child)) copy[key] = withField(child, rest, replacement, remove);
  else if (remove) delete copy[key];
  else copy[key] = replacement;
  return copy;
}

/** `value` with one field, at the top or one level down, set to a hostile value, removed, or added. */
function mutate(value: Json, keys: readonly string[]): fc.Arbitrary<Json> {
  return fc
    .tuple(fc.constantFrom(...pathsOf(value, keys)), hostileValue, fc.boolean())
    .map(([path, replacement, remove]) => withField(value, path, replacement, remove));
}

const RECURRENCE_KEYS = [
  'frequency',
  'interval',
  'time_zone',
  'disabled',
  'start_date',
  'end_date',
  'time_of_day',
  'day',
  'week_start',
  'day_of_week',
  'day_of_month',
  'day_of_week_index',
  'day_of_week_day',
  'month_of_year',
  '__proto__',
  'extra',
];

/** JSON the HTTP layer could have parsed: an own `__proto__` key is data here, not a prototype. */
const withOwnProtoKey = (value: Json): Json =>
  JSON.parse(`{"__proto__":{"frequency":"daily"},${JSON.stringify(value).slice(1)}`) as Json;

/** Recurrence inputs: 40% valid, 50% near-valid (one field mutated), 10% garbage. */
export const recurrenceInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: validRecurrence },
  { weight: 5, arbitrary: validRecurrence.chain((valid) => mutate(valid, RECURRENCE_KEYS)) },
  {
    weight: 1,
    arbitrary: fc.oneof(hostileValue, validRecurrence.map(withOwnProtoKey), fc.jsonValue({ maxDepth: 3 })),
  },
);

/** A JSON object for `request_body`: mostly small and flat, sometimes deep, big, or not JSON at all. */
export const requestBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1, max: 40 }).map((levels) => ({ tenant_id: '42', deep: nested(levels) })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ blob: 'x'.repeat(65_536) }, { blob: 'x'.repeat(65_000) }, { n: 1n }),
  },
  { weight: 1, arbitrary: hostileValue },
);

/** A schedule reference: ordinary, unicode, at and over the 200-character limit, or hostile. */
export const scheduleReference: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,30}$/) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('r'.repeat(200), 'r'.repeat(201), 'a:b', 'a/b', '..', '%', '%zz', ' '),
  },
  { weight: 1, arbitrary: hostileValue },
);

/** A valid input with one field mutated or removed, or the valid input, or garbage. */
export function actionInput(valid: fc.Arbitrary<Json>, keys: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 5, arbitrary: valid.chain((v) => mutate(v, keys)) },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** Uuid of the Dynamic Scheduler runbook the suites register first, so Create Schedule can succeed. */
export const DYNAMIC_RUNBOOK_UUID = '0f0e0d0c-0b0a-4908-8706-050403020100';

/** A runbook uuid: usually the known runbook, sometimes a fresh uuid, sometimes anything. */
const runbookUuid = fc.oneof(
  { weight: 6, arbitrary: fc.constant(DYNAMIC_RUNBOOK_UUID) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom('', 'u'.repeat(200), 'u'.repeat(201)) },
);

/** Create Schedule inputs. */
export const createScheduleInput = actionInput(
  fc.record(
    {
      runbook_uuid: runbookUuid,
      schedule_reference: scheduleReference,
      schedule: recurrenceInput,
      request_body: requestBody,
    },
    { requiredKeys: ['runbook_uuid', 'schedule_reference', 'schedule'] },
  ),
  ['runbook_uuid', 'schedule_reference', 'schedule', 'request_body'],
);
/** Update Schedule inputs. */
export const updateScheduleInput = actionInput(
  fc.record({ schedule_reference: scheduleReference, schedule: recurrenceInput }),
  ['schedule_reference', 'schedule'],
);
/** Delete Schedule inputs (and get, pause, resume, trigger). */
export const scheduleReferenceInput = actionInput(fc.record({ schedule_reference: scheduleReference }), [
  'schedule_reference',
]);
/** List Runs inputs: `limit` as a number, as query-string text, or hostile. */
export const listRunsInput = actionInput(
  fc.record(
    {
      schedule_reference: scheduleReference,
      limit: fc.oneof(
        fc.integer({ min: -5, max: 1005 }),
        fc.integer({ min: 0, max: 2000 }).map(String),
        fc.constantFrom('50', '007', '1e2', ' 5', '5 ', '-1', '1000', '1001', '99999999999999999999'),
        hostileValue,
      ),
    },
    { requiredKeys: ['schedule_reference'] },
  ),
  ['schedule_reference', 'limit'],
);

const targetUrl = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('https://example.com/hook', 'http://example.com:8080/a?b=c') },
  { weight: 1, arbitrary: fc.webUrl() },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'http://127.0.0.1:9000/',
      'http://169.254.169.254/',
      'http://[::1]:8233/',
      'http://0x7f000001/',
      'http://10.0.0.5/',
      'https://user:password@example.com/',
      'ftp://example.com/',
      'not a url',
      `https://example.com/${'a'.repeat(9000)}`,
    ),
  },
);

const headers = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ 'X-Tenant': '42' }) },
  {
    weight: 2,
    arbitrary: fc.dictionary(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
      fc.string({ maxLength: 20 }),
      {
        maxKeys: 4,
      },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { Authorization: 'Bearer x' },
      { 'Content-Length': '5' },
      { 'Transfer-Encoding': 'chunked' },
      { Connection: 'close' },
      { Host: 'internal' },
      { 'X-Bad': 'a\r\nb' },
      { 'bad name': 'v' },
      { 'X-Number': 5 },
    ),
  },
);

const target = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      { kind: fc.constant('http'), url: targetUrl, headers },
      { requiredKeys: ['kind', 'url'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('workflow'),
      workflowType: fc.constantFrom('tenantWorkflow', 'rearmSweepWorkflow', 'httpDispatchWorkflow', ''),
      taskQueue: fc.constantFrom('tenant-queue', 'runbook-scheduler', ''),
    }),
  },
  { weight: 1, arbitrary: hostileValue },
);

const jobContextPath = fc.oneof(
  fc.constantFrom('body.tenant_id', 'tenant_id', 'triggered_at', 'body.items.0.id', ''),
  fc.integer({ min: 30, max: 40 }).map((n) => Array<string>(n).fill('a').join('.')),
  fc.constantFrom('x'.repeat(256), 'x'.repeat(257)),
  hostileValue,
);

const trigger = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        template: fc.constant(TriggerTemplate.Scheduler),
        schedule: fc.oneof(
          { weight: 3, arbitrary: validRecurrence },
          { weight: 1, arbitrary: recurrenceInput },
        ),
        request_body: fc.oneof(
          { weight: 3, arbitrary: fc.constant({ tenant_id: '42' }) },
          { weight: 1, arbitrary: requestBody },
        ),
      },
      { requiredKeys: ['template', 'schedule'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        template: fc.constant(TriggerTemplate.DynamicScheduler),
        job_context_identifier_path: jobContextPath,
      },
      { requiredKeys: ['template'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      { template: fc.constant(TriggerTemplate.Webhook), path: fc.oneof(fc.string(), hostileValue) },
      { requiredKeys: ['template'] },
    ),
  },
  { weight: 1, arbitrary: fc.oneof(hostileValue, fc.record({ template: hostileValue })) },
);

/** A few uuids shared across runs, so re-registration (replacing a runbook and its schedule) happens too. */
const registeredUuid = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(DYNAMIC_RUNBOOK_UUID, '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54') },
  { weight: 6, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: hostileValue },
);

/** A runbook as a tenant registers it, without `solution` (the token gives it over HTTP). */
export const runbookBody: fc.Arbitrary<Json> = fc.record({
  uuid: registeredUuid,
  name: fc.oneof(
    { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('n'.repeat(200), 'n'.repeat(201), '') },
    { weight: 1, arbitrary: hostileValue },
  ),
  trigger,
  target,
});

/** Registration inputs for the client API: a runbook of `solution`, mutated, or garbage. */
export function registrationInput(solution: string): fc.Arbitrary<unknown> {
  return actionInput(
    runbookBody.map((body) => ({ ...body, solution })),
    ['uuid', 'solution', 'name', 'trigger', 'target'],
  );
}

/** References the generated creates, reads and updates share, so they meet existing schedules. */
export const SHARED_REFERENCES = ['r1', 'r2', 'tenant-42-daily'];

/** A JSON text of `value`, or a broken one where `value` cannot be written as JSON (a cycle, a bigint). */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '{"cannot":';
  }
}

/** A generated reference as a path segment: percent-encoded text, or raw bytes where it cannot be encoded. */
function pathSegment(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : 'x';
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone surrogate has no UTF-8 encoding: send the bytes a careless client would.
    return '%ED%A0%80';
  }
}

const reference = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SHARED_REFERENCES) },
  { weight: 2, arbitrary: scheduleReference.map(pathSegment) },
  { weight: 1, arbitrary: fc.constantFrom('%zz', '%', 'a%2Fb', '..', '%00', 'r'.repeat(3000), '%E2%82') },
);

const bodyText = (value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: value.map(jsonText) },
    { weight: 1, arbitrary: hostileValue.map(jsonText) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        'null',
        '[]',
        '"text"',
        '1',
        'a=1&b=2',
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        `${'{"a":'.repeat(10_000)}{}${'}'.repeat(10_000)}`,
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );

/** A request for one of the routes, its path and body filled in, or for a path that is no route. */
const httpTarget: fc.Arbitrary<{ method: string; url: string; body?: string }> = fc.oneof(
  bodyText(runbookBody).map((body) => ({ method: 'POST', url: '/v1/runbooks', body })),
  fc.constant({ method: 'GET', url: '/v1/runbooks' }),
  bodyText(
    fc
      .tuple(createScheduleInput, fc.constantFrom(...SHARED_REFERENCES), fc.boolean())
      .map(([input, ref, shared]) =>
        shared && input !== null && typeof input === 'object'
          ? { ...input, runbook_uuid: DYNAMIC_RUNBOOK_UUID, schedule_reference: ref }
          : input,
      ),
  ).map((body) => ({ method: 'POST', url: '/v1/schedules', body })),
  fc
    .record(
      {
        runbook_uuid: fc.constant(DYNAMIC_RUNBOOK_UUID),
        schedule_reference: fc.constantFrom(...SHARED_REFERENCES),
        schedule: validRecurrence,
        request_body: fc.constant({ tenant_id: '42' }),
      },
      { requiredKeys: ['runbook_uuid', 'schedule_reference', 'schedule'] },
    )
    .map((input) => ({ method: 'POST', url: '/v1/schedules', body: JSON.stringify(input) })),
  fc.tuple(fc.constantFrom(...SHARED_REFERENCES), validRecurrence).map(([ref, schedule]) => ({
    method: 'PUT',
    url: `/v1/schedules/${ref}`,
    body: JSON.stringify({ schedule }),
  })),
  fc.constant({ method: 'GET', url: '/v1/schedules' }),
  reference.map((ref) => ({ method: 'GET', url: `/v1/schedules/${ref}` })),
  fc
    .tuple(reference, bodyText(updateScheduleInput))
    .map(([ref, body]) => ({ method: 'PUT', url: `/v1/schedules/${ref}`, body })),
  reference.map((ref) => ({ method: 'DELETE', url: `/v1/schedules/${ref}` })),
  fc
    .tuple(reference, fc.constantFrom('pause', 'resume', 'trigger'), fc.option(bodyText(hostileValue)))
    .map(([ref, command, body]) => ({
      method: 'POST',
      url: `/v1/schedules/${ref}/${command}`,
      ...(body === null ? {} : { body }),
    })),
  fc
    .tuple(
      reference,
      fc.option(
        fc.oneof(
          fc.integer({ min: -5, max: 1005 }).map(String),
          fc.constantFrom('', 'x', '1e2', '50&limit=7', '1001', '%zz'),
        ),
      ),
    )
    .map(([ref, limit]) => ({
      method: 'GET',
      url: `/v1/schedules/${ref}/runs${limit === null ? '' : `?limit=${limit}`}`,
    })),
  fc.constantFrom(
    { method: 'GET', url: '/' },
    { method: 'GET', url: '/v1' },
    { method: 'GET', url: '/v1/schedules/' },
    { method: 'GET', url: '/v1/schedules//runs' },
    { method: 'GET', url: '/v2/schedules' },
    { method: 'POST', url: '/v1/schedules/a/b/c' },
    { method: 'POST', url: '/v1/codec/decode', body: '{"payloads":[]}' },
    { method: 'GET', url: '/%' },
    { method: 'GET', url: '//v1/schedules' },
    { method: 'GET', url: '/v1/schedules?x=%zz' },
  ),
);

const METHODS = ['GET', 'HEAD', 'TRACE', 'DELETE', 'OPTIONS', 'PATCH', 'PUT', 'POST'] as const;

/** A request to the HTTP API: a route or no route, any method, body, content type and token. */
export const httpRequest: fc.Arbitrary<InjectOptions & { url: string }> = fc
  .record({
    target: httpTarget,
    otherMethod: fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
    ),
    authorization: fc.oneof(
      { weight: 14, arbitrary: fc.constant('Bearer token-acme') },
      { weight: 2, arbitrary: fc.constant('Bearer token-other') },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          undefined,
          '',
          'Bearer',
          'Bearer ',
          'bearer token-acme',
          'Basic dG9rZW4tYWNtZQ==',
          'Bearer  token-acme ',
          `Bearer ${'x'.repeat(10_000)}`,
        ),
      },
    ),
    contentType: fc.constantFrom(
      undefined,
      'application/json',
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/json; charset=utf-16',
      'multipart/form-data; boundary=x',
      '',
      'garbage',
      'application/json;;',
      '*/*',
    ),
  })
  .map(({ target: t, otherMethod, authorization, contentType }) => ({
    method: otherMethod ?? t.method,
    url: t.url,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
    },
    ...(t.body === undefined ? {} : { payload: t.body }),
  }));
