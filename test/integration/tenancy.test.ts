/**
 * Tenancy on the real dev server (FEATURES.md A10): every call is scoped to one solution, so no solution can
 * read, change, delete, pause or fire another's schedule, one reference lives independently in two solutions,
 * and references stay unique per solution under concurrent Creates.
 */
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { SEED_WEEKLY, expectNoTemporalSchedule, rejectionOf, useConnectorWorld } from './connector-fixtures';
import { uniqueId, waitFor } from './harness';

jest.setTimeout(120_000);

const world = useConnectorWorld();

test('another solution cannot read, update, delete, pause, resume or fire a schedule of the same reference', async () => {
  const solutionA = uniqueId('sol-a');
  const solutionB = uniqueId('sol-b');
  const reference = uniqueId('shared-ref');
  const runbookA = await world.dynamicRunbook(solutionA);
  const ref = { schedule_reference: reference };
  const handleA = world.client.schedule.getHandle(scheduleIdFor(solutionA, reference));
  try {
    await world.createWeekly(solutionA, reference, runbookA);
    const before = await world.service.getSchedule(solutionA, ref);

    expect(await world.service.getSchedule(solutionB, ref)).toBeUndefined();
    expect(
      (
        await rejectionOf(
          world.service.updateSchedule(solutionB, { ...ref, schedule: { ...SEED_WEEKLY, disabled: true } }),
        )
      ).message,
    ).toBe('Failed to update schedule: Schedule not found');
    expect(await world.service.deleteSchedule(solutionB, ref)).toEqual({ success: true });
    for (const call of [
      () => world.service.pauseSchedule(solutionB, ref),
      () => world.service.resumeSchedule(solutionB, ref),
      () => world.service.triggerSchedule(solutionB, ref),
    ]) {
      expect((await rejectionOf(call())).message).toBe('Schedule not found');
    }

    const after = await world.service.getSchedule(solutionA, ref);
    expect(after).toEqual(before);
    const description = await handleA.describe();
    expect(description.state.paused).toBe(false);
    expect(description.info.numActionsTaken).toBe(0);
    expect(description.info.recentActions).toEqual([]);

    const listedA = await waitFor(
      async () => {
        const views = await world.service.listSchedules(solutionA);
        return views.length === 1 ? views : undefined;
      },
      { timeoutMs: 30_000, description: 'solution A lists its schedule' },
    );
    expect(listedA.map((v) => v.schedule_reference)).toEqual([reference]);
    expect(await world.service.listSchedules(solutionB)).toEqual([]);
  } finally {
    await world.service.deleteSchedule(solutionA, ref);
  }
});

test('one reference lives independently in two solutions', async () => {
  const solutionA = uniqueId('sol-a');
  const solutionB = uniqueId('sol-b');
  const reference = uniqueId('shared-ref');
  const ref = { schedule_reference: reference };
  const [runbookA, runbookB] = await Promise.all([
    world.dynamicRunbook(solutionA),
    world.dynamicRunbook(solutionB),
  ]);
  try {
    await world.createWeekly(solutionA, reference, runbookA);
    await world.createWeekly(solutionB, reference, runbookB);
    const viewA = await world.service.getSchedule(solutionA, ref);
    const viewB = await world.service.getSchedule(solutionB, ref);
    expect(viewA?.runbook_uuid).toBe(runbookA);
    expect(viewB?.runbook_uuid).toBe(runbookB);
    expect(viewA?.temporal_schedule_id).not.toBe(viewB?.temporal_schedule_id);

    await world.service.updateSchedule(solutionB, { ...ref, schedule: { ...SEED_WEEKLY, disabled: true } });
    expect(await world.service.getSchedule(solutionA, ref)).toMatchObject({
      paused: false,
      schedule: { disabled: false },
    });
    expect(await world.service.getSchedule(solutionB, ref)).toMatchObject({
      paused: true,
      schedule: { disabled: true },
    });

    await world.service.deleteSchedule(solutionA, ref);
    expect(await world.service.getSchedule(solutionA, ref)).toBeUndefined();
    expect(await world.service.getSchedule(solutionB, ref)).toMatchObject({ runbook_uuid: runbookB });
  } finally {
    await world.service.deleteSchedule(solutionA, ref);
    await world.service.deleteSchedule(solutionB, ref);
  }
});

test('a reference containing ":" cannot reach the schedule of a solution whose name extends another', async () => {
  // "acme" + "team:nightly" and "acme:team" + "nightly" must be two different schedules.
  const outer = uniqueId('acme');
  const inner = `${outer}:team`;
  const [outerRunbook, innerRunbook] = await Promise.all([
    world.dynamicRunbook(outer),
    world.dynamicRunbook(inner),
  ]);
  const innerRef = { schedule_reference: 'nightly' };
  const outerRef = { schedule_reference: 'team:nightly' };
  expect(scheduleIdFor(inner, 'nightly')).toBe(`rbs:${outer}%3Ateam:nightly`);
  expect(scheduleIdFor(outer, 'team:nightly')).toBe(`rbs:${outer}:team:nightly`);
  try {
    await world.createWeekly(inner, 'nightly', innerRunbook);
    expect(await world.service.getSchedule(outer, outerRef)).toBeUndefined();
    expect(await world.service.deleteSchedule(outer, outerRef)).toEqual({ success: true });
    expect(await world.service.getSchedule(inner, innerRef)).toMatchObject({ runbook_uuid: innerRunbook });

    await world.createWeekly(outer, 'team:nightly', outerRunbook);
    expect(await world.service.getSchedule(outer, outerRef)).toMatchObject({ runbook_uuid: outerRunbook });
    expect(await world.service.getSchedule(inner, innerRef)).toMatchObject({ runbook_uuid: innerRunbook });
  } finally {
    await world.service.deleteSchedule(outer, outerRef);
    await world.service.deleteSchedule(inner, innerRef);
  }
});

test('of concurrent Creates of one reference in one solution exactly one succeeds', async () => {
  const solution = uniqueId('sol');
  const reference = uniqueId('race');
  const runbookUuid = await world.dynamicRunbook(solution);
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => world.createWeekly(solution, reference, runbookUuid)),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected.map((r) => (r.reason as Error).message)).toEqual(
      Array(4).fill('Failed to create schedule: ["Reference must be unique per solution"]'),
    );
    const view = await world.service.getSchedule(solution, { schedule_reference: reference });
    expect(view).toBeDefined();
    const described = await world.client.schedule.getHandle(scheduleIdFor(solution, reference)).describe();
    expect((described.memo as { generation?: string }).generation).toBe(view?.generation);
  } finally {
    await world.service.deleteSchedule(solution, { schedule_reference: reference });
  }
  await expectNoTemporalSchedule(world.client, solution, reference);
});
