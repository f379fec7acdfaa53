/** The order of a run's jobs and the words of a run that errored (FEATURES.md C1). */
import type { JobOutcome } from '../../../src/workspace/run-input';
import { erroredMessage, jobIdempotencyKey, planRun } from '../../../src/workspace/run-plan';

const job = (sequence: number, skipWait = false) => ({ sequence, skipWait });

test('same sequence runs together, groups ascending, skip-wait jobs at the fire', () => {
  const jobs = [job(3), job(1), job(2, true), job(1), job(3), job(10)];
  expect(planRun(jobs)).toEqual({
    atFire: [3],
    groups: [
      { sequence: 1, positions: [2, 4] },
      { sequence: 3, positions: [1, 5] },
      { sequence: 10, positions: [6] },
    ],
  });
});

test('a manual run of one job plans only that job', () => {
  expect(planRun([job(1), job(2)], [2])).toEqual({ atFire: [], groups: [{ sequence: 2, positions: [2] }] });
  expect(planRun([job(1), job(2, true)], [2])).toEqual({ atFire: [2], groups: [] });
});

const outcome = (position: number, status: JobOutcome['status'], error?: string): JobOutcome => ({
  position,
  name: `j${position}`,
  runbookUuid: 'u',
  sequence: position,
  skipWait: false,
  status,
  idempotencyKey: jobIdempotencyKey('k', position),
  ...(error ? { error } : {}),
});

test('the errored message names the failed jobs, those that ran and those not started', () => {
  expect(erroredMessage([outcome(1, 'succeeded'), outcome(2, 'succeeded')])).toBeUndefined();
  expect(
    erroredMessage([
      outcome(3, 'not_started'),
      outcome(2, 'failed', 'Runbook execution failed with status 500'),
      outcome(1, 'duplicate'),
    ]),
  ).toBe(
    'Workspace schedule run errored: job 2 "j2" (sequence 2) (Runbook execution failed with status 500) failed; ran: job 1 "j1" (sequence 1); not started: job 3 "j3" (sequence 3)',
  );
  expect(erroredMessage([outcome(1, 'failed', 'x'), outcome(2, 'failed', 'y')])).toBe(
    'Workspace schedule run errored: job 1 "j1" (sequence 1) (x), job 2 "j2" (sequence 2) (y) failed; ran: none; not started: none',
  );
});

test('each job has its own idempotency key', () => {
  expect(jobIdempotencyKey('rbw:s:k/g/2025-01-01T00:00:00Z', 3)).toBe('rbw:s:k/g/2025-01-01T00:00:00Z/job-3');
});
