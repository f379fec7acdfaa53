/**
 * The Create / Update / Delete Schedule actions on the real dev server (FEATURES.md A5, A7-A9, E1): outputs
 * equal the engine's instants, error messages are the exact strings other runbooks match on, a failed call
 * stores nothing, and the Temporal schedule behind each reference is what the action says it is.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ScheduleHandle } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { TriggerTemplate } from '../../src/catalog/model';
import { Messages } from '../../src/connector/errors';
import type { ScheduleView } from '../../src/connector/scheduler-service';
import { formatUtcSeconds } from '../../src/dispatch/payload';
import { NoOccurrenceReason, nextOccurrence, nextOccurrences, type Recurrence } from '../../src/recurrence';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { GENERATION, REFERENCE, RUNBOOK, SOLUTION } from '../../src/temporal/search-attributes';
import {
  SEED_WEEKLY,
  expectNoTemporalSchedule,
  fireNow,
  rejectionOf,
  secondsAhead,
  useConnectorWorld,
  utcParts,
} from './connector-fixtures';
import { sleep, uniqueId, waitFor, type RecordedRequest } from './harness';

jest.setTimeout(120_000);

const world = useConnectorWorld();

/** Today's date in UTC at `instant`. */
function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

async function expectRejection(
  promise: Promise<unknown>,
  message: string,
  details?: string[],
): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error.message).toBe(message);
  if (details) expect((error as { details?: unknown }).details).toEqual(details);
}

/** Neither the service nor Temporal knows the reference. */
async function expectNothingStored(solution: string, reference: string): Promise<void> {
  expect(await viewOf(solution, reference)).toBeUndefined();
  await expectNoTemporalSchedule(world.client, solution, reference);
}

async function cleanup(solution: string, ...references: string[]): Promise<void> {
  for (const reference of references)
    await world.service.deleteSchedule(solution, { schedule_reference: reference });
}

/** A {@link SEED_WEEKLY} schedule of a fresh Dynamic Scheduler runbook in a fresh solution. */
interface WeeklySchedule {
  readonly solution: string;
  readonly reference: string;
  readonly runbookUuid: string;
  /** The Temporal schedule behind the reference. */
  readonly handle: ScheduleHandle;
}

/** Creates a {@link WeeklySchedule}, runs `fn` on it, and deletes the schedule after. */
async function withWeeklySchedule(fn: (schedule: WeeklySchedule) => Promise<void>): Promise<void> {
  const solution = uniqueId('sol');
  const reference = uniqueId('ref');
  const runbookUuid = await world.dynamicRunbook(solution);
  const handle = world.client.schedule.getHandle(scheduleIdFor(solution, reference));
  try {
    await world.createWeekly(solution, reference, runbookUuid);
    await fn({ solution, reference, runbookUuid, handle });
  } finally {
    await cleanup(solution, reference);
  }
}

/** The reference's view, as Get Schedule returns it. */
function viewOf(solution: string, reference: string): Promise<ScheduleView | undefined> {
  return world.service.getSchedule(solution, { schedule_reference: reference });
}

