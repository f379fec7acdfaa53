/**
 * The Scheduler trigger on the real dev server (FEATURES.md A2): provisioning a runbook creates its schedule
 * and stores the reference on the trigger, the fire carries `request_body` with the platform's reference, an
 * invalid schedule fails the deployment with `Failed to register schedule: <error>` and leaves nothing behind,
 * and deprovisioning deletes the schedule (a silent no-op without a stored reference).
 */
import { randomUUID } from 'node:crypto';
import { TriggerTemplate, type Runbook } from '../../src/catalog/model';
import { formatUtcSeconds } from '../../src/dispatch/payload';
import {
  SEED_WEEKLY,
  expectNoTemporalSchedule,
  rejectionOf,
  secondsAhead,
  useConnectorWorld,
  utcParts,
} from './connector-fixtures';
import { uniqueId, waitFor } from './harness';

jest.setTimeout(120_000);

const world = useConnectorWorld();

/** A Scheduler-trigger runbook (not yet registered) of a solution. */
function schedulerRunbook(solution: string, trigger: { schedule: unknown; request_body?: unknown }) {
  return {
    uuid: randomUUID(),
    solution,
    name: 'scheduled runbook',
    trigger: { template: TriggerTemplate.Scheduler, ...trigger },
    target: { kind: 'http', url: `${world.receiver.url}/scheduled` },
  };
}

/** The reference a provisioned runbook's trigger stores. */
function referenceOf(runbook: Runbook | undefined): string | undefined {
  return runbook?.trigger.template === TriggerTemplate.Scheduler
    ? runbook.trigger.schedule_reference
    : undefined;
}

/** The error a registration fails with. */
function registerError(raw: unknown): Promise<Error> {
  return rejectionOf(world.service.registerRunbook(raw));
}

test('provisioning creates the schedule, stores its reference, and the fire delivers request_body with the reference', async () => {
  const solution = uniqueId('sol');
  const fireAt = secondsAhead(4_000);
  const raw = schedulerRunbook(solution, {
    schedule: { frequency: 'no_repeat', time_zone: 'UTC', ...utcParts(fireAt) },
    request_body: { source: 'scheduler', schedule_reference: 'the platform wins' },
  });
  try {
    const provisioned = await world.service.registerRunbook(raw);
    const reference = referenceOf(provisioned);
    expect(reference).toEqual(expect.any(String));
    expect(referenceOf(await world.scheduler.app.catalog.get(solution, raw.uuid))).toBe(reference);
    const view = await world.service.getSchedule(solution, { schedule_reference: reference });
    expect(view).toMatchObject({
      schedule_reference: reference,
      runbook_uuid: raw.uuid,
      kind: 'scheduler',
      paused: false,
      next_action_times: [formatUtcSeconds(fireAt)],
    });

    const request = await waitFor(() => world.requestsFor(reference as string)[0], {
      timeoutMs: 30_000,
      description: 'the Scheduler trigger fired',
    });
    expect(request.path).toBe('/scheduled');
    expect(request.body).toEqual({
      body: { source: 'scheduler', schedule_reference: reference },
      triggered_at: formatUtcSeconds(fireAt),
    });
  } finally {
    await world.service.removeRunbook(solution, raw.uuid);
  }
});

test('an invalid schedule fails with "Failed to register schedule: <error>" and leaves no runbook and no schedule', async () => {
  const solution = uniqueId('sol');
  const invalid = schedulerRunbook(solution, { schedule: { ...SEED_WEEKLY, interval: 0 } });
  const missing = schedulerRunbook(solution, { schedule: undefined });
  const sentinel = schedulerRunbook(solution, { schedule: SEED_WEEKLY });
  try {
    expect((await registerError(invalid)).message).toBe(
      'Failed to register schedule: Interval must be greater than or equal to 1',
    );
    // Named like Create Schedule's missing schedule: the trigger's field is `schedule`.
    expect((await registerError(missing)).message).toBe('Failed to register schedule: Schedule is required');
    expect(await world.scheduler.app.catalog.get(solution, invalid.uuid)).toBeUndefined();
    expect(await world.scheduler.app.catalog.get(solution, missing.uuid)).toBeUndefined();

    // Schedule listing is eventually consistent: once a later, valid runbook's schedule is listed, an
    // earlier half-made one would be too.
    const provisioned = await world.service.registerRunbook(sentinel);
    const listed = await waitFor(
      async () => {
        const views = await world.service.listSchedules(solution);
        return views.some((v) => v.schedule_reference === referenceOf(provisioned)) ? views : undefined;
      },
      { timeoutMs: 30_000, description: 'the sentinel schedule listed' },
    );
    expect(listed.map((v) => v.runbook_uuid)).toEqual([sentinel.uuid]);
    expect((await world.service.listRunbooks(solution)).map((r) => r.uuid)).toEqual([sentinel.uuid]);
  } finally {
    await world.service.removeRunbook(solution, sentinel.uuid);
  }
});

