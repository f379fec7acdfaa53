/**
 * The workflow's quick acceptance of its input: every run input the product writes is accepted without zod, and
 * nothing is accepted that the zod schema (the source of truth) refuses, on generated inputs around the edges.
 */
import fc from 'fast-check';
import { normalizeRecurrence } from '../../../src/recurrence';
import { DEFAULT_DISPATCH_RETRY } from '../../../src/config';
import {
  InstanceType,
  ScheduleKind,
  ScheduleOperationKind,
  type ScheduledRunInput,
} from '../../../src/temporal/run-input';
import { isAcceptedRunInput } from '../../../src/temporal/run-input-quick-check';
import { checkScheduledRunInput } from '../../../src/temporal/run-input-schema';

const BASE: ScheduledRunInput = {
  scheduleId: 'rbs:acme:tenant-42-daily',
  kind: ScheduleKind.Dynamic,
  solution: 'acme',
  reference: 'tenant-42-daily',
  runbookUuid: '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54',
  generation: '20261121T120000Z-1a2b3c4d',
  recurrence: normalizeRecurrence(
    { frequency: 'minutely', interval: 1, time_zone: 'UTC', time_of_day: '09:00' },
    { now: new Date('2026-11-21T12:00:00Z') },
  ),
  requestBody: { tenant_id: '42', nested: { deep: [1, 2] } },
  target: { kind: 'http', url: 'https://runbooks.example/hook?x=1', headers: { 'x-team': 'ops' } },
  jobContextIdentifierPath: 'body.tenant_id',
  retry: DEFAULT_DISPATCH_RETRY,
  revision: 'r-3',
  rearmFrom: null,
  submittedBy: 'alice',
  parameters: { region: 'eu' },
  businessIdentifierKeys: ['tenant_id'],
};

/** Shapes of run inputs the product writes: every optional field in the forms the product gives it. */
const WRITTEN: readonly ScheduledRunInput[] = [
  BASE,
  { ...BASE, kind: ScheduleKind.Scheduler, requestBody: undefined, jobContextIdentifierPath: undefined },
  { ...BASE, target: { kind: 'http', url: 'http://127.0.0.1:8080/fire' } },
  { ...BASE, target: { kind: 'workflow', workflowType: 'runbookWorkflow', taskQueue: 'runbooks' } },
  { ...BASE, rearmFrom: '2026-12-02T10:00:00.000Z' },
  {
    ...BASE,
    instanceType: InstanceType.Resubmitted,
    resubmittedFrom: 'rbs:acme:tenant-42-daily-2026-12-02T10:00:00Z',
    triggeredAt: '2026-12-02T10:00:00.000Z',
    idempotencyKey: 'rbs:acme:tenant-42-daily/20261121T120000Z-1a2b3c4d/2026-12-02T10:00:00Z/resubmit-1',
  },
  {
    ...BASE,
    lifecycle: {
      operations: [
        {
          kind: ScheduleOperationKind.Pause,
          user: 'bob',
          requestedAt: '2026-12-01T09:00:00.000Z',
          completedAt: '2026-12-01T09:00:01.000Z',
        },
      ],
      lastRetryAt: '2026-12-01T09:05:00.000Z',
    },
  },
];

test.each(WRITTEN.map((input, i) => [i, input]))(
  'run input %i as the product writes it is accepted without the schema, and the schema agrees',
  (_i, input) => {
    expect(isAcceptedRunInput(input)).toBe(true);
    expect(checkScheduledRunInput(input).success).toBe(true);
  },
);

test.each<[string, unknown]>([
  ['not an object', 'garbage'],
  ['an array', [BASE]],
  ['an empty reference', { ...BASE, reference: '' }],
  ['a URL the schema refuses', { ...BASE, target: { kind: 'http', url: 'ftp://x' } }],
  ['a NaN backoff', { ...BASE, retry: { ...DEFAULT_DISPATCH_RETRY, backoffCoefficient: Number.NaN } }],
  ['a date with an offset', { ...BASE, triggeredAt: '2026-12-02T10:00:00+01:00' }],
])('%s is left to the schema', (_case, input) => {
  expect(isAcceptedRunInput(input)).toBe(false);
});

/** Values around the edges of every field's rule. */
const EDGE = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    '',
    ' ',
    'x',
    'x'.repeat(1001),
    0,
    -0,
    1,
    0.5,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    true,
    [],
    ['a'],
    [1],
    {},
    { a: 1 },
    { a: 'b' },
    Object.create(null) as object,
    new Date(0),
    'http://a',
    'https://a.example/x',
    'HTTP://A',
    ' http://a',
    'http://a\n/',
    'http:a',
    'https:/a',
    'http://[::1]/',
    'http://1.2.3.999/',
    'http://a:99999/',
    'ftp://a',
    '2026-12-02T10:00:00.000Z',
    '2026-02-30T10:00:00.000Z',
    '2026-12-02T10:00:00Z',
    '2026-12-02T24:00:00.000Z',
    '+012026-12-02T10:00:00.000Z',
    'minutely',
    'daily',
    'http',
    'workflow',
    'scheduler',
    'dynamic_scheduler',
    'Pause',
    'RunNow',
  ),
  fc.string(),
  fc.double(),
  fc.integer(),
);

const FIELDS = [...Object.keys(BASE), 'instanceType', 'triggeredAt', 'idempotencyKey', 'lifecycle'];
const NESTED: readonly (readonly string[])[] = [
  ['target', 'kind'],
  ['target', 'url'],
  ['target', 'headers'],
  ['target', 'workflowType'],
  ['target', 'taskQueue'],
  ['retry', 'maximumAttempts'],
  ['retry', 'initialIntervalMs'],
  ['retry', 'backoffCoefficient'],
  ['retry', 'maximumIntervalMs'],
  ['recurrence', 'frequency'],
  ['parameters', 'region'],
  ['businessIdentifierKeys', '0'],
];

function withValue(base: unknown, path: readonly string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const container: Record<string, unknown> = Array.isArray(base)
    ? ([...(base as unknown[])] as unknown as Record<string, unknown>)
    : { ...(base as Record<string, unknown>) };
  container[head] = withValue(container[head] ?? {}, rest, value);
  return container;
}

test('nothing the quick check accepts is refused by the schema (generated inputs)', () => {
  const path = fc.oneof(
    fc.constantFrom(...FIELDS).map((field) => [field]),
    fc.constantFrom(...NESTED),
  );
  const start = fc.constantFrom(...WRITTEN);
  const edits = fc.array(fc.tuple(path, EDGE), { minLength: 1, maxLength: 3 });
  fc.assert(
    fc.property(start, edits, (input, changes) => {
      const edited = changes.reduce<unknown>((v, [p, value]) => withValue(v, p, value), input);
      if (isAcceptedRunInput(edited)) expect(checkScheduledRunInput(edited).success).toBe(true);
    }),
    { numRuns: 20_000, seed: 13 },
  );
});
