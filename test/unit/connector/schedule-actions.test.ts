/**
 * The schedule actions' error and rollback paths, over an in-memory gateway and catalog: exact messages
 * (FEATURES.md A7-A9), tenancy (A10), and outages reported as outages with the stored state unchanged.
 */
import { randomUUID } from 'node:crypto';
import { TriggerTemplate } from '../../../src/catalog/model';
import { ActionErrorCode, Messages, ScheduleActionError } from '../../../src/connector/errors';
import { SchedulerService } from '../../../src/connector/scheduler-service';
import { Dependency, UnavailableError } from '../../../src/errors';
import { scheduleIdFor } from '../../../src/temporal/schedule-ids';
import {
  ScheduleNotFoundError,
  ScheduleOverwrittenError,
  ScheduleWriteConflictError,
} from '../../../src/temporal/temporal-errors';
import { MemoryCatalog } from '../../fixtures/memory-catalog';
import { MemoryGateway } from '../../fixtures/memory-gateway';

const NOW = new Date('2026-04-29T12:00:00Z');
const DAILY = { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00' };
const OUTAGE = new UnavailableError(Dependency.Temporal, 'the server did not answer');

function world() {
  const catalog = new MemoryCatalog();
  const gateway = new MemoryGateway();
  const service = new SchedulerService({ catalog, gateway, now: () => NOW });
  return { catalog, gateway, service };
}

async function dynamicRunbook(
  catalog: MemoryCatalog,
  solution: string,
  template: string = TriggerTemplate.DynamicScheduler,
) {
  const uuid = randomUUID();
  await catalog.put({
    uuid,
    solution,
    name: 'worker',
    trigger:
      template === TriggerTemplate.Webhook
        ? { template: TriggerTemplate.Webhook }
        : { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: 'https://runbooks.example/hook' },
  });
  return uuid;
}

async function rejection(promise: Promise<unknown>): Promise<ScheduleActionError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScheduleActionError);
  return err as ScheduleActionError;
}

describe('Create Schedule', () => {
  test('creates the schedule and answers its next occurrence', async () => {
    const { catalog, gateway, service } = world();
    const uuid = await dynamicRunbook(catalog, 'acme');
    await expect(
      service.createSchedule('acme', { runbook_uuid: uuid, schedule_reference: 'daily', schedule: DAILY }),
    ).resolves.toEqual({
      schedule_reference: 'daily',
      next_occurrence_at: '2026-04-30T09:00:00Z',
      next_occurrence_errors: null,
    });
    expect(gateway.schedules.get(scheduleIdFor('acme', 'daily'))?.memo).toMatchObject({
      solution: 'acme',
      runbookUuid: uuid,
    });
  });

  test("exact errors: no runbook, another solution's runbook, a template that cannot schedule, bad input", async () => {
    const { catalog, service } = world();
    const uuid = await dynamicRunbook(catalog, 'acme');
    const webhook = await dynamicRunbook(catalog, 'acme', TriggerTemplate.Webhook);
    const input = { runbook_uuid: uuid, schedule_reference: 'daily', schedule: DAILY };
    expect((await rejection(service.createSchedule('other', input))).message).toBe(Messages.noRunbook);
    const unsupported = await rejection(service.createSchedule('acme', { ...input, runbook_uuid: webhook }));
    expect(unsupported.message).toBe(
      `Failed to create schedule: Trigger template ${TriggerTemplate.Webhook} is not supported for scheduling`,
    );
    const invalid = await rejection(
      service.createSchedule('acme', { ...input, schedule: { ...DAILY, interval: 0 } }),
    );
    expect(invalid.message).toBe(
      'Failed to create schedule: ["Interval must be greater than or equal to 1"]',
    );
    expect(invalid.code).toBe(ActionErrorCode.Invalid);
    const missing = await rejection(service.createSchedule('acme', { runbook_uuid: uuid, schedule: DAILY }));
    expect(missing.message).toBe('Failed to create schedule: ["Schedule reference is required"]');
  });

  test('a taken reference is a conflict with the exact message', async () => {
    const { catalog, service } = world();
    const uuid = await dynamicRunbook(catalog, 'acme');
    const input = { runbook_uuid: uuid, schedule_reference: 'daily', schedule: DAILY };
    await service.createSchedule('acme', input);
    const conflict = await rejection(service.createSchedule('acme', input));
    expect(conflict.message).toBe('Failed to create schedule: ["Reference must be unique per solution"]');
    expect(conflict.code).toBe(ActionErrorCode.Conflict);
  });

  test('a Temporal outage is reported as an outage, never as invalid input, and nothing is stored', async () => {
    const { catalog, gateway, service } = world();
    const uuid = await dynamicRunbook(catalog, 'acme');
    gateway.failNext('create', OUTAGE);
    await expect(
      service.createSchedule('acme', { runbook_uuid: uuid, schedule_reference: 'daily', schedule: DAILY }),
    ).rejects.toThrow(new UnavailableError(Dependency.Temporal, 'the server did not answer'));
    expect(gateway.schedules.size).toBe(0);
  });
});

