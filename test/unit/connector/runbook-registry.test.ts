/**
 * The runbook registry's rollback paths (FEATURES.md A2): nothing is left half-made, and an outage stays an
 * outage.
 */
import { randomUUID } from 'node:crypto';
import { TriggerTemplate, type Runbook } from '../../../src/catalog/model';
import { ActionErrorCode, ScheduleActionError } from '../../../src/connector/errors';
import { SchedulerService } from '../../../src/connector/scheduler-service';
import { loadSettings } from '../../../src/config';
import { buildEgressPolicy, literalUrlRefusal } from '../../../src/dispatch/egress';
import { Dependency, UnavailableError } from '../../../src/errors';
import { scheduleIdFor } from '../../../src/temporal/schedule-ids';
import { ScheduleOverwrittenError } from '../../../src/temporal/temporal-errors';
import { MemoryCatalog } from '../../fixtures/memory-catalog';
import { MemoryGateway } from '../../fixtures/memory-gateway';

const NOW = new Date('2026-04-29T12:00:00Z');

function world() {
  const catalog = new MemoryCatalog();
  const gateway = new MemoryGateway();
  const service = new SchedulerService({ catalog, gateway, now: () => NOW });
  return { catalog, gateway, service };
}

function schedulerRunbook(overrides: Partial<Runbook> = {}) {
  return {
    uuid: randomUUID(),
    solution: 'acme',
    name: 'nightly',
    trigger: {
      template: TriggerTemplate.Scheduler,
      schedule: { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '02:00' },
      request_body: { source: 'scheduler' },
    },
    target: { kind: 'http' as const, url: 'https://runbooks.example/hook' },
    ...overrides,
  };
}

test('registering a Scheduler runbook provisions its schedule and stores the reference', async () => {
  const { catalog, gateway, service } = world();
  const runbook = schedulerRunbook();
  const registered = await service.registerRunbook(runbook);
  const reference =
    registered.trigger.template === TriggerTemplate.Scheduler ? registered.trigger.schedule_reference : '';
  expect(reference).toMatch(/^[0-9a-f-]{36}$/);
  expect(gateway.schedules.has(scheduleIdFor('acme', reference!))).toBe(true);
  expect(await catalog.get('acme', runbook.uuid)).toEqual(registered);
});

test('an invalid trigger names every problem and creates nothing', async () => {
  const { catalog, gateway, service } = world();
  const runbook = schedulerRunbook({
    trigger: {
      template: TriggerTemplate.Scheduler,
      schedule: { frequency: 'daily', interval: 0, time_zone: 'UTC', time_of_day: '02:00' },
    },
  });
  const err = (await service.registerRunbook(runbook).catch((e: unknown) => e)) as ScheduleActionError;
  expect(err).toBeInstanceOf(ScheduleActionError);
  expect(err.message).toBe('Failed to register schedule: Interval must be greater than or equal to 1');
  expect(err.code).toBe(ActionErrorCode.Invalid);
  expect(gateway.schedules.size).toBe(0);
  expect(catalog.size).toBe(0);
});

test('a catalog that fails after the schedule was created: the schedule is deleted again', async () => {
  const { catalog, gateway, service } = world();
  catalog.failNextPut = new Error('disk full');
  const err = (await service.registerRunbook(schedulerRunbook()).catch((e: unknown) => e)) as Error;
  expect(err.message).toBe('Failed to register schedule: disk full');
  expect(gateway.schedules.size).toBe(0);
  expect(gateway.calls.map(([operation]) => operation)).toEqual(['countSchedules', 'create', 'delete']);
  expect(catalog.size).toBe(0);
});