test('a request_body over 64 KiB fails the deployment like an invalid schedule', async () => {
  const solution = uniqueId('sol');
  const raw = schedulerRunbook(solution, {
    schedule: SEED_WEEKLY,
    request_body: { blob: 'x'.repeat(64 * 1024) },
  });
  expect((await registerError(raw)).message).toBe(
    'Failed to register schedule: Request body must be at most 65536 bytes of JSON',
  );
  expect(await world.scheduler.app.catalog.get(solution, raw.uuid)).toBeUndefined();
});

test('a failed re-deployment keeps the previous deployment and its schedule', async () => {
  const solution = uniqueId('sol');
  const raw = schedulerRunbook(solution, { schedule: SEED_WEEKLY });
  try {
    const first = await world.service.registerRunbook(raw);
    const reference = referenceOf(first);
    const error = await registerError({
      ...raw,
      trigger: { ...raw.trigger, schedule: { ...SEED_WEEKLY, day: [] } },
    });
    expect(error.message).toBe('Failed to register schedule: Day must contain at least one weekday');
    expect(await world.scheduler.app.catalog.get(solution, raw.uuid)).toEqual(first);
    expect(await world.service.getSchedule(solution, { schedule_reference: reference })).toMatchObject({
      runbook_uuid: raw.uuid,
      paused: false,
    });
  } finally {
    await world.service.removeRunbook(solution, raw.uuid);
  }
});

test('a re-deployment replaces the schedule: the old one is deleted, the new reference is stored', async () => {
  const solution = uniqueId('sol');
  const raw = schedulerRunbook(solution, { schedule: SEED_WEEKLY });
  try {
    const first = await world.service.registerRunbook(raw);
    const second = await world.service.registerRunbook({
      ...raw,
      trigger: { ...raw.trigger, request_body: { v: 2 } },
    });
    const oldReference = referenceOf(first) as string;
    const newReference = referenceOf(second) as string;
    expect(newReference).not.toBe(oldReference);
    await expectNoTemporalSchedule(world.client, solution, oldReference);
    expect(referenceOf(await world.scheduler.app.catalog.get(solution, raw.uuid))).toBe(newReference);
    expect(await world.service.getSchedule(solution, { schedule_reference: newReference })).toMatchObject({
      request_body: { v: 2 },
    });
  } finally {
    await world.service.removeRunbook(solution, raw.uuid);
  }
});

test('deprovisioning (removeRunbook) deletes the schedule', async () => {
  const solution = uniqueId('sol');
  const raw = schedulerRunbook(solution, { schedule: SEED_WEEKLY });
  const provisioned = await world.service.registerRunbook(raw);
  const reference = referenceOf(provisioned) as string;
  expect(await world.service.getSchedule(solution, { schedule_reference: reference })).toBeDefined();

  expect(await world.service.removeRunbook(solution, raw.uuid)).toBe(true);
  expect(await world.service.getSchedule(solution, { schedule_reference: reference })).toBeUndefined();
  await expectNoTemporalSchedule(world.client, solution, reference);
  expect(await world.scheduler.app.catalog.get(solution, raw.uuid)).toBeUndefined();
});

test('deprovisioning a runbook with no stored reference is a silent no-op', async () => {
  const solution = uniqueId('sol');
  const raw = schedulerRunbook(solution, { schedule: SEED_WEEKLY });
  // Straight into the catalog: a Scheduler runbook that was never provisioned has no schedule_reference.
  const runbook = {
    ...raw,
    trigger: { template: TriggerTemplate.Scheduler, schedule: SEED_WEEKLY },
  } as Runbook;
  await world.scheduler.app.catalog.put(runbook);
  await expect(world.service.deprovision(runbook)).resolves.toBeUndefined();
  expect(await world.scheduler.app.catalog.get(solution, raw.uuid)).toEqual(runbook);
  expect(await world.service.removeRunbook(solution, raw.uuid)).toBe(true);
  expect(await world.scheduler.app.catalog.get(solution, raw.uuid)).toBeUndefined();
});
