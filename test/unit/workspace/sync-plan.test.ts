/** What a sync does to one managed schedule (FEATURES.md C4). */
import type { Cadence } from '../../../src/workspace/cadence';
import type { WorkspaceScheduleRecord } from '../../../src/workspace/run-input';
import { syncStep, type DesiredSchedule } from '../../../src/workspace/sync-plan';

const cadence = (start_time: string): Cadence => ({
  start_date: '2026-12-03',
  start_time,
  time_zone: 'UTC',
  interval: 1,
  unit: 'day',
});
const recurrence = (time: string) =>
  ({
    frequency: 'daily',
    interval: 1,
    time_zone: 'UTC',
    start_date: '2026-12-03',
    time_of_day: time,
    disabled: false,
  }) as WorkspaceScheduleRecord['recurrence'];

function desired(
  time = '09:00',
  status: 'Active' | 'Onboarding' = 'Onboarding',
  description = 'd',
): DesiredSchedule {
  return {
    scheduleId: 'rbw:s:i~x',
    solution: 's',
    key: 'i~x',
    description,
    cadence: cadence(time),
    recurrence: recurrence(time),
    jobs: [
      {
        name: 'n',
        runbookUuid: 'u',
        kind: 'service',
        sequence: 1,
        skipWait: false,
        target: { kind: 'http', url: 'http://x.test/' },
      },
    ],
    failurePolicy: 'stop',
    retry: { maximumAttempts: 1, initialIntervalMs: 1, backoffCoefficient: 1, maximumIntervalMs: 1 },
    managed: { integration: 'i', feature: 'f', featureStatus: status, cadence: cadence(time) },
  };
}

function stored(step: ReturnType<typeof syncStep>): WorkspaceScheduleRecord {
  if (step.action === 'unchanged') throw new Error('no record');
  return { generation: 'g1', revision: 'r1', ...step.record };
}

test('a new schedule is created, inactive unless its feature is Active', () => {
  const step = syncStep(desired(), undefined);
  expect(step).toMatchObject({
    action: 'create',
    record: { active: false, managed: { locallyModified: false } },
  });
  expect(syncStep(desired('09:00', 'Active'), undefined)).toMatchObject({
    action: 'create',
    record: { active: true },
  });
});

test('syncing the same definition again changes nothing', () => {
  const record = stored(syncStep(desired(), undefined));
  expect(syncStep(desired(), { record, paused: true })).toEqual({ action: 'unchanged' });
});

test('a local cadence is kept; the rest follows the integration', () => {
  const created = stored(syncStep(desired(), undefined));
  const local: WorkspaceScheduleRecord = {
    ...created,
    cadence: cadence('21:15'),
    recurrence: recurrence('21:15'),
    managed: { ...created.managed!, locallyModified: true },
  };
  expect(syncStep(desired(), { record: local, paused: true })).toEqual({ action: 'unchanged' });
  const step = syncStep(desired('10:00', 'Onboarding', 'v2'), { record: local, paused: true });
  expect(step).toMatchObject({
    action: 'update',
    activation: 'keep',
    record: {
      description: 'v2',
      cadence: { start_time: '21:15' },
      generation: 'g1',
      managed: { locallyModified: true, cadence: { start_time: '10:00' } },
    },
  });
  // The integration catching up with the local cadence ends the local modification.
  expect(syncStep(desired('21:15'), { record: local, paused: true })).toMatchObject({
    action: 'update',
    record: { managed: { locallyModified: false } },
  });
});

test('a feature turning Active activates its schedules; another status keeps their state', () => {
  const record = stored(syncStep(desired(), undefined));
  expect(syncStep(desired('09:00', 'Active'), { record, paused: true })).toMatchObject({
    action: 'update',
    activation: 'activate',
    record: { active: true },
  });
  const active = { ...record, active: true };
  expect(syncStep(desired(), { record: active, paused: false })).toEqual({ action: 'unchanged' });
});
