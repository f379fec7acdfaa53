/**
 * A workspace schedule's write never crosses into another generation of its key (bench/FAULTS.md, R6), as for the
 * connector's schedules (`recreated-reference.test.ts`). Temporal's conflict token starts again at 1 when a key is
 * deleted and added again, so a write that read the deleted schedule can land in the new one, and Temporal takes
 * it. These tests make that race happen on the real dev server: the delete and the add run between a write's read
 * and its send.
 */
import { randomUUID } from 'node:crypto';
import { TriggerTemplate } from '../../src/catalog/model';
import { ScheduleActionError } from '../../src/connector/errors';
import { Role, type Principal } from '../../src/principal';
import { compileSchedule } from '../../src/temporal/compile';
import { WorkspaceMessages } from '../../src/workspace/errors';
import { WorkspaceGateway } from '../../src/workspace/gateway';
import { overwrittenRecordNote } from '../../src/workspace/generation-restore';
import {
  workspaceMemo,
  workspaceScheduleId,
  workspaceScheduleOptions,
  type StoredWorkspaceSchedule,
} from '../../src/workspace/schedule-options';
import { WorkspaceService } from '../../src/workspace/service';
import { MemoryCatalog } from '../fixtures/memory-catalog';
import { overwriteAction, racing } from './generation-race';
import { connectTestClient, SMALL_WINDOW, uniqueId, type TestClient } from './harness';

let t: TestClient;

beforeAll(async () => {
  t = await connectTestClient();
});

afterAll(async () => {
  await t?.close();
});

/** A gateway whose next read runs `race` after reading, before the write built on that read is sent. */
const RacingGateway = racing<StoredWorkspaceSchedule, typeof WorkspaceGateway>(WorkspaceGateway);
type RacingGateway = InstanceType<typeof RacingGateway>;

interface Scene {
  readonly service: WorkspaceService;
  readonly gateway: WorkspaceGateway;
  readonly racing: RacingGateway;
  readonly author: Principal;
  readonly key: string;
  readonly scheduleId: string;
  readonly runbookUuid: string;
  readonly taskQueue: string;
}

async function scene(): Promise<Scene> {
  const catalog = new MemoryCatalog();
  const taskQueue = uniqueId('idle');
  const gateway = new WorkspaceGateway(t.client, taskQueue, SMALL_WINDOW);
  const racing = new RacingGateway(t.client, taskQueue, SMALL_WINDOW);
  const service = new WorkspaceService({
    catalog,
    gateway,
    retry: { maximumAttempts: 1, initialIntervalMs: 100, backoffCoefficient: 1, maximumIntervalMs: 100 },
    minPeriodMinutes: 15,
  });
  const solution = uniqueId('ws-gen');
  const runbookUuid = randomUUID();
  await catalog.put({
    uuid: runbookUuid,
    solution,
    name: 'recreated job',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
  });
  const author: Principal = { solution, user: 'alice', roles: [Role.IntegrationAuthor] };
  const key = uniqueId('key');
  const scheduleId = workspaceScheduleId(solution, key);
  return { service, gateway, racing, author, key, scheduleId, runbookUuid, taskQueue };
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

/** A day-unit cadence from tomorrow: it never fires during a test. */
function cadence(interval: number) {
  const date = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return { start_date: date, start_time: '09:00', time_zone: 'UTC', interval, unit: 'day' as const };
}

async function add(s: Scene, description: string, interval: number): Promise<StoredWorkspaceSchedule> {
  await s.service.create(s.author, {
    key: s.key,
    description,
    cadence: cadence(interval),
    jobs: [{ runbook_uuid: s.runbookUuid }],
  });
  return (await s.gateway.get(s.scheduleId))!;
}

/** Deletes the key and adds it again, with a description and cadence of its own. */
const recreate = (s: Scene) => async () => {
  await s.service.delete(s.author, s.key);
  await add(s, 'new', 3);
};

/** The schedule is its own generation's: its record, its runs' workflow id. */
function expectOwnGeneration(stored: StoredWorkspaceSchedule, description: string): void {
  const generation = stored.memo.generation;
  expect(stored.input.generation).toBe(generation);
  expect(stored.input.description).toBe(description);
  expect(stored.input.recurrence).toMatchObject({ interval: 3 });
  expect(stored.description.raw.schedule?.action?.startWorkflow?.workflowId).toBe(
    `${stored.scheduleId}:${generation}`,
  );
}

/** Writes the old generation's action into the schedule, as a stale write that took does. */
async function overwrite(s: Scene, old: StoredWorkspaceSchedule): Promise<void> {
  const current = (await s.gateway.get(s.scheduleId))!;
  await overwriteAction(t.client, s.scheduleId, current.description, old.description);
  const overwritten = (await s.gateway.get(s.scheduleId))!;
  expect(overwritten.input.generation).toBe(old.memo.generation);
}

/** The process warnings emitted while `body` runs, silenced: each call's arguments. */
async function warningsDuring(body: () => Promise<unknown>): Promise<unknown[][]> {
  const warned = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    await body();
    return warned.mock.calls.map((args) => [...args]);
  } finally {
    warned.mockRestore();
  }
}

