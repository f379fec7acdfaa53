/**
 * A run re-arms its schedule only when the schedule needs it (issue 13, point 2), read from the run's real event
 * history on the dev server: a minutely rule compiles to a native interval spec that never runs dry, so its runs
 * schedule no `rearmSchedule` activity at all; a rolling window is moved by the runs from its middle instant on
 * (not by every fire), and the window's new re-arm point lies past the occurrence that moved it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ScheduledRunInput } from '../../src/temporal/run-input';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { TemporalScheduleGateway } from '../../src/temporal/schedule-gateway';
import {
  fireNow,
  secondsAhead,
  useConnectorWorld,
  utcParts,
  type ConnectorWorld,
} from './connector-fixtures';
import { uniqueId, waitFor } from './harness';

jest.setTimeout(150_000);

/** The activity types a run scheduled, in order. */
async function scheduledActivities(run: WorkflowHandle): Promise<string[]> {
  const history = await run.fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? '');
}

/** The run input the schedule's action holds now. */
async function storedInput(world: ConnectorWorld, scheduleId: string): Promise<ScheduledRunInput> {
  const stored = await new TemporalScheduleGateway(world.client, world.scheduler.settings.taskQueue).get(
    scheduleId,
  );
  if (!stored) throw new Error(`schedule ${scheduleId} is gone`);
  return stored.input;
}

/** Creates a minutely schedule from the next whole minute at least 5 s ahead; returns reference and id. */
async function createMinutely(world: ConnectorWorld, solution: string) {
  const reference = uniqueId('minutely');
  const runbookUuid = await world.dynamicRunbook(solution);
  const first = secondsAhead(5_000);
  first.setUTCSeconds(0);
  if (first.getTime() < Date.now() + 5_000) first.setUTCMinutes(first.getUTCMinutes() + 1);
  await world.service.createSchedule(solution, {
    runbook_uuid: runbookUuid,
    schedule_reference: reference,
    schedule: { frequency: 'minutely', interval: 1, time_zone: 'UTC', ...utcParts(first) },
  });
  return { reference, scheduleId: scheduleIdFor(solution, reference), first };
}

describe('a native interval spec (minutely rule)', () => {
  const world = useConnectorWorld();

  test('its runs dispatch without re-arming the schedule', async () => {
    const solution = uniqueId('native');
    const { reference, scheduleId } = await createMinutely(world, solution);
    try {
      expect((await storedInput(world, scheduleId)).rearmFrom).toBeNull();
      const run = await fireNow(world.scheduler, solution, reference);
      await run.result();
      const activities = await scheduledActivities(run);
      expect(activities).toContain('dispatchHttp');
      expect(activities).not.toContain('rearmSchedule');
      expect(world.requestsFor(reference)).toHaveLength(1);
    } finally {
      await world.service.deleteSchedule(solution, { schedule_reference: reference });
    }
  });
});

describe('a rolling window of two instants (minutely rule, window forced)', () => {
  const world = useConnectorWorld({ window: { forceWindow: true, minCount: 2, maxCount: 2, minSpanMs: 0 } });

  test('a run before the window middle does not re-arm; the run at the middle does, and moves the point', async () => {
    const solution = uniqueId('window');
    const { reference, scheduleId, first } = await createMinutely(world, solution);
    try {
      const before = await storedInput(world, scheduleId);
      expect(before.rearmFrom).toBe(first.toISOString());

      const early = await fireNow(world.scheduler, solution, reference);
      await early.result();
      expect(await scheduledActivities(early)).not.toContain('rearmSchedule');

      // The occurrence at the window's middle (its first instant, of two) fires on its own and re-arms.
      const due = await waitFor(
        async () => {
          const description = await world.client.schedule.getHandle(scheduleId).describe();
          const action = description.info.recentActions.find(
            (a) => a.scheduledAt.getTime() === first.getTime(),
          );
          return action?.action.workflow.workflowId;
        },
        { description: 'the occurrence at the re-arm point', timeoutMs: 90_000 },
      );
      const run = world.client.workflow.getHandle(due);
      await run.result();
      expect(await scheduledActivities(run)).toEqual(['dispatchHttp', 'rearmSchedule']);
      const after = await storedInput(world, scheduleId);
      expect(Date.parse(after.rearmFrom ?? '')).toBeGreaterThan(first.getTime());
    } finally {
      await world.service.deleteSchedule(solution, { schedule_reference: reference });
    }
  });
});
