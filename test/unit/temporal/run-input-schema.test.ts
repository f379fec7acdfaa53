/**
 * The workflow's check of its input (a schedule's action arguments, which operators can edit): a run input the
 * product writes passes unchanged, and each malformed field is named in its message.
 */
import { normalizeRecurrence } from '../../../src/recurrence';
import { DEFAULT_DISPATCH_RETRY } from '../../../src/config';
import {
  completedOperations,
  InstanceType,
  instanceTypeOf,
  operationMilestone,
  ScheduleKind,
  ScheduleOperationKind,
  submitterOf,
  type ScheduledRunInput,
} from '../../../src/temporal/run-input';
import { checkScheduledRunInput, invalidRunInputMessage } from '../../../src/temporal/run-input-schema';

const VALID: ScheduledRunInput = {
  scheduleId: 'rbs:acme:tenant-42-daily',
  kind: ScheduleKind.Dynamic,
  solution: 'acme',
  reference: 'tenant-42-daily',
  runbookUuid: '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54',
  generation: '20261121T120000Z-1a2b3c4d',
  recurrence: normalizeRecurrence(
    { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00' },
    { now: new Date('2026-11-21T12:00:00Z') },
  ),
  requestBody: { tenant_id: '42' },
  target: { kind: 'http', url: 'https://runbooks.example/hook', headers: { 'x-team': 'ops' } },
  jobContextIdentifierPath: 'body.tenant_id',
  retry: DEFAULT_DISPATCH_RETRY,
};

test('a run input the product writes passes, and is returned as given', () => {
  const result = checkScheduledRunInput(VALID);
  expect(result).toEqual({ success: true, input: VALID });
  expect(
    checkScheduledRunInput({ ...VALID, target: { kind: 'workflow', workflowType: 'w', taskQueue: 'q' } })
      .success,
  ).toBe(true);
});

test.each<[string, unknown, string[]]>([
  ['not an object', 'garbage', ['the run input must be an object']],
  ['missing scheduleId', { ...VALID, scheduleId: undefined }, ['scheduleId must be a string']],
  ['empty reference', { ...VALID, reference: '' }, ['reference must not be empty']],
  ['unknown kind', { ...VALID, kind: 'cron' }, ['kind must be "scheduler" or "dynamic_scheduler"']],
  [
    'target url not http',
    { ...VALID, target: { kind: 'http', url: 'ftp://x' } },
    ['Target url must be an http or https URL'],
  ],
  [
    'unknown target kind',
    { ...VALID, target: { kind: 'smtp' } },
    ['Target kind must be "http" or "workflow"'],
  ],
  ['request body an array', { ...VALID, requestBody: [1, 2] }, ['requestBody must be a JSON object']],
  [
    'unknown frequency',
    { ...VALID, recurrence: { frequency: 'fortnightly' } },
    ['recurrence.frequency must be a known frequency'],
  ],
  [
    'zero attempts and a shrinking backoff',
    { ...VALID, retry: { ...DEFAULT_DISPATCH_RETRY, maximumAttempts: 0, backoffCoefficient: 0.5 } },
    ['retry.maximumAttempts must be at least 1', 'retry.backoffCoefficient must be at least 1'],
  ],
])('%s is refused with a message naming the field', (_case, input, messages) => {
  expect(checkScheduledRunInput(input)).toEqual({ success: false, messages });
});

test('the failure message lists every problem', () => {
  expect(invalidRunInputMessage(['reference must not be empty', 'retry must be an object'])).toBe(
    'Invalid scheduled run input: reference must not be empty; retry must be an object',
  );
});

test('the input is not mutated', () => {
  const copy = structuredClone(VALID);
  checkScheduledRunInput(copy);
  expect(copy).toEqual(VALID);
});

test('the run checks its target for shape only: a rule added at registration later cannot fail a recorded run', () => {
  const target = {
    kind: 'http' as const,
    url: 'https://runbooks.example/hook',
    headers: { 'Transfer-Encoding': 'chunked' },
  };
  expect(checkScheduledRunInput({ ...VALID, target }).success).toBe(true);
  expect(checkScheduledRunInput({ ...VALID, target: { ...target, headers: 'x' } })).toEqual({
    success: false,
    messages: ['Target headers must be an object of header names to values'],
  });
});

describe('the fields of operating a schedule (B1, B2, B3, B8)', () => {
  const WITH_FIELDS: ScheduledRunInput = {
    ...VALID,
    submittedBy: 'alice',
    parameters: { region: 'eu-west-1' },
    instanceType: InstanceType.RunNow,
    resubmittedFrom: 'rbs:acme:tenant-42-daily:g-2026-11-21T09:00:00Z',
    lifecycle: {
      operations: [
        {
          kind: ScheduleOperationKind.Pause,
          user: 'bob',
          requestedAt: '2026-11-21T12:00:00.000Z',
          completedAt: '2026-11-21T12:00:01.000Z',
        },
      ],
      lastRetryAt: '2026-11-21T12:00:00.500Z',
    },
  };

  test('an input carrying them passes', () => {
    expect(checkScheduledRunInput(WITH_FIELDS)).toEqual({ success: true, input: WITH_FIELDS });
  });

  test.each([
    [{ submittedBy: 7 }, 'submittedBy must be a string'],
    [{ parameters: { region: 1 } }, 'parameters values must be strings'],
    [{ parameters: 'eu' }, 'parameters must be an object of names to values'],
    [{ instanceType: 'Later' }, 'instanceType must be one of Scheduled, Once, RunNow, Resubmitted'],
    [
      { lifecycle: { operations: [{ kind: 'Explode' }] } },
      'lifecycle.operations[].kind must be a schedule operation',
    ],
  ])('a malformed field is named: %j', (change, message) => {
    const result = checkScheduledRunInput({ ...WITH_FIELDS, ...change });
    expect(result.success).toBe(false);
    expect(result.success ? [] : result.messages).toContain(message);
  });

  test('an input written before the fields existed reads with defaults', () => {
    expect(instanceTypeOf(VALID)).toBe(InstanceType.Scheduled);
    expect(instanceTypeOf({ ...VALID, recurrence: { ...VALID.recurrence, frequency: 'no_repeat' } })).toBe(
      InstanceType.Once,
    );
    expect(submitterOf(VALID)).toBeNull();
    expect(completedOperations(VALID)).toEqual([]);
  });

  test('the fields, when present, are what the readers return', () => {
    expect(instanceTypeOf(WITH_FIELDS)).toBe(InstanceType.RunNow);
    expect(submitterOf(WITH_FIELDS)).toBe('alice');
    expect(completedOperations(WITH_FIELDS).map((op) => operationMilestone(op.kind))).toEqual([
      'Schedule paused',
    ]);
    expect(operationMilestone(ScheduleOperationKind.Resume)).toBe('Schedule resumed');
  });
});
