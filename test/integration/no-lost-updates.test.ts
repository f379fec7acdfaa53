/**
 * No schedule update is lost (issue 8, item 8). Temporal's workflow-backed scheduler drops an update whose
 * conflict token is stale with only a log line, so the client hears nothing (the CHASM scheduler refuses it); the
 * gateway therefore reads every write back and sends it again until it took. These tests run on the real dev
 * server.
 */
import { randomUUID } from 'node:crypto';
import { status as grpcStatus } from '@grpc/grpc-js';
import { encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import { TriggerTemplate } from '../../src/catalog/model';
import { SchedulerService } from '../../src/connector/scheduler-service';
import { nextOccurrences } from '../../src/recurrence';
import { formatUtcSeconds } from '../../src/dispatch/payload';
import { TemporalScheduleGateway } from '../../src/temporal/schedule-gateway';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { MemoryCatalog } from '../fixtures/memory-catalog';
import { connectTestClient, SMALL_WINDOW, uniqueId, type TestClient } from './harness';

const WINDOW = SMALL_WINDOW;

let t: TestClient;

beforeAll(async () => {
  t = await connectTestClient();
});

afterAll(async () => {
  await t?.close();
});

/** Tomorrow's date in UTC, so the rules below never fire while the test runs. */
function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

function minutely(interval: number) {
  return { frequency: 'minutely', interval, time_zone: 'UTC', start_date: tomorrow(), time_of_day: '00:00' };
}

async function createMinutely(service: SchedulerService, catalog: MemoryCatalog, solution: string) {
  const uuid = randomUUID();
  await catalog.put({
    uuid,
    solution,
    name: 'racing runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
  });
  const reference = uniqueId('race');
  await service.createSchedule(solution, {
    runbook_uuid: uuid,
    schedule_reference: reference,
    schedule: minutely(1),
  });
  return { reference, scheduleId: scheduleIdFor(solution, reference) };
}

test('a stale conflict token never lands: the workflow-backed scheduler drops it silently, the CHASM scheduler refuses it', async () => {
  const catalog = new MemoryCatalog();
  const taskQueue = uniqueId('idle');
  const gateway = new TemporalScheduleGateway(t.client, taskQueue, WINDOW);
  const service = new SchedulerService({ catalog, gateway });
  const solution = uniqueId('sol');
  const { scheduleId } = await createMinutely(service, catalog, solution);
  try {
    const handle = t.client.schedule.getHandle(scheduleId);
    const before = await handle.describe();
    const send = (note: string) =>
      t.client.workflowService.updateSchedule({
        namespace: t.client.options.namespace,
        scheduleId,
        schedule: {
          ...before.raw.schedule,
          spec: encodeScheduleSpec({ intervals: [{ every: '7m' }] }),
          state: { ...before.raw.schedule?.state, notes: note },
        },
        conflictToken: before.raw.conflictToken,
        requestId: randomUUID(),
      });
    await send('first write, fresh token');
    // The same token again is stale now. The workflow-backed scheduler answers as if it were applied; the CHASM
    // one answers FAILED_PRECONDITION (which one runs is not told apart by a scheduler workflow: CHASM's sentinels
    // hold that id too). Either way nothing lands.
    const answer = await send('second write, stale token').then(
      () => 'answered success',
      (err: unknown) => err,
    );
    if (answer !== 'answered success') expect(answer).toMatchObject({ code: grpcStatus.FAILED_PRECONDITION });
    const after = await handle.describe();
    expect(after.state.note).toBe('first write, fresh token');
  } finally {
    await gateway.delete(scheduleId);
  }
});

test('50 concurrent Update Schedule calls racing with re-arms: the last success is the stored rule', async () => {
  const catalog = new MemoryCatalog();
  const taskQueue = uniqueId('idle');
  // Two services (as two API processes would be) and a re-armer (the worker), each with its own gateway, so
  // their writes are not serialised by one gateway but only made safe by the conflict token and the read-back.
  const services = [0, 1].map(
    () =>
      new SchedulerService({ catalog, gateway: new TemporalScheduleGateway(t.client, taskQueue, WINDOW) }),
  );
  const rearmers = [0, 1].map(() => new TemporalScheduleGateway(t.client, taskQueue, WINDOW));
  const rearmer = rearmers[0]!;
  const solution = uniqueId('sol');
  const { reference, scheduleId } = await createMinutely(services[0]!, catalog, solution);
  try {
    const answered: number[] = [];
    let rearming = true;
    const rearms = Promise.all(
      rearmers.map(async (one) => {
        let count = 0;
        while (rearming) {
          await one.rearm(scheduleId, new Date(), new Date());
          count++;
        }
        return count;
      }),
    ).then((counts) => counts.reduce((a, b) => a + b, 0));
    const updates = Array.from({ length: 50 }, async (_, i) => {
      const interval = i + 2;
      const service = services[i % 2]!;
      await expect(
        service.updateSchedule(solution, { schedule_reference: reference, schedule: minutely(interval) }),
      ).resolves.toEqual({ success: true });
      answered.push(interval);
    });
    await Promise.all(updates);
    rearming = false;
    const rearmCount = await rearms;
    expect(rearmCount).toBeGreaterThan(0);
    expect(answered).toHaveLength(50);

    const view = await services[0]!.getSchedule(solution, { schedule_reference: reference });
    const last = answered[answered.length - 1];
    expect(view?.schedule).toMatchObject({ frequency: 'minutely', interval: last });
    // What Temporal will fire is what the engine says for that rule.
    const expected = nextOccurrences(view!.schedule, new Date(), 5).occurrences.map(formatUtcSeconds);
    expect(view?.next_action_times.slice(0, 5)).toEqual(expected);
  } finally {
    await rearmer.delete(scheduleId);
  }
});

test('every Update Schedule that answers success is in place, while re-arms keep racing it', async () => {
  const catalog = new MemoryCatalog();
  const taskQueue = uniqueId('idle');
  const service = new SchedulerService({
    catalog,
    gateway: new TemporalScheduleGateway(t.client, taskQueue, WINDOW),
  });
  const rearmers = [0, 1, 2, 3, 4].map(() => new TemporalScheduleGateway(t.client, taskQueue, WINDOW));
  const solution = uniqueId('sol');
  const { reference, scheduleId } = await createMinutely(service, catalog, solution);
  let rearming = true;
  const rearms = rearmers.map(async (rearmer) => {
    while (rearming) await rearmer.rearm(scheduleId, new Date(), new Date());
  });
  try {
    const lost: number[] = [];
    for (let interval = 2; interval <= 41; interval++) {
      await service.updateSchedule(solution, { schedule_reference: reference, schedule: minutely(interval) });
      // Nothing else changes the rule (a re-arm only moves the window), so it must read back as written.
      const view = await service.getSchedule(solution, { schedule_reference: reference });
      if (view?.schedule.frequency !== 'minutely' || view.schedule.interval !== interval) lost.push(interval);
    }
    expect(lost).toEqual([]);
  } finally {
    rearming = false;
    await Promise.all(rearms);
    await rearmers[0]!.delete(scheduleId);
  }
});

test('an update read before its reference was deleted and created again never writes into the new schedule', async () => {
  const catalog = new MemoryCatalog();
  const gateway = new TemporalScheduleGateway(t.client, uniqueId('idle'), WINDOW);
  const service = new SchedulerService({ catalog, gateway });
  const solution = uniqueId('sol');
  const { reference, scheduleId } = await createMinutely(service, catalog, solution);
  try {
    // What a slow Update Schedule read, then lost the race to a Delete and a Create of the same reference.
    const old = (await gateway.get(scheduleId))!;
    await service.deleteSchedule(solution, { schedule_reference: reference });
    await service.createSchedule(solution, {
      runbook_uuid: old.input.runbookUuid,
      schedule_reference: reference,
      schedule: minutely(3),
    });
    const fresh = (await gateway.get(scheduleId))!;
    expect(fresh.memo.generation).not.toBe(old.memo.generation);

    await expect(gateway.updateRunInput({ ...old.input })).rejects.toThrow(
      `Schedule ${scheduleId} not found`,
    );
    const after = (await gateway.get(scheduleId))!;
    expect(after.input.generation).toBe(fresh.memo.generation);
    expect(after.input.revision).toBe(fresh.input.revision);

    const rule = fresh.input.recurrence;
    if (rule.frequency !== 'minutely') throw new Error('the schedule was created minutely');
    // A rule replaced now takes everything else from the schedule as it is at the write: the new generation's.
    await gateway.replace(scheduleId, solution, { ...rule, interval: 7 }, new Date());
    const replaced = (await gateway.get(scheduleId))!;
    expect(replaced.input.generation).toBe(fresh.memo.generation);
    expect(replaced.input.recurrence).toMatchObject({ frequency: 'minutely', interval: 7 });
    // And never another solution's schedule, whatever id it is given.
    await expect(
      gateway.replace(scheduleId, `${solution}-other`, { ...rule, interval: 9 }, new Date()),
    ).rejects.toThrow(`Schedule ${scheduleId} not found`);
  } finally {
    await gateway.delete(scheduleId);
  }
});
