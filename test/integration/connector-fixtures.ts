/**
 * Shared pieces of the connector's integration tests (and of `scripts/record-histories.ts`): the seed's weekly
 * rule, Dynamic Scheduler runbooks and schedules, firing a schedule now, and a scheduler with an HTTP receiver
 * started once per test file ({@link useConnectorWorld}).
 *
 * The `expect` / `beforeAll` helpers are for jest tests only; the script uses the others.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { TriggerTemplate, type DispatchTarget } from '../../src/catalog/model';
import type { CreateScheduleOutput, SchedulerService } from '../../src/connector/scheduler-service';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { sleep, startHttpReceiver, waitFor, type HttpReceiver, type RecordedRequest } from './harness';
import { startScheduler, type SchedulerFixture, type SchedulerFixtureOptions } from './scheduler-fixture';

/** The seed's example: every other week on Saturday and Sunday at 16:55:50 UTC. */
export const SEED_WEEKLY = {
  frequency: 'weekly',
  time_zone: 'UTC',
  interval: 2,
  day: ['saturday', 'sunday'],
  time_of_day: '16:55:50',
} as const;

/** Options of {@link registerDynamicRunbook}. */
export interface DynamicRunbookOptions {
  /** @default 'worker runbook' */
  readonly name?: string;
  /** The trigger's `job_context_identifier_path`; none by default. */
  readonly jobContextIdentifierPath?: string;
  /** The runbook's declared schedule parameters; none by default. */
  readonly parameters?: readonly { readonly name: string; readonly default: string }[];
  /** The `request_body` keys the runbook declares as business identifiers; none by default. */
  readonly businessIdentifiers?: readonly string[];
}

/** Registers a Dynamic Scheduler runbook of the solution dispatching to `target`; returns its uuid. */
export async function registerDynamicRunbook(
  service: SchedulerService,
  solution: string,
  target: DispatchTarget,
  options: DynamicRunbookOptions = {},
): Promise<string> {
  const uuid = randomUUID();
  await service.registerRunbook({
    uuid,
    solution,
    name: options.name ?? 'worker runbook',
    trigger: {
      template: TriggerTemplate.DynamicScheduler,
      ...(options.jobContextIdentifierPath
        ? { job_context_identifier_path: options.jobContextIdentifierPath }
        : {}),
    },
    target,
    ...(options.parameters ? { parameters: options.parameters } : {}),
    ...(options.businessIdentifiers ? { business_identifiers: options.businessIdentifiers } : {}),
  });
  return uuid;
}

/** Options of {@link createDailySchedule}. */
export interface DailyScheduleOptions extends DynamicRunbookOptions {
  /** The schedule's `request_body`; none by default. */
  readonly requestBody?: Record<string, unknown>;
}

/** Registers a Dynamic Scheduler runbook and schedules it daily at 09:00 UTC from the day after tomorrow; returns its uuid. */
export async function createDailySchedule(
  service: SchedulerService,
  solution: string,
  reference: string,
  target: DispatchTarget,
  options: DailyScheduleOptions = {},
): Promise<string> {
  const runbookUuid = await registerDynamicRunbook(service, solution, target, options);
  const start = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  await service.createSchedule(solution, {
    runbook_uuid: runbookUuid,
    schedule_reference: reference,
    schedule: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'UTC',
      time_of_day: '09:00:00',
      start_date: start,
    },
    ...(options.requestBody ? { request_body: options.requestBody } : {}),
  });
  return runbookUuid;
}

/**
 * Fires the schedule now (B2) and returns a handle on the run it started.
 *
 * Temporal names a triggered run after the whole second it was taken in, and silently drops a second trigger
 * taken in the same second (its run id is already taken), so consecutive fires here are at least a second
 * apart; see the report on `ScheduleGateway.trigger`.
 */