/** The codes of the product's schedule warnings among `calls` whose message contains `text`. */
function warningCodes(calls: unknown[][], text: string): unknown[] {
  return calls
    .filter(([message]) => typeof message === 'string' && message.includes(text))
    .map(([, options]) => (options as { type?: string; code?: string } | undefined)?.code);
}

test('an edit whose read lost the race to a delete and an add answers not found and leaves the new schedule as added', () =>
  inScene(async (s) => {
    const old = await add(s, 'old', 1);
    s.racing.race = recreate(s);
    const warned = await warningsDuring(async () => {
      await expect(
        s.racing.write(
          s.scheduleId,
          (stored) => ({ input: { ...stored.input, description: 'stale' } }),
          new Date(),
        ),
      ).resolves.toBeUndefined();
    });
    expect(warningCodes(warned, old.memo.generation)).toEqual(['SCHEDULE_RESTORED']);
    const after = (await s.gateway.get(s.scheduleId))!;
    expect(after.memo.generation).not.toBe(old.memo.generation);
    expectOwnGeneration(after, 'new');
  }));

test('the next edit of a workspace schedule overwritten by a deleted generation restores it first', () =>
  inScene(async (s) => {
    const old = await add(s, 'old', 1);
    await recreate(s)();
    await overwrite(s, old);

    await warningsDuring(async () => {
      await s.service.update(s.author, s.key, { description: 'edited' });
    });
    const after = (await s.gateway.get(s.scheduleId))!;
    expectOwnGeneration(after, 'edited');
  }));

test('an overwritten workspace schedule whose memo keeps no record is paused, saying why, and left paused', () =>
  inScene(async (s) => {
    const old = await add(s, 'old', 1);
    await s.service.delete(s.author, s.key);
    // Added as before memos kept the record: there is nothing to restore it from.
    const record = { ...old.input, generation: randomUUID(), description: 'new' };
    const now = new Date();
    const { createdWith: _kept, ...memo } = workspaceMemo(record, now);
    await t.client.schedule.create(
      workspaceScheduleOptions(
        record,
        compileSchedule(record.recurrence, now, SMALL_WINDOW),
        s.taskQueue,
        memo,
      ),
    );
    await overwrite(s, old);

    let refusal: unknown;
    const warned = await warningsDuring(async () => {
      refusal = await s.service.update(s.author, s.key, { description: 'edited' }).then(
        () => undefined,
        (err: unknown) => err,
      );
    });
    expect(refusal).toBeInstanceOf(ScheduleActionError);
    expect((refusal as ScheduleActionError).message).toBe(WorkspaceMessages.notSaved(s.key));
    expect(warningCodes(warned, 'cannot be restored')).toEqual(['SCHEDULE_UNRESTORABLE']);
    const note = overwrittenRecordNote('its memo does not record what it was created with');
    const paused = (await s.gateway.get(s.scheduleId))!;
    expect(paused.paused).toBe(true);
    expect(paused.note).toBe(note);

    // The worker's re-arm leaves it as it is.
    await warningsDuring(() => s.gateway.rearm(s.scheduleId, new Date()));
    const still = (await s.gateway.get(s.scheduleId))!;
    expect(still.paused).toBe(true);
    expect(still.note).toBe(note);
    expect(still.description.raw.conflictToken).toEqual(paused.description.raw.conflictToken);
  }));