describe('Create Schedule (A7)', () => {
  test('returns the reference and the engine next occurrence; the Temporal schedule carries memo and search attributes', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('tenant-42');
    const runbookUuid = await world.dynamicRunbook(solution);
    const before = new Date();
    try {
      const created = await world.service.createSchedule(solution, {
        runbook_uuid: runbookUuid,
        schedule_reference: reference,
        schedule: SEED_WEEKLY,
        request_body: { tenant_id: '42' },
      });
      const view = await viewOf(solution, reference);
      expect(view).toBeDefined();
      const rule = view?.schedule as Recurrence;
      expect(rule).toEqual({
        ...SEED_WEEKLY,
        day: ['saturday', 'sunday'],
        disabled: false,
        start_date: expect.any(String) as unknown,
        week_start: 'monday',
      });
      const expected = nextOccurrence(rule, before).at;
      expect(expected).not.toBeNull();
      expect(created).toEqual({
        schedule_reference: reference,
        next_occurrence_at: formatUtcSeconds(expected as Date),
        next_occurrence_errors: null,
      });
      expect(created.next_occurrence_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

      const scheduleId = scheduleIdFor(solution, reference);
      expect(scheduleId).toBe(`rbs:${solution}:${reference}`);
      const description = await world.client.schedule.getHandle(scheduleId).describe();
      expect(description.state.paused).toBe(false);
      expect(description.info.nextActionTimes[0]).toEqual(expected);
      expect(description.info.nextActionTimes).toEqual(nextOccurrences(rule, before, 10).occurrences);
      expect(description.memo).toMatchObject({
        product: 'runbook-scheduler',
        kind: 'dynamic_scheduler',
        solution,
        reference,
        runbookUuid,
        generation: view?.generation,
      });
      expect(description.typedSearchAttributes.get(SOLUTION)).toBe(solution);
      expect(description.typedSearchAttributes.get(REFERENCE)).toBe(reference);
      expect(description.typedSearchAttributes.get(RUNBOOK)).toBe(runbookUuid);
      expect(description.typedSearchAttributes.get(GENERATION)).toBe(view?.generation);
      expect(view).toMatchObject({
        schedule_reference: reference,
        runbook_uuid: runbookUuid,
        kind: 'dynamic_scheduler',
        request_body: { tenant_id: '42' },
        paused: false,
        temporal_schedule_id: scheduleId,
      });
    } finally {
      await cleanup(solution, reference);
    }
  });

  test('a no_repeat with neither date nor time fires once, as soon as possible', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('asap');
    const runbookUuid = await world.dynamicRunbook(solution);
    try {
      const created = await world.service.createSchedule(solution, {
        runbook_uuid: runbookUuid,
        schedule_reference: reference,
        schedule: { frequency: 'no_repeat' },
      });
      expect(created.next_occurrence_at).not.toBeNull();
      const request = await waitFor(() => world.requestsFor(reference)[0], {
        timeoutMs: 30_000,
        description: 'the as-soon-as-possible fire',
      });
      expect(request.body).toEqual({
        body: { schedule_reference: reference },
        triggered_at: created.next_occurrence_at,
      });
    } finally {
      await cleanup(solution, reference);
    }
  });

  test('an unknown runbook uuid and another solution runbook fail with "No Runbook found" and store nothing', async () => {
    const solution = uniqueId('sol');
    const other = uniqueId('sol-other');
    const othersRunbook = await world.dynamicRunbook(other);
    const reference = uniqueId('ref');
    for (const runbookUuid of [randomUUID(), othersRunbook]) {
      await expectRejection(
        world.createWeekly(solution, reference, runbookUuid),
        'Failed to create schedule: No Runbook found',
      );
      await expectNothingStored(solution, reference);
      await expectNothingStored(other, reference);
    }
  });

  test('Scheduler and Webhook runbooks are refused with "Trigger template <uuid> is not supported for scheduling"', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('ref');
    const target = { kind: 'http', url: `${world.receiver.url}/runbook` } as const;
    const schedulerRunbook = randomUUID();
    const webhookRunbook = randomUUID();
    // Straight into the catalog: a provisioned Scheduler trigger would own a schedule of its own.
    await world.scheduler.app.catalog.put({
      uuid: schedulerRunbook,
      solution,
      name: 'scheduler runbook',
      trigger: { template: TriggerTemplate.Scheduler, schedule: SEED_WEEKLY },
      target,
    });
    await world.scheduler.app.catalog.put({
      uuid: webhookRunbook,
      solution,
      name: 'webhook runbook',
      trigger: { template: TriggerTemplate.Webhook, path: '/hook' },
      target,
    });
    for (const [uuid, template] of [
      [schedulerRunbook, TriggerTemplate.Scheduler],
      [webhookRunbook, TriggerTemplate.Webhook],
    ] as const) {
      await expectRejection(
        world.createWeekly(solution, reference, uuid),
        `Failed to create schedule: Trigger template ${template} is not supported for scheduling`,
      );
      await expectNothingStored(solution, reference);
    }
  });

  test('a second Create of a reference fails with ["Reference must be unique per solution"] and keeps the first', async () => {
    await withWeeklySchedule(async ({ solution, reference, runbookUuid }) => {
      const first = await viewOf(solution, reference);
      await expectRejection(
        world.service.createSchedule(solution, {
          runbook_uuid: runbookUuid,
          schedule_reference: reference,
          schedule: { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '01:00' },
        }),
        'Failed to create schedule: ["Reference must be unique per solution"]',
      );
      const after = await viewOf(solution, reference);
      expect(after?.generation).toBe(first?.generation);
      expect(after?.schedule).toEqual(first?.schedule);
    });
  });

  test.each<[string, unknown, string]>([
    [
      'interval 0',
      { ...SEED_WEEKLY, interval: 0 },
      'Failed to create schedule: ["Interval must be greater than or equal to 1"]',
    ],
    [
      'an unknown frequency',
      { frequency: 'fortnightly', time_zone: 'UTC', interval: 1 },
      'Failed to create schedule: ["Frequency must be one of no_repeat, minutely, hourly, daily, weekly, monthly, yearly"]',
    ],
    [
      'a missing frequency',
      { time_zone: 'UTC', interval: 1 },
      'Failed to create schedule: ["Frequency is required"]',
    ],
    [
      'several invalid fields',
      { frequency: 'weekly', time_zone: 'UTC', interval: 0, day: ['funday'], time_of_day: '25:00' },
      'Failed to create schedule: ["Interval must be greater than or equal to 1","Time of day must be a time in the form HH:MM or HH:MM:SS","Day must contain only weekday names (monday to sunday)"]',
    ],
    [
      'a day_of_week_index of 5',
      {
        frequency: 'monthly',
        time_zone: 'UTC',
        interval: 1,
        day_of_week: true,
        day_of_week_index: 5,
        day_of_week_day: 'monday',
        time_of_day: '09:00',
      },
      'Failed to create schedule: ["Day of week index must be one of 1, 2, 3, 4 or -1"]',
    ],
    [
      'month 13',
      { frequency: 'yearly', time_zone: 'UTC', interval: 1, month_of_year: [13], time_of_day: '09:00' },
      'Failed to create schedule: ["Month of year must contain only 1 to 12"]',
    ],
    ['no schedule', undefined, 'Failed to create schedule: ["Schedule is required"]'],
  ])(
    'a recurrence with %s fails with the JSON array of its messages and stores nothing',
    async (_, schedule, message) => {
      const solution = uniqueId('sol');
      const reference = uniqueId('ref');
      const runbookUuid = await world.dynamicRunbook(solution);
      await expectRejection(
        world.service.createSchedule(solution, {
          runbook_uuid: runbookUuid,
          schedule_reference: reference,
          schedule,
        }),
        message,
      );
      await expectNothingStored(solution, reference);
    },
  );
});

