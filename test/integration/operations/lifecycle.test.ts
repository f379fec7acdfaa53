/**
 * A schedule's lifecycle on the real dev server (issue 10, points 1 and 8; FEATURES.md B1, B8), through the
 * HTTP API and the CLI: operations are durable workflows, so with no worker on the task queue Pause reads
 * `Pausing` and becomes `Paused` once a worker starts; Retry is refused within 10 minutes of the previous one
 * (an injected clock, never a 10-minute wait); only a ServiceAdministrator changes the submitting user.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startHttpApi, type RunningHttpApi } from '../../../src/api/http-api';
import { TriggerTemplate } from '../../../src/catalog/model';
import { occurrenceWorkflowId } from '../../../src/instances/abort-record';
import { parseTokens } from '../../../src/config';
import { Messages } from '../../../src/connector/errors';
import { RETRY_INTERVAL_MS, ScheduleState } from '../../../src/operations/lifecycle';
import { ScheduleOperations } from '../../../src/operations/schedule-operations';
import { connectWorker } from '../../../src/temporal/connection';
import { LifecycleScheduleGateway } from '../../../src/temporal/lifecycle-gateway';
import { scheduleIdFor } from '../../../src/temporal/schedule-ids';
import { createSchedulerWorker } from '../../../src/worker';
import { uniqueId, waitFor } from '../harness';
import { startScheduler, type SchedulerFixture } from '../scheduler-fixture';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'runbook-scheduler.js');

// The scheduler's worker polls its own task queue; the operations here go to a queue no worker polls (yet).
let scheduler: SchedulerFixture;
let api: RunningHttpApi;
let base: string;
let clock = new Date();
const idleQueue = uniqueId('rbs-idle-tq');
const solution = uniqueId('sol-ops');
const alice = randomUUID();
const admin = randomUUID();

beforeAll(async () => {
  scheduler = await startScheduler();
  const { client, catalog } = scheduler.app;
  const operations = new ScheduleOperations({
    client,
    catalog,
    gateway: new LifecycleScheduleGateway(client, idleQueue),
    taskQueue: idleQueue,
    now: () => clock,
    settleMs: 300,
  });
  api = await startHttpApi(
    scheduler.app.service,
    parseTokens(`${alice}=${solution}:alice,${admin}=${solution}:root:ServiceAdministrator`),
    0,
    '127.0.0.1',
    { operations },
  );
  base = `http://127.0.0.1:${api.port}/v1`;
});

afterAll(async () => {
  await api?.close();
  await scheduler?.close();
});

async function call(method: string, route: string, token: string, body?: unknown) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--solution', solution], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      RUNBOOK_SCHEDULER_DATA_DIR: scheduler.settings.dataDir,
      TEMPORAL_TASK_QUEUE: idleQueue,
      RUNBOOK_SCHEDULER_USER: 'carol',
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Polls Refresh until the schedule reads `state` (an operation completes within the settle time or later). */
async function settlesAt(reference: string, state: string): Promise<Record<string, unknown>> {
  return await waitFor(
    async () => {
      const status = await call('GET', `/schedules/${reference}/status`, alice);
      return status.json.status === state ? status.json : undefined;
    },
    { timeoutMs: 60_000, description: state },
  );
}

/** A Dynamic Scheduler runbook with a daily schedule far from now (it never fires during the test). */
async function createSchedule(): Promise<string> {
  const uuid = randomUUID();
  const registered = await call('POST', '/runbooks', alice, {
    uuid,
    name: 'lifecycle runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
    parameters: [{ name: 'region', default: 'eu-west-1' }],
  });
  expect(registered.status).toBe(200);
  const reference = uniqueId('ops');
  const created = await call('POST', '/schedules', alice, {
    runbook_uuid: uuid,
    schedule_reference: reference,
    schedule: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'UTC',
      time_of_day: '03:00',
      start_date: '2099-01-01',
    },
  });
  expect(created.status).toBe(201);
  return reference;
}

test('Create Schedule leaves a schedule Active, with its parameters at their defaults', async () => {
  const reference = await createSchedule();
  const status = await call('GET', `/schedules/${reference}/status`, alice);
  expect(status.status).toBe(200);
  expect(status.json).toMatchObject({
    status: ScheduleState.Active,
    pending_operation: null,
    last_operation: null,
    parameters: [{ name: 'region', default: 'eu-west-1', current: 'eu-west-1', new: null }],
    next_retry_allowed_at: null,
  });
});

