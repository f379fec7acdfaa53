/**
 * A write never crosses into another generation of its reference (bench/FAULTS.md, R6). Temporal's conflict token
 * starts again at 1 when a reference is deleted and created again, so a write that read the deleted schedule can
 * land in the new one, and Temporal takes it. These tests make that race happen on the real dev server: the
 * delete and the create run between a write's read and its send.
 */
import { randomUUID } from 'node:crypto';
import { TriggerTemplate } from '../../src/catalog/model';
import { SchedulerService } from '../../src/connector/scheduler-service';
import { TemporalScheduleGateway, type StoredSchedule } from '../../src/temporal/schedule-gateway';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { GENERATION } from '../../src/temporal/search-attributes';
import { MemoryCatalog } from '../fixtures/memory-catalog';
import { overwriteAction, racing } from './generation-race';
import { connectTestClient, SMALL_WINDOW, uniqueId, type TestClient } from './harness';

const WINDOW = SMALL_WINDOW;

let t: TestClient;

beforeAll(async () => {
  t = await connectTestClient();
});

afterAll(async () => {
  await t?.close();
});

/** A gateway whose next read runs `race` after reading, before the write built on that read is sent. */
const RacingGateway = racing<StoredSchedule, typeof TemporalScheduleGateway>(TemporalScheduleGateway);
type RacingGateway = InstanceType<typeof RacingGateway>;

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

function minutely(interval: number) {
  return { frequency: 'minutely', interval, time_zone: 'UTC', start_date: tomorrow(), time_of_day: '00:00' };
}

interface Scene {
  readonly service: SchedulerService;
  readonly gateway: TemporalScheduleGateway;
  readonly racing: RacingGateway;
  readonly solution: string;
  readonly reference: string;
  readonly scheduleId: string;
  readonly runbookUuid: string;
}

async function scene(): Promise<Scene> {
  const catalog = new MemoryCatalog();
  const taskQueue = uniqueId('idle');
  const gateway = new TemporalScheduleGateway(t.client, taskQueue, WINDOW);
  const racing = new RacingGateway(t.client, taskQueue, WINDOW);
  const service = new SchedulerService({ catalog, gateway });
  const solution = uniqueId('sol');
  const runbookUuid = randomUUID();
  await catalog.put({
    uuid: runbookUuid,
    solution,
    name: 'recreated runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
  });
  const reference = uniqueId('ref');
  const scheduleId = scheduleIdFor(solution, reference);
  return { service, gateway, racing, solution, reference, scheduleId, runbookUuid };
}

/** Runs `body` on a fresh scene, then deletes its schedule. */
async function inScene(body: (s: Scene) => Promise<void>): Promise<void> {
  const s = await scene();
  try {
    await body(s);
  } finally {
    await s.gateway.delete(s.scheduleId);
  }
}

async function create(s: Scene, interval: number, body: Record<string, string>): Promise<StoredSchedule> {
  await s.service.createSchedule(s.solution, {
    runbook_uuid: s.runbookUuid,
    schedule_reference: s.reference,
    schedule: minutely(interval),
    request_body: body,
  });
  return (await s.gateway.get(s.scheduleId))!;
}

/** Deletes the reference and creates it again, with a rule and body of its own. */
const recreate = (s: Scene) => async () => {
  await s.service.deleteSchedule(s.solution, { schedule_reference: s.reference });
  await create(s, 3, { tenant: 'new' });
};

function runGeneration(stored: StoredSchedule): string | undefined {
  const fields = stored.description.raw.schedule?.action?.startWorkflow?.searchAttributes?.indexedFields;
  const payload = fields?.[GENERATION.name];
  return payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as string) : undefined;
}

/** The schedule is its own generation's, as created: rule, body, run ids and the runs' search attributes. */
function expectAsCreated(stored: StoredSchedule): void {
  const generation = stored.memo.generation;
  expect(stored.input.generation).toBe(generation);
  expect(stored.input.requestBody).toEqual({ tenant: 'new' });
  expect(stored.input.recurrence).toMatchObject({ frequency: 'minutely', interval: 3 });
  expect(stored.description.raw.schedule?.action?.startWorkflow?.workflowId).toBe(
    `${stored.scheduleId}:${generation}`,
  );
  expect(runGeneration(stored)).toBe(generation);
  expect(stored.description.typedSearchAttributes.get(GENERATION)).toBe(generation);
}