describe('a schedule that will never fire (A5)', () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      'a weekly rule whose end date has passed',
      { ...SEED_WEEKLY, start_date: '2020-01-01', end_date: '2020-12-31' },
      NoOccurrenceReason.EndDatePassed,
    ],
    [
      'a minutely rule whose end date has passed',
      {
        frequency: 'minutely',
        interval: 5,
        time_zone: 'UTC',
        start_date: '2020-01-01',
        end_date: '2020-01-02',
      },
      NoOccurrenceReason.EndDatePassed,
    ],
    [
      'monthly every 12 months on day 31 from February',
      {
        frequency: 'monthly',
        interval: 12,
        time_zone: 'UTC',
        start_date: '2027-02-01',
        time_of_day: '09:00',
        day_of_month: [31],
      },
      NoOccurrenceReason.NoDateMatches,
    ],
  ])(
    '%s is created with next_occurrence_at null, the reason, and a paused Temporal schedule',
    async (_, rule, reason) => {
      const solution = uniqueId('sol');
      const reference = uniqueId('never');
      const runbookUuid = await world.dynamicRunbook(solution);
      try {
        const created = await world.service.createSchedule(solution, {
          runbook_uuid: runbookUuid,
          schedule_reference: reference,
          schedule: rule,
        });
        expect(created).toEqual({
          schedule_reference: reference,
          next_occurrence_at: null,
          next_occurrence_errors: reason,
        });
        const description = await world.client.schedule
          .getHandle(scheduleIdFor(solution, reference))
          .describe();
        expect(description.state).toMatchObject({ paused: true, note: reason });
        const view = await viewOf(solution, reference);
        expect(view).toMatchObject({ paused: true, note: reason });
      } finally {
        await cleanup(solution, reference);
      }
    },
  );
});

