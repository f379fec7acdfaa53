import { DEFAULT_DISPATCH_RETRY } from '../../../src/config';
import {
  canonicalSha256,
  createdWithOf,
  isOverwritten,
  restoreOwnGeneration,
} from '../../../src/temporal/generation-restore';
import { ScheduleKind, type ScheduledRunInput } from '../../../src/temporal/run-input';
import { scheduleMemo } from '../../../src/temporal/schedule-options';
import type { Recurrence } from '../../../src/recurrence';

const NOW = new Date('2026-12-03T12:00:00Z');
const rule = (interval: number) =>
  ({ frequency: 'minutely', interval, timeZone: 'UTC', startDate: '2027-01-01' }) as unknown as Recurrence;

function input(generation: string, overrides: Partial<ScheduledRunInput> = {}): ScheduledRunInput {
  return {
    scheduleId: 'sol/ref',
    kind: ScheduleKind.Dynamic,
    solution: 'sol',
    reference: 'ref',
    runbookUuid: 'rb-1',
    generation,
    recurrence: rule(1),
    target: {
      kind: 'http',
      url: 'https://hooks.example.com/run',
      headers: { authorization: 'Bearer s3cret' },
    },
    retry: DEFAULT_DISPATCH_RETRY,
    ...overrides,
  };
}

describe('what the memo records of a new schedule', () => {
  test('records the rule, retry policy, values in force and submitter, and only a digest of the target', () => {
    const created = input('g2', {
      parameters: { region: 'eu' },
      submittedBy: 'ada',
      jobContextIdentifierPath: 'a.b',
    });
    const memo = scheduleMemo(created, NOW);
    expect(memo.createdWith).toEqual({
      recurrence: rule(1),
      retry: DEFAULT_DISPATCH_RETRY,
      targetSha256: canonicalSha256(created.target),
      jobContextIdentifierPath: 'a.b',
      parameters: { region: 'eu' },
      submittedBy: 'ada',
    });
    expect(JSON.stringify(memo)).not.toContain('s3cret');
  });

  test('a body too large for the memo is recorded as a digest', () => {
    const body = { blob: 'x'.repeat(5000) };
    const memo = scheduleMemo(input('g2', { requestBody: body }), NOW);
    expect(memo.requestBodyInMemo).toBe('too_large');
    expect(memo.createdWith?.requestBodySha256).toBe(canonicalSha256(body));
    expect(createdWithOf(input('g2', { requestBody: { small: 1 } }), true).requestBodySha256).toBeUndefined();
  });
});

describe('restoring the run input of the memo’s generation', () => {
  const created = input('g2', { requestBody: { tenant: 'new' }, recurrence: rule(3), submittedBy: 'ada' });
  const memo = scheduleMemo(created, NOW);
  // What a stale write of the deleted generation put there: its own generation, body, rule and bookkeeping.
  const overwritten = input('g1', {
    requestBody: { tenant: 'old' },
    recurrence: rule(7),
    submittedBy: 'bob',
    revision: 'r-old',
    rearmFrom: '2027-01-01T00:05:00.000Z',
    lifecycle: { operations: [] },
  });

  test('an input of another generation is overwritten; one of its own is not', () => {
    expect(isOverwritten(memo, overwritten)).toBe(true);
    expect(isOverwritten(memo, created)).toBe(false);
  });

  test('gives back the input as created, nothing of the deleted generation', () => {
    expect(restoreOwnGeneration(memo, overwritten)).toEqual({ restored: created });
  });

  test('keeps a body too large for the memo when it is the one created with', () => {
    const big = { blob: 'y'.repeat(5000) };
    const bigMemo = scheduleMemo({ ...created, requestBody: big }, NOW);
    expect(restoreOwnGeneration(bigMemo, { ...overwritten, requestBody: big })).toEqual({
      restored: { ...created, requestBody: big },
    });
    expect(restoreOwnGeneration(bigMemo, overwritten)).toEqual({
      unrestorable: 'the request body it was created with is not the one written over it',
    });
  });

  test('the target must digest as the one created with: key order does not matter, a header does', () => {
    const reordered = {
      headers: { authorization: 'Bearer s3cret' },
      url: 'https://hooks.example.com/run',
      kind: 'http',
    };
    expect('restored' in restoreOwnGeneration(memo, { ...overwritten, target: reordered as never })).toBe(
      true,
    );
    const otherHeader = {
      kind: 'http',
      url: 'https://hooks.example.com/run',
      headers: { authorization: 'Bearer other' },
    };
    expect(restoreOwnGeneration(memo, { ...overwritten, target: otherHeader as never })).toEqual({
      unrestorable: 'the target it was created with is not the one written over it',
    });
  });

  test('a memo written before it recorded what the schedule was created with cannot restore it', () => {
    const { createdWith: _none, ...older } = memo;
    expect(restoreOwnGeneration(older, overwritten)).toEqual({
      unrestorable: 'its memo does not record what it was created with',
    });
    expect(
      restoreOwnGeneration({ ...memo, createdWith: { recurrence: rule(1) } as never }, overwritten),
    ).toEqual({
      unrestorable: 'its memo does not record what it was created with',
    });
  });
});