export async function fireNow(
  scheduler: SchedulerFixture,
  solution: string,
  reference: string,
): Promise<WorkflowHandle> {
  const schedule = scheduler.app.client.schedule.getHandle(scheduleIdFor(solution, reference));
  const recentActions = async () => (await schedule.describe()).info.recentActions;
  const before = await recentActions();
  const last = before[before.length - 1];
  if (last) {
    const nextSecond = Math.floor(last.scheduledAt.getTime() / 1000) * 1000 + 1_000;
    await sleep(Math.max(0, nextSecond + 200 - Date.now()));
  }
  const known = new Set(before.map((action) => action.action.workflow.workflowId));
  await scheduler.app.service.triggerSchedule(solution, { schedule_reference: reference });
  const id = await waitFor(
    async () =>
      (await recentActions())
        .map((action) => action.action.workflow.workflowId)
        .find((workflowId) => !known.has(workflowId)),
    { description: 'the triggered run' },
  );
  return scheduler.app.client.workflow.getHandle(id);
}

/** `start_date` and `time_of_day` of an instant in UTC. */
export function utcParts(instant: Date): { start_date: string; time_of_day: string } {
  const iso = instant.toISOString();
  return { start_date: iso.slice(0, 10), time_of_day: iso.slice(11, 19) };
}

/** A whole second at least `ms` ahead. */
export function secondsAhead(ms: number): Date {
  return new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);
}

/** Awaits a promise that must reject and returns the error, expected to be an `Error`. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** Expects that Temporal has no schedule for the reference in the solution. */
export async function expectNoTemporalSchedule(
  client: Client,
  solution: string,
  reference: string,
): Promise<void> {
  await expect(
    client.schedule.getHandle(scheduleIdFor(solution, reference)).describe(),
  ).rejects.toBeInstanceOf(ScheduleNotFoundError);
}

/** A scheduler and an HTTP receiver shared by the tests of one file; read only inside hooks and tests. */
export interface ConnectorWorld {
  readonly scheduler: SchedulerFixture;
  readonly receiver: HttpReceiver;
  readonly service: SchedulerService;
  readonly client: Client;
  /** Registers a Dynamic Scheduler runbook of the solution dispatching to the receiver; returns its uuid. */
  dynamicRunbook(solution: string, options?: DynamicRunbookOptions): Promise<string>;
  /** The receiver's requests whose A3 body carries the reference, in arrival order. */
  requestsFor(reference: string): RecordedRequest[];
  /** Creates a {@link SEED_WEEKLY} schedule of the reference for the runbook. */
  createWeekly(solution: string, reference: string, runbookUuid: string): Promise<CreateScheduleOutput>;
}

/** Starts a scheduler and an HTTP receiver in `beforeAll`, closes them in `afterAll`; returns the world. */
export function useConnectorWorld(options: SchedulerFixtureOptions = {}): ConnectorWorld {
  let scheduler: SchedulerFixture | undefined;
  let receiver: HttpReceiver | undefined;

  beforeAll(async () => {
    scheduler = await startScheduler(options);
    receiver = await startHttpReceiver();
  });

  afterAll(async () => {
    await receiver?.close();
    await scheduler?.close();
  });

  function started<T>(value: T | undefined, name: string): T {
    if (value === undefined) throw new Error(`the ${name} is read before beforeAll started it`);
    return value;
  }

  const world: ConnectorWorld = {
    get scheduler() {
      return started(scheduler, 'scheduler');
    },
    get receiver() {
      return started(receiver, 'receiver');
    },
    get service() {
      return world.scheduler.app.service;
    },
    get client() {
      return world.scheduler.app.client;
    },
    dynamicRunbook: (solution, options) =>
      registerDynamicRunbook(
        world.service,
        solution,
        { kind: 'http', url: `${world.receiver.url}/runbook` },
        options,
      ),
    requestsFor: (reference) =>
      world.receiver.requests.filter(
        (r) =>
          (r.body as { body?: { schedule_reference?: unknown } } | undefined)?.body?.schedule_reference ===
          reference,
      ),
    createWeekly: (solution, reference, runbookUuid) =>
      world.service.createSchedule(solution, {
        runbook_uuid: runbookUuid,
        schedule_reference: reference,
        schedule: SEED_WEEKLY,
      }),
  };
  return world;
}