describe('Update Schedule (A8)', () => {
  test('is a full replacement: irrelevant fields cleared, defaults reset, old pending instants gone', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('ref');
    const runbookUuid = await world.dynamicRunbook(solution);
    const scheduleId = scheduleIdFor(solution, reference);
    try {
      await world.service.createSchedule(solution, {
        runbook_uuid: runbookUuid,
        schedule_reference: reference,
        schedule: {
          frequency: 'monthly',
          interval: 1,
          time_zone: 'Europe/Amsterdam',
          start_date: '2026-01-01',
          end_date: '2040-12-31',
          time_of_day: '03:00',
          day_of_month: [15, -1],
        },
      });
      const weekly = {
        frequency: 'weekly',
        interval: 1,
        time_zone: 'UTC',
        day: ['monday', 'wednesday'],
        time_of_day: '09:00:00',
      };
      const before = new Date();
      expect(
        await world.service.updateSchedule(solution, { schedule_reference: reference, schedule: weekly }),
      ).toEqual({
        success: true,
      });
      const after = new Date();
      const view = await viewOf(solution, reference);
      // Exactly these keys: no day_of_month, day_of_week or end_date survive; week_start and start_date defaulted.
      expect(view?.schedule).toEqual({
        ...weekly,
        disabled: false,
        week_start: 'monday',
        start_date: expect.any(String) as unknown,
      });
      expect([utcDay(before), utcDay(after)]).toContain(view?.schedule.start_date);
      const engine = nextOccurrences(view?.schedule as Recurrence, after, 10).occurrences;
      const description = await world.client.schedule.getHandle(scheduleId).describe();
      expect(description.info.nextActionTimes).toEqual(engine);
      expect(description.state.paused).toBe(false);
      // Operators still find it: the update keeps memo and search attributes, of the schedule and of its runs.
      expect(description.memo).toMatchObject({ solution, reference, runbookUuid });
      expect(description.typedSearchAttributes.get(REFERENCE)).toBe(reference);
      expect(description.typedSearchAttributes.get(SOLUTION)).toBe(solution);
      const runAttributes = description.action.typedSearchAttributes as TypedSearchAttributes | undefined;
      expect(runAttributes?.get(REFERENCE)).toBe(reference);
      expect(runAttributes?.get(GENERATION)).toBe(view?.generation);

      // A weekly rule with week_start sunday, then one without: week_start is back to its default.
      await world.service.updateSchedule(solution, {
        schedule_reference: reference,
        schedule: { ...weekly, interval: 2, week_start: 'sunday' },
      });
      expect((await viewOf(solution, reference))?.schedule).toMatchObject({
        interval: 2,
        week_start: 'sunday',
      });
      await world.service.updateSchedule(solution, { schedule_reference: reference, schedule: weekly });
      expect((await viewOf(solution, reference))?.schedule).toMatchObject({
        interval: 1,
        week_start: 'monday',
      });
    } finally {
      await cleanup(solution, reference);
    }
  });

  test('the new rule fires from its own start, with the stored request_body', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('moved');
    const runbookUuid = await world.dynamicRunbook(solution);
    try {
      await world.service.createSchedule(solution, {
        runbook_uuid: runbookUuid,
        schedule_reference: reference,
        schedule: SEED_WEEKLY,
        request_body: { tenant_id: '42' },
      });
      const fireAt = secondsAhead(3_000);
      await world.service.updateSchedule(solution, {
        schedule_reference: reference,
        schedule: { frequency: 'no_repeat', time_zone: 'UTC', ...utcParts(fireAt) },
      });
      const request = await waitFor(() => world.requestsFor(reference)[0], {
        timeoutMs: 30_000,
        description: 'the updated rule fired',
      });
      expect(request.body).toEqual({
        body: { tenant_id: '42', schedule_reference: reference },
        triggered_at: formatUtcSeconds(fireAt),
      });
    } finally {
      await cleanup(solution, reference);
    }
  });

  test('disabled: true pauses the Temporal schedule and disabled: false resumes it', async () => {
    await withWeeklySchedule(async ({ solution, reference, handle }) => {
      await world.service.updateSchedule(solution, {
        schedule_reference: reference,
        schedule: { ...SEED_WEEKLY, disabled: true },
      });
      expect((await handle.describe()).state).toMatchObject({
        paused: true,
        note: NoOccurrenceReason.Disabled,
      });
      expect(await viewOf(solution, reference)).toMatchObject({
        paused: true,
        schedule: { disabled: true },
      });

      await world.service.updateSchedule(solution, {
        schedule_reference: reference,
        schedule: { ...SEED_WEEKLY, disabled: false },
      });
      const resumed = await handle.describe();
      expect(resumed.state.paused).toBe(false);
      const view = await viewOf(solution, reference);
      expect(view).toMatchObject({ paused: false, schedule: { disabled: false } });
      expect(resumed.info.nextActionTimes[0]).toEqual(
        nextOccurrence(view?.schedule as Recurrence, new Date()).at,
      );
    });
  });

  test('a new rule with no further occurrence pauses the schedule with the reason; a valid rule resumes it', async () => {
    await withWeeklySchedule(async ({ solution, reference, handle }) => {
      await world.service.updateSchedule(solution, {
        schedule_reference: reference,
        schedule: { ...SEED_WEEKLY, start_date: '2020-01-01', end_date: '2020-12-31' },
      });
      const ended = await handle.describe();
      expect(ended.state).toMatchObject({ paused: true, note: NoOccurrenceReason.EndDatePassed });
      expect(ended.info.nextActionTimes).toEqual([]);
      await world.service.updateSchedule(solution, { schedule_reference: reference, schedule: SEED_WEEKLY });
      const resumed = await handle.describe();
      expect(resumed.state.paused).toBe(false);
      expect(resumed.info.nextActionTimes).toHaveLength(10);
    });
  });

  test('an unknown or deleted reference fails with "Schedule not found"', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('ref');
    const runbookUuid = await world.dynamicRunbook(solution);
    await expectRejection(
      world.service.updateSchedule(solution, {
        schedule_reference: uniqueId('unknown'),
        schedule: SEED_WEEKLY,
      }),
      'Failed to update schedule: Schedule not found',
    );
    await world.createWeekly(solution, reference, runbookUuid);
    await world.service.deleteSchedule(solution, { schedule_reference: reference });
    await expectRejection(
      world.service.updateSchedule(solution, { schedule_reference: reference, schedule: SEED_WEEKLY }),
      'Failed to update schedule: Schedule not found',
    );
    await expectNothingStored(solution, reference);
  });

  test('an invalid rule fails with "Schedule update failed", the messages in details, and changes nothing', async () => {
    await withWeeklySchedule(async ({ solution, reference, handle }) => {
      const before = await viewOf(solution, reference);
      const specBefore = (await handle.describe()).spec;
      await expectRejection(
        world.service.updateSchedule(solution, {
          schedule_reference: reference,
          schedule: {
            frequency: 'weekly',
            time_zone: 'UTC',
            interval: 0,
            day: ['funday'],
            time_of_day: '25:00',
          },
        }),
        Messages.updateFailed,
        [
          'Interval must be greater than or equal to 1',
          'Time of day must be a time in the form HH:MM or HH:MM:SS',
          'Day must contain only weekday names (monday to sunday)',
        ],
      );
      await expectRejection(
        world.service.updateSchedule(solution, { schedule_reference: reference }),
        'Failed to update schedule: Schedule update failed',
        ['Schedule is required'],
      );
      const after = await viewOf(solution, reference);
      expect(after?.schedule).toEqual(before?.schedule);
      expect(after?.generation).toBe(before?.generation);
      expect(after?.paused).toBe(false);
      expect((await handle.describe()).spec).toEqual(specBefore);
    });
  });
});