test('with no worker, Pause reads Pausing (HTTP and CLI), Retry is refused within 10 minutes, and a worker completes it', async () => {
  const reference = await createSchedule();
  const scheduleId = scheduleIdFor(solution, reference);
  clock = new Date();

  const paused = await call('POST', `/schedules/${reference}/pause`, alice);
  expect(paused.status).toBe(200);
  expect(paused.json).toMatchObject({
    success: true,
    status: ScheduleState.Pausing,
    pending_operation: { kind: 'Pause', requested_by: 'alice' },
  });
  expect((await scheduler.app.client.schedule.getHandle(scheduleId).describe()).state.paused).toBe(false);

  // Any other operation waits for the pending one.
  const stop = await call('POST', `/schedules/${reference}/stop`, alice);
  expect(stop).toMatchObject({ status: 409, json: { error: Messages.operationPending('Pausing') } });

  const viaCli = cli(['status', '--reference', reference]);
  expect(viaCli.status).toBe(0);
  expect(JSON.parse(viaCli.stdout)).toMatchObject({ status: 'Pausing' });

  const first = await call('POST', `/schedules/${reference}/retry`, alice);
  expect(first.status).toBe(200);
  expect(first.json).toMatchObject({ status: 'Pausing' });
  const nextAllowed = new Date(clock.getTime() + RETRY_INTERVAL_MS).toISOString();
  expect(first.json.next_retry_allowed_at).toBe(nextAllowed);

  clock = new Date(clock.getTime() + RETRY_INTERVAL_MS - 1000);
  const second = await call('POST', `/schedules/${reference}/retry`, alice);
  expect(second).toMatchObject({ status: 429, json: { error: Messages.retryTooSoon(nextAllowed) } });
  expect(second.json.error).toBe(
    `Retry refused: a schedule can be retried once every 10 minutes; the next retry is allowed at ${nextAllowed}`,
  );
  const secondCli = cli(['retry', '--reference', reference]);
  expect(secondCli.status).toBe(1);
  expect(secondCli.stderr).toContain(Messages.retryTooSoon(nextAllowed));

  clock = new Date(clock.getTime() + 2000);
  expect((await call('POST', `/schedules/${reference}/retry`, alice)).status).toBe(200);

  // A worker on the operations' queue picks the pending operation up.
  const connection = await connectWorker(scheduler.settings);
  const worker = await createSchedulerWorker({
    settings: { ...scheduler.settings, taskQueue: idleQueue },
    client: scheduler.app.client,
    connection,
    withoutSweepSchedule: true,
  });
  const running = worker.run();
  try {
    const done = await waitFor(
      async () => {
        const status = await call('GET', `/schedules/${reference}/status`, alice);
        return status.json.status === ScheduleState.Paused ? status.json : undefined;
      },
      { timeoutMs: 60_000, description: 'Paused' },
    );
    expect(done).toMatchObject({ pending_operation: null, last_operation: { kind: 'Pause', user: 'alice' } });
    const description = await scheduler.app.client.schedule.getHandle(scheduleId).describe();
    expect(description.state).toMatchObject({ paused: true, note: 'Paused by alice' });
    expect(cli(['pause', '--reference', reference]).status).toBe(0);
    expect(JSON.parse(cli(['status', '--reference', reference]).stdout)).toMatchObject({ status: 'Paused' });

    // Nothing pending: nothing to retry.
    const nothing = await call('POST', `/schedules/${reference}/retry`, alice);
    expect(nothing).toMatchObject({ status: 409, json: { error: Messages.nothingToRetry } });

    // Resume, Stop, Start: each settles; Pause of a stopped schedule is refused.
    expect((await call('POST', `/schedules/${reference}/resume`, alice)).status).toBe(200);
    await settlesAt(reference, 'Active');
    expect((await call('POST', `/schedules/${reference}/stop`, alice)).status).toBe(200);
    await settlesAt(reference, 'Stopped');
    // Stop recorded the queued instance Aborted, with the reason naming who stopped it.
    const { memo } = await scheduler.app.client.schedule.getHandle(scheduleId).describe();
    const generation = (memo as { generation: string }).generation;
    const queued = new Date('2099-01-01T03:00:00Z');
    const abortRecord = scheduler.app.client.workflow.getHandle(
      occurrenceWorkflowId(scheduleId, generation, queued),
    );
    const history = await waitFor(() => abortRecord.fetchHistory(), { description: 'the abort record' });
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(JSON.parse(Buffer.from(payload?.data ?? []).toString('utf8'))).toMatchObject({
      occurrence: '2099-01-01T03:00:00Z',
      reason: 'Instance aborted as schedule was stopped by alice',
      user: 'alice',
    });
    expect(await call('POST', `/schedules/${reference}/pause`, alice)).toMatchObject({
      status: 409,
      json: { error: Messages.scheduleStopped },
    });

    // Only a ServiceAdministrator names another submitting user (B8).
    const refused = await call('POST', `/schedules/${reference}/start`, alice, { submitted_by: 'bob' });
    expect(refused).toMatchObject({
      status: 403,
      json: { error: 'The ServiceAdministrator role is required to change the submitting user' },
    });
    const refusedCli = cli(['start', '--reference', reference, '--submitted-by', 'bob']);
    expect(refusedCli.status).toBe(1);
    expect(refusedCli.stderr).toContain(
      'The ServiceAdministrator role is required to change the submitting user',
    );
    const undeclared = await call('POST', `/schedules/${reference}/start`, alice, {
      parameters: { nope: 'x' },
    });
    expect(undeclared.status).toBe(422);
    expect(undeclared.json.error).toBe('Parameter "nope" is not declared by the runbook');
    expect((await call('GET', `/schedules/${reference}/status`, alice)).json.status).toBe('Stopped');

    const started = await call('POST', `/schedules/${reference}/start`, admin, {
      submitted_by: 'bob',
      parameters: { region: 'us-east-2' },
    });
    expect(started.status).toBe(200);
    expect(await settlesAt(reference, 'Active')).toMatchObject({
      submitted_by: 'bob',
      last_operation: { kind: 'Start', user: 'root' },
      parameters: [{ name: 'region', default: 'eu-west-1', current: 'us-east-2', new: null }],
    });
    expect((await scheduler.app.client.schedule.getHandle(scheduleId).describe()).state.paused).toBe(false);
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}, 180_000);