test('an update whose read lost the race to a delete and a create answers not found and leaves the new schedule as created', () =>
  inScene(async (s) => {
    const old = await create(s, 1, { tenant: 'old' });
    s.racing.race = recreate(s);
    const rule = old.input.recurrence;
    if (rule.frequency !== 'minutely') throw new Error('the schedule was created minutely');

    const warned = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await expect(
        s.racing.replace(s.scheduleId, s.solution, { ...rule, interval: 7 }, new Date()),
      ).rejects.toThrow(`Schedule ${s.scheduleId} not found`);
      // Both schedules were fresh (token 1): the new one had no change of its own to lose.
      expect(warned).toHaveBeenCalledWith(expect.stringMatching(/none of its own changes was lost$/), {
        type: 'RunbookScheduleWarning',
        code: 'SCHEDULE_RESTORED',
      });
    } finally {
      warned.mockRestore();
    }

    const after = (await s.gateway.get(s.scheduleId))!;
    expect(after.memo.generation).not.toBe(old.memo.generation);
    expectAsCreated(after);
  }));

test("the worker's re-arm that read the deleted schedule leaves the new one as created", () =>
  inScene(async (s) => {
    const old = await create(s, 1, { tenant: 'old' });
    s.racing.race = recreate(s);
    // A re-arm from a later instant, so its window differs from the one just written.
    await expect(
      s.racing.rearm(s.scheduleId, new Date(Date.now() + 2 * 86_400_000), new Date()),
    ).resolves.toBe(undefined);
    const after = (await s.gateway.get(s.scheduleId))!;
    expect(after.memo.generation).not.toBe(old.memo.generation);
    expectAsCreated(after);
  }));

/** Writes the old generation's action into the schedule, as a stale write that took does. */
async function overwrite(s: Scene, old: StoredSchedule): Promise<void> {
  const current = (await s.gateway.get(s.scheduleId))!;
  await overwriteAction(t.client, s.scheduleId, current.description, old.description);
  const overwritten = (await s.gateway.get(s.scheduleId))!;
  expect(overwritten.input.generation).toBe(old.memo.generation);
}

test('the next write of a schedule overwritten by a deleted generation restores it first', () =>
  inScene(async (s) => {
    const old = await create(s, 1, { tenant: 'old' });
    await recreate(s)();
    await overwrite(s, old);

    const warned = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await s.gateway.recordLastError(s.scheduleId, 'Runbook execution failed with status 500');
      // Operators hear of it: a process warning names the schedule and both generations.
      expect(warned).toHaveBeenCalledWith(expect.stringContaining(old.memo.generation), {
        type: 'RunbookScheduleWarning',
        code: 'SCHEDULE_RESTORED',
      });
    } finally {
      warned.mockRestore();
    }

    const after = (await s.gateway.get(s.scheduleId))!;
    expectAsCreated(after);
    expect(after.lastError).toBe('Runbook execution failed with status 500');
  }));

test('a schedule overwritten by a deleted generation that cannot be restored is paused, and saying why', () =>
  inScene(async (s) => {
    const old = await create(s, 1, { tenant: 'old' });
    await s.service.deleteSchedule(s.solution, { schedule_reference: s.reference });
    // A schedule created before memos recorded what it was created with.
    const input = { ...old.input, generation: randomUUID(), requestBody: { tenant: 'new' } };
    const { createdWith: _none, ...memo } = old.memo;
    await s.gateway.create(input, { ...memo, generation: input.generation }, new Date());
    await overwrite(s, old);

    const rule = old.input.recurrence;
    if (rule.frequency !== 'minutely') throw new Error('the schedule was created minutely');
    await expect(
      s.gateway.replace(s.scheduleId, s.solution, { ...rule, interval: 9 }, new Date()),
    ).rejects.toThrow(
      'holds the run input of a deleted schedule of the same reference and cannot be restored ' +
        '(its memo does not record what it was created with); it is paused',
    );
    const after = (await s.gateway.get(s.scheduleId))!;
    expect(after.paused).toBe(true);
    expect(after.note).toMatch(
      /^Paused: its run input was overwritten by a write meant for a deleted schedule/,
    );
    // Nothing else was written: the rule is still the overwritten one, not the refused update's.
    expect(after.input.recurrence).toMatchObject({ interval: 1 });
  }));