describe('Update Schedule', () => {
  async function withSchedule() {
    const w = world();
    const uuid = await dynamicRunbook(w.catalog, 'acme');
    await w.service.createSchedule('acme', {
      runbook_uuid: uuid,
      schedule_reference: 'daily',
      schedule: DAILY,
    });
    const stored = () => w.gateway.schedules.get(scheduleIdFor('acme', 'daily'))!;
    return { ...w, stored };
  }

  test('replaces the rule in full', async () => {
    const { service, stored } = await withSchedule();
    await expect(
      service.updateSchedule('acme', { schedule_reference: 'daily', schedule: { ...DAILY, interval: 3 } }),
    ).resolves.toEqual({ success: true });
    expect(stored().input.recurrence).toMatchObject({ frequency: 'daily', interval: 3 });
  });

  test("not found: unknown, another solution's, or deleted between the read and the write", async () => {
    const { service, gateway } = await withSchedule();
    const update = { schedule_reference: 'daily', schedule: DAILY };
    expect((await rejection(service.updateSchedule('other', update))).message).toBe(Messages.updateNotFound);
    expect(
      (await rejection(service.updateSchedule('acme', { ...update, schedule_reference: 'nope' }))).message,
    ).toBe('Failed to update schedule: Schedule not found');
    gateway.failNext('replace', new ScheduleNotFoundError(scheduleIdFor('acme', 'daily')));
    expect((await rejection(service.updateSchedule('acme', update))).message).toBe(Messages.updateNotFound);
  });

  test('an invalid rule fails with the messages in details and leaves the stored rule as it was', async () => {
    const { service, stored } = await withSchedule();
    const before = stored().input;
    const failure = await rejection(
      service.updateSchedule('acme', {
        schedule_reference: 'daily',
        schedule: { ...DAILY, time_zone: 'Mars/Base' },
      }),
    );
    expect(failure.message).toBe('Failed to update schedule: Schedule update failed');
    expect(failure.details).toEqual(['Time zone "Mars/Base" is not a valid IANA time zone']);
    expect(stored().input).toBe(before);
  });

  test('a write that concurrent changes kept beating is a conflict, not a success', async () => {
    const { service, gateway } = await withSchedule();
    gateway.failNext('replace', new ScheduleWriteConflictError(scheduleIdFor('acme', 'daily'), 20));
    const failure = await rejection(
      service.updateSchedule('acme', { schedule_reference: 'daily', schedule: DAILY }),
    );
    expect(failure.code).toBe(ActionErrorCode.Conflict);
    expect(failure.message).toBe(Messages.updateFailed);
    expect(failure.details).toEqual([
      'Schedule rbs:acme:daily kept changing concurrently; the change did not take after 20 attempts',
    ]);
  });

  test('a schedule holding a deleted generation that cannot be restored refuses the update, saying why', async () => {
    const { service, gateway } = await withSchedule();
    const reason = 'its memo does not record what it was created with';
    gateway.failNext('replace', new ScheduleOverwrittenError(scheduleIdFor('acme', 'daily'), reason));
    const failure = await rejection(
      service.updateSchedule('acme', { schedule_reference: 'daily', schedule: DAILY }),
    );
    expect(failure.code).toBe(ActionErrorCode.Conflict);
    expect(failure.message).toBe(Messages.updateFailed);
    expect(failure.details).toEqual([
      'Schedule rbs:acme:daily holds the run input of a deleted schedule of the same reference and cannot be ' +
        `restored (${reason}); it is paused. Delete it and create it again`,
    ]);
  });

  test('an outage is an outage', async () => {
    const { service, gateway } = await withSchedule();
    gateway.failNext('replace', OUTAGE);
    await expect(
      service.updateSchedule('acme', { schedule_reference: 'daily', schedule: DAILY }),
    ).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe('operator commands and Delete Schedule', () => {
  test('pause, resume and trigger answer "Schedule not found" for a missing or foreign schedule', async () => {
    const { catalog, gateway, service } = world();
    const uuid = await dynamicRunbook(catalog, 'acme');
    await service.createSchedule('acme', {
      runbook_uuid: uuid,
      schedule_reference: 'daily',
      schedule: DAILY,
    });
    for (const command of ['pauseSchedule', 'resumeSchedule', 'triggerSchedule'] as const) {
      const foreign = await rejection(service[command]('other', { schedule_reference: 'daily' }));
      expect(foreign.message).toBe('Schedule not found');
      expect(foreign.code).toBe(ActionErrorCode.NotFound);
    }
    gateway.failNext('pause', new ScheduleNotFoundError(scheduleIdFor('acme', 'daily')));
    expect((await rejection(service.pauseSchedule('acme', { schedule_reference: 'daily' }))).message).toBe(
      Messages.scheduleNotFound,
    );
    await expect(service.pauseSchedule('acme', { schedule_reference: 'daily' })).resolves.toEqual({
      success: true,
    });
    expect(gateway.schedules.get(scheduleIdFor('acme', 'daily'))?.paused).toBe(true);
  });

  test('Delete Schedule is idempotent and also cancels the runs still dispatching', async () => {
    const { gateway, service } = world();
    await expect(service.deleteSchedule('acme', { schedule_reference: 'never-was' })).resolves.toEqual({
      success: true,
    });
    expect(gateway.calls).toEqual([
      ['delete', scheduleIdFor('acme', 'never-was')],
      ['cancelRunningRuns', 'acme'],
    ]);
    const bad = await rejection(service.deleteSchedule('acme', { schedule_reference: '' }));
    expect(bad.message).toBe('Schedule reference must not be empty');
  });
});

describe('tenant limits on Create Schedule', () => {
  test('the schedule quota: at the quota, Create answers a quota error and creates nothing', async () => {
    const catalog = new MemoryCatalog();
    const gateway = new MemoryGateway();
    const service = new SchedulerService({ catalog, gateway, now: () => NOW, scheduleQuota: 2 });
    const uuid = await dynamicRunbook(catalog, 'acme');
    for (const reference of ['one', 'two']) {
      await service.createSchedule('acme', {
        runbook_uuid: uuid,
        schedule_reference: reference,
        schedule: DAILY,
      });
    }
    const over = await rejection(
      service.createSchedule('acme', { runbook_uuid: uuid, schedule_reference: 'three', schedule: DAILY }),
    );
    expect(over.code).toBe(ActionErrorCode.QuotaExceeded);
    expect(over.message).toBe('Failed to create schedule: ["Solution has reached its quota of 2 schedules"]');
    expect(gateway.schedules.size).toBe(2);
  });

  test('a stored runbook whose workflow target the policy no longer allows cannot get a schedule', async () => {
    const { catalog, service } = world();
    const uuid = randomUUID();
    await catalog.put({
      uuid,
      solution: 'acme',
      name: 'legacy',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'workflow', workflowType: 'deploy', taskQueue: 'globex-runbooks' },
    });
    const refused = await rejection(
      service.createSchedule('acme', { runbook_uuid: uuid, schedule_reference: 'daily', schedule: DAILY }),
    );
    expect(refused.message).toBe(
      'Failed to create schedule: ["Target taskQueue \\"globex-runbooks\\" is not allowed for this solution"]',
    );
  });
});