test('an unavailable catalog or Temporal is reported as unavailable, with nothing left behind', async () => {
  const { catalog, gateway, service } = world();
  catalog.failNextPut = new UnavailableError(Dependency.Catalog, 'the database is busy');
  await expect(service.registerRunbook(schedulerRunbook())).rejects.toThrow(
    'Catalog is unavailable: the database is busy',
  );
  expect(gateway.schedules.size).toBe(0);
  gateway.failNext('create', new UnavailableError(Dependency.Temporal, 'the server did not answer'));
  await expect(service.registerRunbook(schedulerRunbook())).rejects.toBeInstanceOf(UnavailableError);
  expect(catalog.size).toBe(0);
});

test('a failed re-deployment keeps the previous schedule running; a good one replaces it', async () => {
  const { gateway, service } = world();
  const first = await service.registerRunbook(schedulerRunbook());
  const firstId = [...gateway.schedules.keys()][0]!;
  gateway.failNext('create', new Error('INVALID_ARGUMENT'));
  await expect(service.registerRunbook({ ...first, name: 'renamed' })).rejects.toThrow(
    'Failed to register schedule: INVALID_ARGUMENT',
  );
  expect([...gateway.schedules.keys()]).toEqual([firstId]);
  await service.registerRunbook({ ...first, name: 'renamed' });
  expect(gateway.schedules.size).toBe(1);
  expect(gateway.schedules.has(firstId)).toBe(false);
});

/** A Dynamic Scheduler runbook of `acme` aimed at the old target. */
function dynamicRunbook() {
  return {
    uuid: randomUUID(),
    solution: 'acme',
    name: 'worker',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http' as const, url: 'https://old.example/hook' },
  };
}

async function createDaily(service: SchedulerService, runbookUuid: string, reference: string): Promise<void> {
  await service.createSchedule('acme', {
    runbook_uuid: runbookUuid,
    schedule_reference: reference,
    schedule: { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00' },
  });
}

test('re-registering a Dynamic Scheduler runbook points its schedules at the new target', async () => {
  const { gateway, service } = world();
  const dynamic = dynamicRunbook();
  await service.registerRunbook(dynamic);
  await createDaily(service, dynamic.uuid, 'daily');
  await service.registerRunbook({
    ...dynamic,
    trigger: { template: TriggerTemplate.DynamicScheduler, job_context_identifier_path: 'body.tenant_id' },
    target: { kind: 'http', url: 'https://new.example/hook' },
  });
  const input = gateway.schedules.get(scheduleIdFor('acme', 'daily'))!.input;
  expect(input.target).toEqual({ kind: 'http', url: 'https://new.example/hook' });
  expect(input.jobContextIdentifierPath).toBe('body.tenant_id');
});

test('re-registering a runbook is not blocked by a schedule paused as unrestorable; the others follow', async () => {
  const { gateway, service } = world();
  const dynamic = dynamicRunbook();
  await service.registerRunbook(dynamic);
  for (const reference of ['a', 'b']) await createDaily(service, dynamic.uuid, reference);
  gateway.failNext(
    'updateRunInput',
    new ScheduleOverwrittenError(
      scheduleIdFor('acme', 'a'),
      'its memo does not record what it was created with',
    ),
  );
  await service.registerRunbook({ ...dynamic, target: { kind: 'http', url: 'https://new.example/hook' } });
  const targets = ['a', 'b'].map((r) => gateway.schedules.get(scheduleIdFor('acme', r))!.input.target);
  expect(targets.filter((t) => t.kind === 'http' && t.url === 'https://new.example/hook')).toHaveLength(1);
});

test('concurrent registrations of one Scheduler runbook leave exactly one schedule, the stored one', async () => {
  const { catalog, gateway, service } = world();
  const runbook = schedulerRunbook();
  const results = await Promise.all([0, 1, 2, 3].map(() => service.registerRunbook(runbook)));
  expect(results).toHaveLength(4);
  expect(gateway.schedules.size).toBe(1);
  const stored = await catalog.get('acme', runbook.uuid);
  const reference =
    stored?.trigger.template === TriggerTemplate.Scheduler ? stored.trigger.schedule_reference : '';
  expect([...gateway.schedules.keys()]).toEqual([scheduleIdFor('acme', reference!)]);
});

test('a workflow target the operator did not allow is refused at registration, naming target', async () => {
  const { catalog, service } = world();
  const err = (await service
    .registerRunbook({
      uuid: randomUUID(),
      solution: 'acme',
      name: 'sweeper',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'workflow', workflowType: 'rearmSweepWorkflow', taskQueue: 'runbook-scheduler' },
    })
    .catch((e: unknown) => e)) as ScheduleActionError;
  expect(err.message).toBe(
    'Failed to register schedule: Target taskQueue "runbook-scheduler" is the scheduler\'s own and cannot be targeted',
  );
  expect(err.code).toBe(ActionErrorCode.Invalid);
  expect(catalog.size).toBe(0);
});