test('a pause made with the temporal CLI reads back as paused and disabled (E1)', async () => {
  const cli = process.env.TEMPORAL_TEST_CLI;
  expect(cli).toBeTruthy();
  await withWeeklySchedule(async ({ solution, reference }) => {
    execFileSync(
      cli as string,
      [
        'schedule',
        'toggle',
        '--pause',
        '--schedule-id',
        scheduleIdFor(solution, reference),
        '--reason',
        'maintenance window',
        '--address',
        world.scheduler.settings.address,
        '--namespace',
        world.scheduler.settings.namespace,
      ],
      { encoding: 'utf8' },
    );
    const view = await viewOf(solution, reference);
    expect(view).toMatchObject({ paused: true, note: 'maintenance window', schedule: { disabled: true } });
  });
});

describe('Delete Schedule (A9)', () => {
  test('succeeds for a live, an unknown and an already deleted reference', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('ref');
    const runbookUuid = await world.dynamicRunbook(solution);
    await world.createWeekly(solution, reference, runbookUuid);
    expect(await world.service.deleteSchedule(solution, { schedule_reference: reference })).toEqual({
      success: true,
    });
    await expectNothingStored(solution, reference);
    expect(await world.service.deleteSchedule(solution, { schedule_reference: reference })).toEqual({
      success: true,
    });
    expect(await world.service.deleteSchedule(solution, { schedule_reference: uniqueId('unknown') })).toEqual(
      {
        success: true,
      },
    );
  });

  test('a schedule deleted before its occurrence never fires', async () => {
    const solution = uniqueId('sol');
    const once = uniqueId('once');
    const minutely = uniqueId('minutely');
    const runbookUuid = await world.dynamicRunbook(solution);
    const fireAt = secondsAhead(5_000);
    try {
      const created = await Promise.all([
        world.service.createSchedule(solution, {
          runbook_uuid: runbookUuid,
          schedule_reference: once,
          schedule: { frequency: 'no_repeat', time_zone: 'UTC', ...utcParts(fireAt) },
        }),
        world.service.createSchedule(solution, {
          runbook_uuid: runbookUuid,
          schedule_reference: minutely,
          schedule: { frequency: 'minutely', interval: 1, time_zone: 'UTC', ...utcParts(fireAt) },
        }),
      ]);
      expect(created.map((c) => c.next_occurrence_at)).toEqual([
        formatUtcSeconds(fireAt),
        formatUtcSeconds(fireAt),
      ]);
      await cleanup(solution, once, minutely);
      await expectNothingStored(solution, once);
      await expectNothingStored(solution, minutely);
      // Absence cannot be polled for: wait past the instant, with room for a late fire.
      await sleep(fireAt.getTime() + 4_000 - Date.now());
      expect(world.requestsFor(once)).toEqual([]);
      expect(world.requestsFor(minutely)).toEqual([]);
    } finally {
      await cleanup(solution, once, minutely);
    }
  });

  test('past runs stay inspectable and a new Create starts a fresh generation with new run ids and idempotency keys', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('regen');
    const runbookUuid = await world.dynamicRunbook(solution);
    const scheduleId = scheduleIdFor(solution, reference);
    const query = `RunbookReference = '${reference}'`;
    const fireOnce = async (): Promise<{ generation: string; request: RecordedRequest }> => {
      const fireAt = secondsAhead(3_000);
      await world.service.createSchedule(solution, {
        runbook_uuid: runbookUuid,
        schedule_reference: reference,
        schedule: { frequency: 'no_repeat', time_zone: 'UTC', ...utcParts(fireAt) },
      });
      const view = await viewOf(solution, reference);
      const seen = world.requestsFor(reference).length;
      const request = await waitFor(() => world.requestsFor(reference)[seen], {
        timeoutMs: 30_000,
        description: 'the fire reached the receiver',
      });
      expect(request.body).toEqual({
        body: { schedule_reference: reference },
        triggered_at: formatUtcSeconds(fireAt),
      });
      return { generation: view?.generation as string, request };
    };
    try {
      const first = await fireOnce();
      await world.service.deleteSchedule(solution, { schedule_reference: reference });
      await expectNothingStored(solution, reference);

      const [oldRun] = await waitFor(
        async () => {
          const runs = [];
          for await (const run of world.client.workflow.list({ query })) runs.push(run);
          return runs.length === 1 ? runs : undefined;
        },
        { timeoutMs: 30_000, description: 'the past run listed by its reference' },
      );
      expect(oldRun?.workflowId.startsWith(`${scheduleId}:${first.generation}-`)).toBe(true);
      const oldDescription = await world.client.workflow.getHandle(oldRun?.workflowId as string).describe();
      expect(oldDescription.typedSearchAttributes.get(REFERENCE)).toBe(reference);
      expect(oldDescription.typedSearchAttributes.get(GENERATION)).toBe(first.generation);

      const second = await fireOnce();
      expect(second.generation).not.toBe(first.generation);
      const oldKey = first.request.headers['idempotency-key'];
      const newKey = second.request.headers['idempotency-key'];
      expect(oldKey).toContain(first.generation);
      expect(newKey).toContain(second.generation);
      expect(newKey).not.toBe(oldKey);
      const runs = await waitFor(
        async () => {
          const found = [];
          for await (const run of world.client.workflow.list({ query })) found.push(run.workflowId);
          return found.length === 2 ? found : undefined;
        },
        { timeoutMs: 30_000, description: 'both generations listed' },
      );
      expect(new Set(runs).size).toBe(2);
      expect(runs.filter((id) => id.startsWith(`${scheduleId}:${second.generation}-`))).toHaveLength(1);
      expect(runs).toContain(oldRun?.workflowId);
    } finally {
      await cleanup(solution, reference);
    }
  });
});

