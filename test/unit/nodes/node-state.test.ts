import { DEFAULT_DISPATCH_RETRY } from '../../../src/config';
import {
  applyCancel,
  applyClearError,
  applyDelete,
  applySchedule,
  finishRun,
  initialNodeState,
  scheduleRefusal,
  startRun,
  type NodeRunRequest,
} from '../../../src/nodes/node-state';

const run = (scheduleTimestamp: string, generation = 'g1'): NodeRunRequest => ({
  generation,
  scheduleTimestamp,
  runbookUuid: 'rb',
  target: { kind: 'http', url: 'https://example.com/' },
  user: 'alice',
  retry: DEFAULT_DISPATCH_RETRY,
});
const T1 = '2026-12-03T08:00:00.000Z';
const T2 = '2026-12-03T09:00:00.000Z';

describe('one pending run per node (D2, D3)', () => {
  test('the first is kept; a later or equal one is ignored; an earlier one replaces it', () => {
    const first = applySchedule(initialNodeState('g1'), run(T2));
    expect(first.outcome).toEqual({ scheduled: true, scheduleTimestamp: T2 });
    expect(applySchedule(first.state, run(T2)).outcome).toEqual({ scheduled: false });
    const later = applySchedule(first.state, run('2026-12-03T10:00:00.000Z'));
    expect(later.outcome).toEqual({ scheduled: false });
    expect(later.state).toBe(first.state);
    const earlier = applySchedule(first.state, run(T1));
    expect(earlier.outcome).toEqual({ scheduled: true, scheduleTimestamp: T1 });
    expect(earlier.state.pending?.scheduleTimestamp).toBe(T1);
    expect(earlier.state.version).toBeGreaterThan(first.state.version);
  });

  test('cancel removes the pending run and is a no-op without one; inputs are not mutated', () => {
    const pending = applySchedule(initialNodeState('g1'), run(T1)).state;
    const frozen = JSON.stringify(pending);
    const cancelled = applyCancel(pending, { generation: 'g1' });
    expect(cancelled).toMatchObject({ cancelled: true, state: { pending: null } });
    expect(applyCancel(cancelled.state, { generation: 'g1' }).cancelled).toBe(false);
    expect(JSON.stringify(pending)).toBe(frozen);
  });
});

describe('node errors (D4)', () => {
  test('a failure sets the error members, a later success keeps them, clearing lifts the 106', () => {
    let state = startRun(applySchedule(initialNodeState('g1'), run(T1)).state);
    state = finishRun(state, run(T1), '2026-12-03T08:00:01.000Z', 'Runbook execution failed with status 404');
    expect(state.error).toEqual({
      message: 'Runbook execution failed with status 404',
      failedAt: '2026-12-03T08:00:01.000Z',
      scheduleTimestamp: T1,
      runbookUuid: 'rb',
    });
    expect(scheduleRefusal(state, run(T2), 'n1')).toEqual({
      errorNumber: 106,
      message: 'Rejected due to existing errors: schedule node "n1" has an error set; clear it first',
    });
    const afterSuccess = finishRun(state, run(T2), '2026-12-03T09:00:01.000Z', null);
    expect(afterSuccess.error).toEqual(state.error);
    expect(afterSuccess.lastRun?.status).toBe('succeeded');
    const cleared = applyClearError(afterSuccess, { generation: 'g1' });
    expect(cleared.cleared).toBe(true);
    expect(scheduleRefusal(cleared.state, run(T2), 'n1')).toBeUndefined();
  });

  test('deleting cancels the pending run and refuses its generation with 102; a new registration starts afresh', () => {
    const pending = applySchedule(initialNodeState('g1'), run(T1)).state;
    const deleted = applyDelete(pending, { generation: 'g1' });
    expect(deleted).toMatchObject({ cancelled: true, state: { pending: null, deleted: true } });
    expect(scheduleRefusal(deleted.state, run(T2), 'n1')).toEqual({
      errorNumber: 102,
      message: 'Not found: schedule node not found',
    });
    const revived = applySchedule(deleted.state, run(T2, 'g2'));
    expect(revived.outcome.scheduled).toBe(true);
    expect(revived.state).toMatchObject({ generation: 'g2', deleted: false, deletedGenerations: ['g1'] });
  });
});
