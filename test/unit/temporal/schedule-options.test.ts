/**
 * What the product writes into a Temporal Schedule, and how it reads its window back.
 */
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { DEFAULT_DISPATCH_RETRY } from '../../../src/config';
import { normalizeRecurrence } from '../../../src/recurrence';
import { compileSchedule, instantCalendar } from '../../../src/temporal/compile';
import { canonicalSha256 } from '../../../src/temporal/generation-restore';
import { ScheduleKind, WorkflowType, type ScheduledRunInput } from '../../../src/temporal/run-input';
import { SWEEP_SCHEDULE_ID } from '../../../src/temporal/schedule-ids';
import {
  buildScheduleOptions,
  CATCHUP_WINDOW_MS,
  isProductMemo,
  lastCalendarInstant,
  scheduleMemo,
  stateNote,
  sweepScheduleOptions,
  SWEEP_EVERY_MS,
} from '../../../src/temporal/schedule-options';

const NOW = new Date('2026-04-29T12:00:00Z');

const input: ScheduledRunInput = {
  scheduleId: 'rbs:acme:daily',
  kind: ScheduleKind.Dynamic,
  solution: 'acme',
  reference: 'daily',
  runbookUuid: '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54',
  generation: '20260429T120000Z-abcd1234',
  recurrence: normalizeRecurrence(
    { frequency: 'daily', interval: 1, time_zone: 'UTC', start_date: '2026-04-29', time_of_day: '16:55:50' },
    { now: NOW },
  ),
  target: { kind: 'http', url: 'https://runbooks.example/hook' },
  retry: DEFAULT_DISPATCH_RETRY,
};

test('a runbook schedule: ALLOW_ALL, 24 h catch-up, no pause on failure, memo and search attributes', () => {
  const compiled = compileSchedule(input.recurrence, NOW);
  const options = buildScheduleOptions(input, compiled, 'runbook-scheduler', scheduleMemo(input, NOW));
  expect(options.scheduleId).toBe(input.scheduleId);
  expect(options.policies).toEqual({
    overlap: ScheduleOverlapPolicy.ALLOW_ALL,
    catchupWindow: CATCHUP_WINDOW_MS,
    pauseOnFailure: false,
  });
  expect(options.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: WorkflowType.ScheduledRun,
    workflowId: 'rbs:acme:daily:20260429T120000Z-abcd1234',
    taskQueue: 'runbook-scheduler',
    args: [input],
  });
  expect(options.memo).toEqual({
    product: 'runbook-scheduler',
    kind: ScheduleKind.Dynamic,
    solution: 'acme',
    reference: 'daily',
    runbookUuid: input.runbookUuid,
    generation: input.generation,
    createdAt: NOW.toISOString(),
    // Copied for listings, which read the memo instead of describing each schedule: this one has no body.
    requestBodyInMemo: 'inline',
    // What it was created with, so a stale write of a deleted generation can be undone (generation-restore.ts).
    createdWith: {
      recurrence: input.recurrence,
      retry: input.retry,
      targetSha256: canonicalSha256(input.target),
    },
  });
  expect(isProductMemo(options.memo)).toBe(true);
  const keys = (options.typedSearchAttributes as Array<{ key: { name: string }; value: unknown }>).map(
    (pair) => [pair.key.name, pair.value],
  );
  expect(keys).toEqual([
    ['RunbookSolution', 'acme'],
    ['RunbookReference', 'daily'],
    ['RunbookUuid', input.runbookUuid],
    ['RunbookGeneration', input.generation],
    // The rule, for listings (updates rewrite search attributes; Temporal never updates a memo).
    ['RunbookRecurrence', JSON.stringify(input.recurrence)],
  ]);
  expect(options.state).toEqual({ paused: false, note: 'Next occurrence 2026-04-29T16:55:50.000Z' });
});

test('the note of a schedule that will never fire is its reason', () => {
  const disabled = compileSchedule({ ...input.recurrence, disabled: true }, NOW);
  expect(stateNote(disabled)).toBe('Schedule is disabled');
});

test('schedules of others in the namespace are not taken for ours', () => {
  expect(isProductMemo(undefined)).toBe(false);
  expect(isProductMemo({ product: 'someone-else' })).toBe(false);
});

test('the sweep schedule runs hourly, skipping overlaps', () => {
  const options = sweepScheduleOptions('runbook-scheduler');
  expect(options.scheduleId).toBe(SWEEP_SCHEDULE_ID);
  expect(options.spec).toEqual({ intervals: [{ every: SWEEP_EVERY_MS }] });
  expect(options.action).toMatchObject({ workflowType: WorkflowType.Sweep, taskQueue: 'runbook-scheduler' });
  expect(options.policies).toEqual({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: SWEEP_EVERY_MS });
});

test('the last instant of a window is read back from its calendar entries, by month name or number', () => {
  const instants = ['2026-05-01T16:55:50Z', '2026-12-31T23:59:59Z', '2026-02-28T00:00:00Z'].map(
    (iso) => new Date(iso),
  );
  const decoded = instants.map((instant) => {
    const cal = instantCalendar(instant);
    const one = <T>(v: T) => [{ start: v, end: v, step: 1 }];
    return {
      year: one(cal.year as number),
      month: one(cal.month as string),
      dayOfMonth: one(cal.dayOfMonth as number),
      hour: one(cal.hour as number),
      minute: one(cal.minute as number),
      second: one(cal.second as number),
    };
  });
  expect(lastCalendarInstant(decoded)).toEqual(new Date('2026-12-31T23:59:59Z'));
  expect(lastCalendarInstant([{ ...decoded[0]!, month: [{ start: 7 }] }])).toEqual(
    new Date('2026-07-01T16:55:50Z'),
  );
  expect(lastCalendarInstant([])).toBeUndefined();
  expect(lastCalendarInstant(undefined)).toBeUndefined();
});
