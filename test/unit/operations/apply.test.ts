/** What each schedule operation writes (FEATURES.md B1, B3, B8), pure. */
import { lifecycleChange, type ScheduleOperationInput } from '../../../src/operations/apply';
import { runNowInput } from '../../../src/operations/run-now';
import { idempotencyKey } from '../../../src/dispatch/payload';
import { normalizeRecurrence } from '../../../src/recurrence';
import { DEFAULT_DISPATCH_RETRY } from '../../../src/config';
import {
  InstanceType,
  ScheduleKind,
  ScheduleOperationKind,
  type ScheduledRunInput,
} from '../../../src/temporal/run-input';

const INPUT: ScheduledRunInput = {
  scheduleId: 'rbs:acme:daily',
  kind: ScheduleKind.Dynamic,
  solution: 'acme',
  reference: 'daily',
  runbookUuid: '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54',
  generation: 'g1',
  recurrence: normalizeRecurrence(
    { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00' },
    { now: new Date('2026-11-21T12:00:00Z') },
  ),
  target: { kind: 'http', url: 'https://runbooks.example/hook' },
  retry: DEFAULT_DISPATCH_RETRY,
  parameters: { region: 'eu-west-1' },
  submittedBy: 'alice',
  revision: 'r1',
};
const AT = new Date('2026-12-02T04:00:05.000Z');
const op = (
  kind: ScheduleOperationKind,
  extra: Partial<ScheduleOperationInput> = {},
): ScheduleOperationInput => ({
  scheduleId: INPUT.scheduleId,
  kind,
  user: 'bob',
  requestedAt: '2026-12-02T04:00:00.000Z',
  ...extra,
});
const RECORD = (kind: ScheduleOperationKind) => ({
  kind,
  user: 'bob',
  requestedAt: '2026-12-02T04:00:00.000Z',
  completedAt: AT.toISOString(),
});

test('Pause and Stop pause with a note naming the user, and record the operation', () => {
  expect(lifecycleChange(INPUT, op(ScheduleOperationKind.Pause), AT)).toEqual({
    input: { ...INPUT, lifecycle: { operations: [RECORD(ScheduleOperationKind.Pause)] } },
    paused: true,
    note: 'Paused by bob',
  });
  expect(lifecycleChange(INPUT, op(ScheduleOperationKind.Stop), AT)).toMatchObject({
    paused: true,
    note: 'Stopped by bob',
  });
});

test('Resume and Start compile the spec afresh from the completion instant (no catch-up)', () => {
  expect(lifecycleChange(INPUT, op(ScheduleOperationKind.Resume), AT)).toEqual({
    input: { ...INPUT, lifecycle: { operations: [RECORD(ScheduleOperationKind.Resume)] } },
    restartAt: AT,
  });
});

test('Start sets the values in force and the submitting user (the starter unless another is named)', () => {
  const started = lifecycleChange(
    INPUT,
    op(ScheduleOperationKind.Start, { parameters: { region: 'us' } }),
    AT,
  );
  expect(started?.input).toMatchObject({ parameters: { region: 'us' }, submittedBy: 'bob' });
  expect(started?.restartAt).toEqual(AT);
  const named = lifecycleChange(INPUT, op(ScheduleOperationKind.Start, { submittedBy: 'carol' }), AT);
  expect(named?.input).toMatchObject({ parameters: { region: 'eu-west-1' }, submittedBy: 'carol' });
});

test('an operation already recorded (its activity retried after a write that took) changes nothing', () => {
  const once = lifecycleChange(INPUT, op(ScheduleOperationKind.Pause), AT);
  expect(once).toBeDefined();
  expect(
    lifecycleChange(once!.input, op(ScheduleOperationKind.Pause), new Date(AT.getTime() + 1000)),
  ).toBeUndefined();
});

test("a Run now input is the schedule's, typed RunNow, submitted by the caller, without the schedule's bookkeeping", () => {
  const scheduled = { ...INPUT, lifecycle: { operations: [RECORD(ScheduleOperationKind.Pause)] } };
  const input = runNowInput(scheduled, 'dave', { region: 'ap' }, AT);
  expect(input).toEqual({
    ...INPUT,
    revision: undefined,
    instanceType: InstanceType.RunNow,
    submittedBy: 'dave',
    parameters: { region: 'ap' },
    triggeredAt: '2026-12-02T04:00:05Z',
    idempotencyKey: 'rbs:acme:daily/g1/2026-12-02T04:00:05Z/run-now-20261202T040005000Z',
  });
  expect(input).not.toHaveProperty('lifecycle');
  expect(input).not.toHaveProperty('revision');
  expect(runNowInput(INPUT, 'dave', undefined, AT)).not.toHaveProperty('parameters');
});

test('a Run now in the same second as a scheduled fire has a key of its own, and two Run nows differ', () => {
  const fireKey = idempotencyKey(INPUT.scheduleId, INPUT.generation, AT);
  const first = runNowInput(INPUT, 'dave', undefined, AT).idempotencyKey;
  const second = runNowInput(INPUT, 'dave', undefined, new Date(AT.getTime() + 1)).idempotencyKey;
  expect(first).not.toBe(fireKey);
  expect(second).not.toBe(first);
});