describe('re-registering a Dynamic Scheduler runbook', () => {
  test('its schedules fire the runbook as it is now: new target and path, rule and pause kept', async () => {
    const solution = uniqueId('sol');
    const reference = uniqueId('retarget');
    const runbookUuid = await world.dynamicRunbook(solution);
    const runbook = (await world.service.listRunbooks(solution)).find((r) => r.uuid === runbookUuid);
    await world.createWeekly(solution, reference, runbookUuid);
    try {
      await world.service.pauseSchedule(solution, { schedule_reference: reference });
      const before = await viewOf(solution, reference);
      // The schedule is found through visibility, which is eventually consistent.
      await waitFor(async () => (await world.service.listSchedules(solution)).length === 1 || undefined);

      await world.service.registerRunbook({
        ...runbook,
        trigger: {
          template: TriggerTemplate.DynamicScheduler,
          job_context_identifier_path: 'body.tenant_id',
        },
        target: { kind: 'http', url: `${world.receiver.url}/moved` },
      });

      const after = await viewOf(solution, reference);
      const description = await world.client.schedule
        .getHandle(scheduleIdFor(solution, reference))
        .describe();
      const [args] = (description.action as { args: Array<{ jobContextIdentifierPath?: string }> }).args;
      expect(args?.jobContextIdentifierPath).toBe('body.tenant_id');
      expect(after?.paused).toBe(true);
      expect(after?.schedule).toEqual(before?.schedule);
      expect(after?.generation).toBe(before?.generation);
      await world.service.resumeSchedule(solution, { schedule_reference: reference });
      const run = await fireNow(world.scheduler, solution, reference);
      await run.result();
      const [request] = world.requestsFor(reference);
      expect(request?.path).toBe('/moved');
    } finally {
      await cleanup(solution, reference);
    }
  });
});
