/**
 * Abort on the real dev server (FEATURES.md B6, and Stop's abort of B1): the queued occurrence is excluded from
 * the schedule's spec, so Temporal's own next action times skip it, on a native interval spec (minutely) as on
 * a window of explicit instants (daily); its abort record is a workflow tagged `RunbookInstanceStatus =
 * "Aborted"` under the occurrence's run id, holding the reason and the user; aborting again is idempotent.
 */
import { ABORTED_OCCURRENCE_WORKFLOW, occurrenceWorkflowId } from '../../../src/instances/abort-record';
import { abortOccurrence, abortQueuedOccurrence, AbortReasons } from '../../../src/instances/abort';
import { InstanceStatus } from '../../../src/instances/status';
import { scheduleIdFor } from '../../../src/temporal/schedule-ids';
import { TemporalScheduleGateway } from '../../../src/temporal/schedule-gateway';
import { INSTANCE_STATUS } from '../../../src/temporal/search-attributes';
import { useConnectorWorld } from '../connector-fixtures';
import { uniqueId, waitFor } from '../harness';

jest.setTimeout(120_000);

const world = useConnectorWorld();

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

const RULES = {
  'a native interval spec (every 5 minutes)': {
    schedule: { frequency: 'minutely', interval: 5, time_zone: 'UTC', time_of_day: '10:00:00' },
    next: (day: string) => [`${day}T10:05:00Z`, `${day}T10:10:00Z`],
  },
  'a window of explicit instants (daily)': {
    schedule: { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '10:00:00' },
    next: (day: string) => {
      const after = new Date(Date.parse(`${day}T10:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      return [`${after}T10:00:00Z`];
    },
  },
} as const;

describe.each(Object.entries(RULES))('aborting the queued instance of %s', (_name, rule) => {
  test('skips exactly that instant in Temporal, records it Aborted with reason and user, idempotently', async () => {
    const solution = uniqueId('abort');
    const reference = uniqueId('ref');
    const runbook = await world.dynamicRunbook(solution);
    const day = tomorrow();
    await world.service.createSchedule(solution, {
      runbook_uuid: runbook,
      schedule_reference: reference,
      schedule: { ...rule.schedule, start_date: day },
    });
    const scheduleId = scheduleIdFor(solution, reference);
    const handle = world.client.schedule.getHandle(scheduleId);
    try {
      const before = (await handle.describe()).info.nextActionTimes.map((t) => t.toISOString());
      expect(before[0]).toBe(new Date(`${day}T10:00:00Z`).toISOString());

      const deps = {
        client: world.client,
        gateway: new TemporalScheduleGateway(world.client, world.scheduler.settings.taskQueue),
        taskQueue: world.scheduler.settings.taskQueue,
      };
      const request = { scheduleId, reason: AbortReasons.byUser('alice'), user: 'alice', now: new Date() };
      const record = await abortQueuedOccurrence(deps, request);
      expect(record).toMatchObject({
        occurrence: `${day}T10:00:00Z`,
        reason: 'Instance aborted by alice',
        user: 'alice',
        solution,
        reference,
      });

      const after = (await handle.describe()).info.nextActionTimes.map((t) => t.toISOString());
      const expected = rule.next(day).map((t) => new Date(t).toISOString());
      expect(after.slice(0, expected.length)).toEqual(expected);

      const generation = (await world.service.getSchedule(solution, { schedule_reference: reference }))!
        .generation;
      const recordHandle = world.client.workflow.getHandle(
        occurrenceWorkflowId(scheduleId, generation, new Date(`${day}T10:00:00Z`)),
      );
      const description = await recordHandle.describe();
      expect(description.type).toBe(ABORTED_OCCURRENCE_WORKFLOW);
      expect(description.typedSearchAttributes.get(INSTANCE_STATUS)).toBe(InstanceStatus.Aborted);
      await expect(recordHandle.result()).resolves.toEqual(record);

      // The next queued occurrence is the next one; aborting the one aborted again answers its record.
      await expect(
        abortOccurrence(deps, { ...request, occurrence: new Date(`${day}T10:00:00Z`) }),
      ).resolves.toEqual(record);

      // A re-arm (each run, the sweep) keeps the exclusion.
      await deps.gateway.rearm(scheduleId, new Date(), new Date());
      await waitFor(async () => {
        const again = (await handle.describe()).info.nextActionTimes.map((t) => t.toISOString());
        expect(again.slice(0, expected.length)).toEqual(expected);
        return true;
      });
    } finally {
      await handle.delete();
    }
  });
});