test('header values are write-only: registration answers and listings redact them', async () => {
  const { catalog, service } = world();
  const runbook = {
    uuid: randomUUID(),
    solution: 'acme',
    name: 'worker',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: {
      kind: 'http' as const,
      url: 'https://runbooks.example/hook',
      headers: { Authorization: 'Bearer sk_live_1' },
    },
  };
  const answered = await service.registerRunbook(runbook);
  expect(answered.target).toEqual({
    kind: 'http',
    url: 'https://runbooks.example/hook',
    headers: { Authorization: '[redacted]' },
  });
  expect(JSON.stringify(await service.listRunbooks('acme'))).not.toContain('sk_live_1');
  // The catalog keeps the value: the dispatch needs it.
  expect((await catalog.get('acme', runbook.uuid))?.target).toEqual(runbook.target);
});

test('a solution at its schedule quota gets no new schedule: 429-class error with a clear message', async () => {
  const catalog = new MemoryCatalog();
  const gateway = new MemoryGateway();
  const service = new SchedulerService({ catalog, gateway, now: () => NOW, scheduleQuota: 1 });
  await service.registerRunbook(schedulerRunbook());
  const err = (await service
    .registerRunbook(schedulerRunbook())
    .catch((e: unknown) => e)) as ScheduleActionError;
  expect(err.code).toBe(ActionErrorCode.QuotaExceeded);
  expect(err.message).toBe('Failed to register schedule: Solution has reached its quota of 1 schedules');
  expect(gateway.schedules.size).toBe(1);
  // Another solution has a quota of its own.
  await expect(service.registerRunbook(schedulerRunbook({ solution: 'globex' }))).resolves.toBeDefined();
});

test('literal internal addresses and URLs with credentials are refused at registration, never echoing a password', async () => {
  const catalog = new MemoryCatalog();
  const gateway = new MemoryGateway();
  const egress = buildEgressPolicy({ ...loadSettings({}), egressAllow: [] });
  const service = new SchedulerService({
    catalog,
    gateway,
    now: () => NOW,
    targets: {
      workflowTargets: new Map(),
      productTaskQueue: 'runbook-scheduler',
      urlRefusal: (url) => literalUrlRefusal(url, egress),
    },
  });
  const register = (url: string) =>
    service
      .registerRunbook({
        uuid: randomUUID(),
        solution: 'acme',
        name: 'worker',
        trigger: { template: TriggerTemplate.DynamicScheduler },
        target: { kind: 'http', url },
      })
      .then(
        () => 'registered',
        (e: unknown) => (e as Error).message,
      );
  for (const url of [
    'http://169.254.169.254/',
    'http://0x7f000001/',
    'http://[::1]:8233',
    'http://10.0.0.5/',
  ]) {
    expect(await register(url)).toBe(
      'Failed to register schedule: Target url must not point at a private or internal address',
    );
  }
  const withPassword = await register('https://admin:hunter2@runbooks.example/hook');
  expect(withPassword).toBe('Failed to register schedule: Target url must not contain credentials');
  expect(await register('https://runbooks.example/hook')).toBe('registered');
  expect(catalog.size).toBe(1);
});
