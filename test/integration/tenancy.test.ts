/**
 * Tenancy on the real dev server (FEATURES.md A10): every call is scoped to one solution, so no solution can
 * read, change, delete, pause or fire another's schedule, one reference lives independently in two solutions,
 * and references stay unique per solution under concurrent Creates.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { TriggerTemplate } from '../../src/catalog/model';
import type { SchedulerService } from '../../src/connector/scheduler-service';
import { scheduleIdFor } from '../../src/temporal/schedules';
import { startHttpReceiver, uniqueId, waitFor, type HttpReceiver } from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';

jest.setTimeout(120_000);

let scheduler: SchedulerFixture;
let receiver: HttpReceiver;
let service: SchedulerService;
let client: Client;

beforeAll(async () => {
  scheduler = await startScheduler();
  receiver = await startHttpReceiver();
  service = scheduler.app.service;
  client = scheduler.app.client;
});

afterAll(async () => {
  await receiver?.close();
  await scheduler?.close();
});

const WEEKLY = {
  frequency: 'weekly',
  time_zone: 'UTC',
  interval: 2,
  day: ['saturday', 'sunday'],
  time_of_day: '16:55:50',
} as const;

/** Registers a Dynamic Scheduler runbook in the solution; returns its uuid. */
async function dynamicRunbook(solution: string): Promise<string> {
  const uuid = randomUUID();
  await service.registerRunbook({
    uuid,
    solution,
    name: 'worker runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: `${receiver.url}/runbook` },
  });
  return uuid;
}

