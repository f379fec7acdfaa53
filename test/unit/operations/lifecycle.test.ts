/** A schedule's lifecycle (FEATURES.md B1), pure: its state, which operation each state takes, Retry's interval. */
import { Messages } from '../../../src/connector/errors';
import {
  decideOperation,
  nextRetryAllowedAt,
  RETRY_INTERVAL_MS,
  scheduleState,
  ScheduleState,
  withOperation,
} from '../../../src/operations/lifecycle';
import {
  MAX_RECORDED_OPERATIONS,
  ScheduleOperationKind,
  type ScheduleLifecycle,
} from '../../../src/temporal/run-input';

const record = (kind: ScheduleOperationKind, n = 0) => ({
  kind,
  user: `u${n}`,
  requestedAt: new Date(n * 1000).toISOString(),
  completedAt: new Date(n * 1000 + 1).toISOString(),
});
const stopped = { lifecycle: { operations: [record(ScheduleOperationKind.Stop)] } };

describe('scheduleState', () => {
  test.each([
    [false, {}, undefined, ScheduleState.Active],
    [true, {}, undefined, ScheduleState.Paused],
    [
      true,
      { lifecycle: { operations: [record(ScheduleOperationKind.Pause)] } },
      undefined,
      ScheduleState.Paused,
    ],
    [true, stopped, undefined, ScheduleState.Stopped],
    // Unpaused outside the product (Temporal UI) after a Stop: it fires, so it is Active.
    [false, stopped, undefined, ScheduleState.Active],
    [false, {}, ScheduleOperationKind.Pause, ScheduleState.Pausing],
    [true, {}, ScheduleOperationKind.Resume, ScheduleState.Resuming],
    [true, stopped, ScheduleOperationKind.Start, ScheduleState.Starting],
    [false, {}, ScheduleOperationKind.Stop, ScheduleState.Stopping],
  ] as const)('paused %s, %j, pending %s: %s', (paused, input, pending, expected) => {
    expect(scheduleState(paused, input, pending)).toBe(expected);
  });
});

describe('decideOperation', () => {
  const { Start, Pause, Resume, Stop } = ScheduleOperationKind;
  test.each([
    [ScheduleState.Active, Pause, 'run'],
    [ScheduleState.Active, Stop, 'run'],
    [ScheduleState.Active, Resume, 'noop'],
    [ScheduleState.Paused, Pause, 'noop'],
    [ScheduleState.Paused, Resume, 'run'],
    [ScheduleState.Paused, Start, 'run'],
    [ScheduleState.Paused, Stop, 'run'],
    [ScheduleState.Stopped, Start, 'run'],
    [ScheduleState.Stopped, Stop, 'noop'],
  ] as const)('%s takes %s: %s', (state, kind, expected) => {
    expect(decideOperation(state, kind).kind).toBe(expected);
  });

  test.each([
    [ScheduleState.Active, Start, Messages.alreadyActive],
    [ScheduleState.Stopped, Pause, 'Schedule is Stopped; start it to run again'],
    [ScheduleState.Stopped, Resume, Messages.scheduleStopped],
    [
      ScheduleState.Pausing,
      Stop,
      'Schedule is Pausing: an operation is pending; Retry re-drives it, Refresh reads its status',
    ],
    [ScheduleState.Starting, Start, Messages.operationPending('Starting')],
  ] as const)('%s refuses %s with the exact message', (state, kind, message) => {
    expect(decideOperation(state, kind)).toEqual({ kind: 'refused', message });
  });
});

describe('withOperation', () => {
  test('appends, keeping the last MAX_RECORDED_OPERATIONS, without mutating its input', () => {
    let lifecycle: ScheduleLifecycle = {
      operations: [record(ScheduleOperationKind.Pause, 0)],
      lastRetryAt: 'x',
    };
    const before = structuredClone(lifecycle);
    const next = withOperation(lifecycle, record(ScheduleOperationKind.Resume, 1));
    expect(lifecycle).toEqual(before);
    expect(next).toEqual({
      ...before,
      operations: [...before.operations, record(ScheduleOperationKind.Resume, 1)],
    });
    for (let n = 2; n < 50; n++)
      lifecycle = { ...withOperation(lifecycle, record(ScheduleOperationKind.Pause, n)), lastRetryAt: 'x' };
    expect(lifecycle.operations).toHaveLength(MAX_RECORDED_OPERATIONS);
    expect(lifecycle.operations.at(-1)?.user).toBe('u49');
  });
});

describe('nextRetryAllowedAt', () => {
  const last = new Date('2026-12-02T04:00:00.000Z');
  const lifecycle = { operations: [], lastRetryAt: last.toISOString() };
  test('is 10 minutes after the previous retry while that is ahead, then undefined', () => {
    expect(RETRY_INTERVAL_MS).toBe(600_000);
    expect(nextRetryAllowedAt(lifecycle, new Date(last.getTime() + 599_999))).toEqual(
      new Date('2026-12-02T04:10:00.000Z'),
    );
    expect(nextRetryAllowedAt(lifecycle, new Date(last.getTime() + 600_000))).toBeUndefined();
    expect(nextRetryAllowedAt(undefined, last)).toBeUndefined();
    expect(nextRetryAllowedAt({ operations: [] }, last)).toBeUndefined();
  });
});
