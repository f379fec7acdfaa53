import {
  isOverwrittenRecord,
  MEMO_RECORD_MAX_BYTES,
  memoRecordOf,
  restoreOwnRecord,
} from '../../../src/workspace/generation-restore';
import type { WorkspaceScheduleRecord } from '../../../src/workspace/run-input';
import { workspaceMemo } from '../../../src/workspace/schedule-options';

const record = {
  scheduleId: 'rbw:sol:nightly',
  solution: 'sol',
  key: 'nightly',
  generation: 'g-2',
  description: 'Nightly export',
  cadence: { start_date: '2027-01-01', start_time: '09:00', time_zone: 'UTC', interval: 1, unit: 'day' },
  recurrence: { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00' },
  jobs: [
    {
      name: 'export',
      runbookUuid: '7d0f5b2e-3c1a-4a51-9f67-2f1f0f4b8a11',
      kind: 'service',
      sequence: 1,
      skipWait: false,
      target: {
        kind: 'http',
        url: 'https://runbooks.example/export',
        headers: { authorization: 'Bearer s3cret' },
      },
    },
  ],
  failurePolicy: 'stop',
  active: true,
  managed: null,
  retry: { maximumAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60_000 },
  revision: 'r-1',
} as unknown as WorkspaceScheduleRecord;

const now = new Date('2026-12-04T12:00:00Z');

/** The record a stale write of a deleted generation put there: its own generation and description, same job. */
const overwritten = { ...record, generation: 'g-1', description: 'Old export' };

test("the memo keeps the record as created, without its revision and without the jobs' targets", () => {
  const memo = workspaceMemo(record, now);
  expect(JSON.stringify(memo)).not.toContain('s3cret');
  const { revision: _revision, ...expected } = record;
  expect(restoreOwnRecord(memo, overwritten)).toEqual({ restored: expected });
});

test('a job whose target is not in the overwritten record cannot be restored', () => {
  const memo = workspaceMemo(record, now);
  const elsewhere = {
    ...overwritten,
    jobs: overwritten.jobs.map((job) => ({
      ...job,
      target: { kind: 'http' as const, url: 'https://other.example/' },
    })),
  };
  expect(restoreOwnRecord(memo, elsewhere)).toEqual({
    unrestorable: 'the target of job 1 it was created with is not in the record written over it',
  });
});

test('a record past the memo limit is not copied, and a schedule of it cannot be restored', () => {
  const large = { ...record, description: 'x'.repeat(MEMO_RECORD_MAX_BYTES) };
  expect(memoRecordOf(large)).toBeUndefined();
  expect(restoreOwnRecord(workspaceMemo(large, now), overwritten)).toEqual({
    unrestorable: 'its memo does not record what it was created with',
  });
});

test("a memo's record of another generation or key is not restored", () => {
  const memo = workspaceMemo(record, now);
  expect(restoreOwnRecord({ ...memo, generation: 'g-3' }, overwritten)).toHaveProperty('unrestorable');
  expect(restoreOwnRecord({ ...memo, key: 'other' }, overwritten)).toHaveProperty('unrestorable');
  const jobsWithoutDigests = { ...memo, createdWith: { ...memo.createdWith, jobs: record.jobs } as never };
  expect(restoreOwnRecord(jobsWithoutDigests, overwritten)).toHaveProperty('unrestorable');
});

test("a record is overwritten when its generation is not the memo's", () => {
  const memo = workspaceMemo(record, now);
  expect(isOverwrittenRecord(memo, record)).toBe(false);
  expect(isOverwrittenRecord(memo, { ...record, generation: 'g-1' })).toBe(true);
});