async function createWeekly(solution: string, reference: string, runbookUuid: string) {
  return await service.createSchedule(solution, {
    runbook_uuid: runbookUuid,
    schedule_reference: reference,
    schedule: WEEKLY,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

test('another solution cannot read, update, delete, pause, resume or fire a schedule of the same reference', async () => {
  const solutionA = uniqueId('sol-a');
  const solutionB = uniqueId('sol-b');
  const reference = uniqueId('shared-ref');
  const runbookA = await dynamicRunbook(solutionA);
  const ref = { schedule_reference: reference };
  const handleA = client.schedule.getHandle(scheduleIdFor(solutionA, reference));
  try {
    await createWeekly(solutionA, reference, runbookA);
    const before = await service.getSchedule(solutionA, ref);

    expect(await service.getSchedule(solutionB, ref)).toBeUndefined();
    expect(
      (
        await rejection(
          service.updateSchedule(solutionB, { ...ref, schedule: { ...WEEKLY, disabled: true } }),
        )
      ).message,
    ).toBe('Failed to update schedule: Schedule not found');
    expect(await service.deleteSchedule(solutionB, ref)).toEqual({ success: true });
    for (const call of [
      () => service.pauseSchedule(solutionB, ref),
      () => service.resumeSchedule(solutionB, ref),
      () => service.triggerSchedule(solutionB, ref),
    ]) {
      expect((await rejection(call())).message).toBe('Schedule not found');
    }

    const after = await service.getSchedule(solutionA, ref);
    expect(after).toEqual(before);
    const description = await handleA.describe();
    expect(description.state.paused).toBe(false);
    expect(description.info.numActionsTaken).toBe(0);
    expect(description.info.recentActions).toEqual([]);

    const listedA = await waitFor(
      async () => {
        const views = await service.listSchedules(solutionA);
        return views.length === 1 ? views : undefined;
      },
      { timeoutMs: 30_000, description: 'solution A lists its schedule' },
    );
    expect(listedA.map((v) => v.schedule_reference)).toEqual([reference]);
    expect(await service.listSchedules(solutionB)).toEqual([]);
  } finally {
    await service.deleteSchedule(solutionA, ref);
  }
});

test('one reference lives independently in two solutions', async () => {
  const solutionA = uniqueId('sol-a');
  const solutionB = uniqueId('sol-b');
  const reference = uniqueId('shared-ref');
  const ref = { schedule_reference: reference };
  const [runbookA, runbookB] = await Promise.all([dynamicRunbook(solutionA), dynamicRunbook(solutionB)]);
  try {
    await createWeekly(solutionA, reference, runbookA);
    await createWeekly(solutionB, reference, runbookB);
    const viewA = await service.getSchedule(solutionA, ref);
    const viewB = await service.getSchedule(solutionB, ref);
    expect(viewA?.runbook_uuid).toBe(runbookA);
    expect(viewB?.runbook_uuid).toBe(runbookB);
    expect(viewA?.temporal_schedule_id).not.toBe(viewB?.temporal_schedule_id);

    await service.updateSchedule(solutionB, { ...ref, schedule: { ...WEEKLY, disabled: true } });
    expect(await service.getSchedule(solutionA, ref)).toMatchObject({
      paused: false,
      schedule: { disabled: false },
    });
    expect(await service.getSchedule(solutionB, ref)).toMatchObject({
      paused: true,
      schedule: { disabled: true },
    });

    await service.deleteSchedule(solutionA, ref);
    expect(await service.getSchedule(solutionA, ref)).toBeUndefined();
    expect(await service.getSchedule(solutionB, ref)).toMatchObject({ runbook_uuid: runbookB });
  } finally {
    await service.deleteSchedule(solutionA, ref);
    await service.deleteSchedule(solutionB, ref);
  }
});

test('a reference containing ":" cannot reach the schedule of a solution whose name extends another', async () => {
  // "acme" + "team:nightly" and "acme:team" + "nightly" must be two different schedules.
  const outer = uniqueId('acme');
  const inner = `${outer}:team`;
  const [outerRunbook, innerRunbook] = await Promise.all([dynamicRunbook(outer), dynamicRunbook(inner)]);
  const innerRef = { schedule_reference: 'nightly' };
  const outerRef = { schedule_reference: 'team:nightly' };
  expect(scheduleIdFor(inner, 'nightly')).toBe(`rbs:${outer}%3Ateam:nightly`);
  expect(scheduleIdFor(outer, 'team:nightly')).toBe(`rbs:${outer}:team:nightly`);
  try {
    await createWeekly(inner, 'nightly', innerRunbook);
    expect(await service.getSchedule(outer, outerRef)).toBeUndefined();
    expect(await service.deleteSchedule(outer, outerRef)).toEqual({ success: true });
    expect(await service.getSchedule(inner, innerRef)).toMatchObject({ runbook_uuid: innerRunbook });

    await createWeekly(outer, 'team:nightly', outerRunbook);
    expect(await service.getSchedule(outer, outerRef)).toMatchObject({ runbook_uuid: outerRunbook });
    expect(await service.getSchedule(inner, innerRef)).toMatchObject({ runbook_uuid: innerRunbook });
  } finally {
    await service.deleteSchedule(outer, outerRef);
    await service.deleteSchedule(inner, innerRef);
  }
});

test('of concurrent Creates of one reference in one solution exactly one succeeds', async () => {
  const solution = uniqueId('sol');
  const reference = uniqueId('race');
  const runbookUuid = await dynamicRunbook(solution);
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => createWeekly(solution, reference, runbookUuid)),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected.map((r) => (r.reason as Error).message)).toEqual(
      Array(4).fill('Failed to create schedule: ["Reference must be unique per solution"]'),
    );
    const view = await service.getSchedule(solution, { schedule_reference: reference });
    expect(view).toBeDefined();
    const described = await client.schedule.getHandle(scheduleIdFor(solution, reference)).describe();
    expect((described.memo as { generation?: string }).generation).toBe(view?.generation);
  } finally {
    await service.deleteSchedule(solution, { schedule_reference: reference });
  }
  await expect(
    client.schedule.getHandle(scheduleIdFor(solution, reference)).describe(),
  ).rejects.toBeInstanceOf(ScheduleNotFoundError);
});
