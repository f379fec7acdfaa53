/**
 * What a listing shows from Temporal's list alone (no describe): the memo's copy of the request body, the rule
 * from `RunbookRecurrence`, and which entries still need a describe (written before the copies, or too large).
 */
import { TypedSearchAttributes } from '@temporalio/common';
import type { ScheduleMemo } from '../../../src/temporal/run-input';
import {
  listedFromEntry,
  MAX_MEMO_BODY_BYTES,
  memoRequestBody,
  recurrenceAttribute,
  type ScheduleListEntry,
} from '../../../src/temporal/schedule-listing';
import { scheduleSearchAttributeFields } from '../../../src/temporal/schedule-options';
import {
  LAST_ERROR,
  MAX_RECURRENCE_ATTRIBUTE_BYTES,
  RECURRENCE,
} from '../../../src/temporal/search-attributes';

const RULE = { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00:00' } as const;
const MEMO: ScheduleMemo = {
  product: 'runbook-scheduler',
  kind: 'dynamic_scheduler',
  solution: 'acme',
  reference: 'daily',
  runbookUuid: '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54',
  generation: 'g-1',
  createdAt: '2026-04-29T12:00:00.000Z',
};

function entry(memo: Partial<ScheduleMemo>, attributes: Record<string, string>): ScheduleListEntry {
  const pairs = [
    ...(attributes.recurrence !== undefined ? [{ key: RECURRENCE, value: attributes.recurrence }] : []),
    ...(attributes.lastError !== undefined ? [{ key: LAST_ERROR, value: attributes.lastError }] : []),
  ];
  return {
    scheduleId: 'rbs:acme:daily',
    memo: { ...MEMO, ...memo },
    searchAttributes: new TypedSearchAttributes(pairs),
    paused: true,
    note: 'Paused',
    nextActionTimes: [new Date('2026-04-30T09:00:00Z')],
  };
}

test('an entry with the copies is listed from them, body and last error included', () => {
  const listed = listedFromEntry(
    entry(
      { requestBodyInMemo: 'inline', requestBody: { tenant: 'a' } },
      { recurrence: JSON.stringify(RULE), lastError: 'x failed' },
    ),
  );
  expect(listed).toEqual({
    scheduleId: 'rbs:acme:daily',
    memo: { ...MEMO, requestBodyInMemo: 'inline', requestBody: { tenant: 'a' } },
    recurrence: RULE,
    requestBody: { tenant: 'a' },
    paused: true,
    note: 'Paused',
    lastError: 'x failed',
    nextActionTimes: [new Date('2026-04-30T09:00:00Z')],
  });
});

test('an inline copy without a body is a schedule without one', () => {
  const listed = listedFromEntry(
    entry({ requestBodyInMemo: 'inline' }, { recurrence: JSON.stringify(RULE) }),
  );
  expect(listed?.requestBody).toBeUndefined();
  expect(listed?.recurrence).toEqual(RULE);
});

test.each<[string, Partial<ScheduleMemo>, Record<string, string>]>([
  ['a memo written before the copy', {}, { recurrence: JSON.stringify(RULE) }],
  ['a body too large to copy', { requestBodyInMemo: 'too_large' }, { recurrence: JSON.stringify(RULE) }],
  ['no RunbookRecurrence (written before it, or too long)', { requestBodyInMemo: 'inline' }, {}],
  ['a RunbookRecurrence that is not a rule', { requestBodyInMemo: 'inline' }, { recurrence: '[1]' }],
  ['a RunbookRecurrence that is not JSON', { requestBodyInMemo: 'inline' }, { recurrence: 'daily' }],
])('%s needs a describe', (_name, memo, attributes) => {
  expect(listedFromEntry(entry(memo, attributes))).toBeUndefined();
});

test('the memo copies a body up to its limit, and only marks a larger one', () => {
  const fits = { text: 'x'.repeat(MAX_MEMO_BODY_BYTES - 20) };
  const large = { text: 'x'.repeat(MAX_MEMO_BODY_BYTES) };
  expect(memoRequestBody({ requestBody: fits })).toEqual({ requestBodyInMemo: 'inline', requestBody: fits });
  expect(memoRequestBody({ requestBody: large })).toEqual({ requestBodyInMemo: 'too_large' });
  expect(memoRequestBody({})).toEqual({ requestBodyInMemo: 'inline' });
});

test('a rule too long for one search attribute value is not copied, and an update drops the stale copy', () => {
  const long = { ...RULE, frequency: 'yearly', x: 'y'.repeat(MAX_RECURRENCE_ATTRIBUTE_BYTES) } as never;
  expect(recurrenceAttribute(long)).toBeUndefined();
  const input = { solution: 'acme', reference: 'daily', runbookUuid: MEMO.runbookUuid, generation: 'g-2' };
  const current = {
    [RECURRENCE.name]: { data: Buffer.from('"stale"') },
    OperatorOwn: { data: Buffer.from('"k"') },
  };
  const fields = scheduleSearchAttributeFields(current, { ...input, recurrence: long } as never, undefined);
  expect(Object.keys(fields).sort()).toEqual(
    ['OperatorOwn', 'RunbookGeneration', 'RunbookReference', 'RunbookSolution', 'RunbookUuid'].sort(),
  );
});
