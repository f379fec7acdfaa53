/**
 * More than one machine, on one: two HTTP API processes and two worker processes of the product (real child
 * processes, wired from the environment as the product wires itself) against the suite's Temporal dev server
 * and one PostgreSQL catalog (a real server started by this file). The connector flow (register, create, fire,
 * update, delete, runs) passes through either API, with a process killed by SIGKILL in the middle: nothing
 * acknowledged is lost, every fire reaches the runbook (a repeat only with the same Idempotency-Key), and no
 * schedule is left behind.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { TriggerTemplate } from '../../src/catalog/model';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import type { RunView } from '../../src/temporal/runs';
import { startPostgres, type PostgresServer } from '../fixtures/postgres-server';
import { killHard, startFixture, type Child } from '../unit/catalog/children';
import { apiCall } from '../fixtures/api-call';
import {
  connectTestClient,
  startHttpReceiver,
  uniqueId,
  waitFor,
  type HttpReceiver,
  type TestClient,
} from './harness';

jest.setTimeout(180_000);

const solution = uniqueId('multi');
const token = uniqueId('token');
const taskQueue = uniqueId('multi-process');

let postgres: PostgresServer;
let receiver: HttpReceiver;
let temporal: TestClient;
let dataDir: string;
let environment: NodeJS.ProcessEnv;
const apis: Array<{ child: Child; port: number }> = [];
const workers: Array<{ child: Child; identity: string }> = [];

async function startApi(): Promise<{ child: Child; port: number }> {
  const child = startFixture('product-api-process.ts', [], environment);
  const { port } = JSON.parse(await child.nextLine((l) => l.startsWith('{'))) as { port: number };
  return { child, port };
}

async function startWorker(): Promise<{ child: Child; identity: string }> {
  const child = startFixture('product-worker-process.ts', [], environment);
  const { identity } = JSON.parse(await child.nextLine((l) => l.startsWith('{'))) as { identity: string };
  return { child, identity };
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One call to an API process's HTTP API as the test solution. */
async function call(port: number, method: string, route: string, body?: unknown): Promise<Answer> {
  const { status, json } = await apiCall(`http://127.0.0.1:${port}/v1`, token, method, route, body);
  return { status, body: json };
}

function portOf(api: { port: number } | undefined): number {
  if (!api) throw new Error('no such API process');
  return api.port;
}

/** Registers a Dynamic Scheduler runbook dispatching to the receiver; answers its uuid. */
async function registerRunbook(port: number, receiverPath: string): Promise<string> {
  const uuid = randomUUID();
  const answer = await call(port, 'POST', '/runbooks', {
    uuid,
    name: `multi-process ${receiverPath}`,
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: `${receiver.url}${receiverPath}` },
  });
  expect(answer.status).toBe(200);
  return uuid;
}

const FAR_DAILY = {
  frequency: 'daily',
  interval: 1,
  time_zone: 'UTC',
  time_of_day: '09:00:00',
  start_date: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
};

function requestsTo(receiverPath: string) {
  return receiver.requests.filter((r) => r.path === receiverPath);
}

/** Polls List Runs through `port` until `count` runs have a final dispatch status. */
async function runsOf(port: number, reference: string, count: number): Promise<RunView[]> {
  return await waitFor(
    async () => {
      const { status, body } = await call(port, 'GET', `/schedules/${encodeURIComponent(reference)}/runs`);
      const runs = (body.runs ?? []) as RunView[];
      return status === 200 && runs.length === count && runs.every((r) => r.dispatch_status === 'succeeded')
        ? runs
        : undefined;
    },
    { timeoutMs: 60_000, description: `${count} succeeded runs of ${reference}` },
  );
}

/** The schedule is gone from Temporal itself, not only from the product's listing. */
async function expectNoSchedule(reference: string): Promise<void> {
  const handle = temporal.client.schedule.getHandle(scheduleIdFor(solution, reference));
  await expect(handle.describe()).rejects.toThrow(ScheduleNotFoundError);
}

async function fireOnce(port: number, reference: string): Promise<void> {
  expect(await call(port, 'POST', `/schedules/${encodeURIComponent(reference)}/trigger`, {})).toEqual({
    status: 200,
    body: { success: true },
  });
}

beforeAll(async () => {
  [postgres, receiver, temporal] = await Promise.all([
    startPostgres(),
    startHttpReceiver(),
    connectTestClient(),
  ]);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-multi-process-'));
  environment = {
    ...process.env,
    TEMPORAL_TASK_QUEUE: taskQueue,
    RUNBOOK_SCHEDULER_DATABASE_URL: await postgres.createDatabase('multi'),
    // Each process has a data directory of its own: only the PostgreSQL catalog is shared.
    RUNBOOK_SCHEDULER_DATA_DIR: dataDir,
    RUNBOOK_SCHEDULER_API_TOKENS: `${token}=${solution}:operator:IntegrationAuthor`,
    RUNBOOK_SCHEDULER_EGRESS_ALLOW: '127.0.0.0/8',
  };
  const started = await Promise.all([startApi(), startApi(), startWorker(), startWorker()]);
  apis.push(started[0], started[1]);
  workers.push(started[2], started[3]);
});

afterAll(async () => {
  await Promise.all([...apis, ...workers].map(({ child }) => killHard(child)));
  await Promise.all([receiver?.close(), temporal?.close(), postgres?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('the flow through either API, with an API process killed in the middle of an update and creates', async () => {
  const [a, b] = apis;
  const reference = uniqueId('ref');
  const others = Array.from({ length: 8 }, (_, i) => uniqueId(`ref-${i}`));
  const receiverPath = `/runbook/${reference}`;

  // Registered through A, seen through B: one catalog.
  const uuid = await registerRunbook(portOf(a), receiverPath);
  const listed = await call(portOf(b), 'GET', '/runbooks');
  expect((listed.body.runbooks as Array<{ uuid: string }>).map((r) => r.uuid)).toEqual([uuid]);

  const created = await call(portOf(b), 'POST', '/schedules', {
    runbook_uuid: uuid,
    schedule_reference: reference,
    schedule: FAR_DAILY,
  });
  expect(created.status).toBe(201);
  await fireOnce(portOf(a), reference);
  await waitFor(() => requestsTo(receiverPath).length === 1, { description: 'the first fire' });

  // A dies in the middle of an update and a batch of creates: killed as soon as the first of them is answered,
  // so that some are done, some half-way through, some not begun. What A acknowledged must not be lost.
  const updated = { ...FAR_DAILY, time_of_day: '17:30:00' };
  const createOn = (port: number, ref: string) =>
    call(port, 'POST', '/schedules', { runbook_uuid: uuid, schedule_reference: ref, schedule: FAR_DAILY });
  const inFlight = [
    call(portOf(a), 'PUT', `/schedules/${encodeURIComponent(reference)}`, { schedule: updated }),
    ...others.map((ref) => createOn(portOf(a), ref)),
  ].map((p) => p.catch((err: unknown) => err));
  await Promise.race(inFlight);
  await killHard((a as { child: Child }).child);
  const outcomes = await Promise.all(inFlight);
  // A failed call is fetch's TypeError, of another realm than the test's Error: told apart by shape.
  const statusOf = (outcome: unknown) => (outcome as Partial<Answer>).status ?? 'no answer';
  const acknowledged = others.filter((_, i) => statusOf(outcomes[i + 1]) === 201);
  console.log(
    `API process killed with ${others.length + 1} calls in flight: ${JSON.stringify(outcomes.map(statusOf))}`,
  );
  for (const ref of acknowledged) {
    expect((await call(portOf(b), 'GET', `/schedules/${encodeURIComponent(ref)}`)).status).toBe(200);
  }

  // The caller retries through B: the update is a full replacement, a create answers 201 or "already there".
  expect(
    await call(portOf(b), 'PUT', `/schedules/${encodeURIComponent(reference)}`, { schedule: updated }),
  ).toEqual({ status: 200, body: { success: true } });
  const retriedStatuses: number[] = [];
  for (const ref of others) {
    const retried = await createOn(portOf(b), ref);
    retriedStatuses.push(retried.status);
    expect([201, 409]).toContain(retried.status);
    if (acknowledged.includes(ref)) expect(retried.status).toBe(409);
    expect((await call(portOf(b), 'GET', `/schedules/${encodeURIComponent(ref)}`)).status).toBe(200);
  }
  console.log(`the creates retried through the other API process: ${JSON.stringify(retriedStatuses)}`);
  const view = await call(portOf(b), 'GET', `/schedules/${encodeURIComponent(reference)}`);
  expect(view.status).toBe(200);
  expect(JSON.stringify(view.body)).toContain('17:30:00');

  // Fires through B after the kill, and both runs listed.
  await fireOnce(portOf(b), reference);
  await waitFor(() => requestsTo(receiverPath).length === 2, { description: 'the second fire' });
  const runs = await runsOf(portOf(b), reference, 2);
  expect(new Set(runs.map((r) => r.workflow_id)).size).toBe(2);

  for (const ref of [reference, ...others]) {
    expect(await call(portOf(b), 'DELETE', `/schedules/${encodeURIComponent(ref)}`)).toEqual({
      status: 200,
      body: { success: true },
    });
    await expectNoSchedule(ref);
  }
  // The runbook stays registered; its runs stay listed after the delete.
  expect((await call(portOf(b), 'GET', '/runbooks')).body.runbooks).toHaveLength(1);
  await runsOf(portOf(b), reference, 2);

  // A replacement API process serves the same catalog.
  apis[0] = await startApi();
  const again = await call(portOf(apis[0]), 'GET', '/runbooks');
  expect((again.body.runbooks as Array<{ uuid: string }>).map((r) => r.uuid)).toEqual([uuid]);
});

test('a worker killed while it dispatches a fire: the other worker delivers it, with the same Idempotency-Key', async () => {
  const [a, b] = apis;
  const reference = uniqueId('ref');
  const receiverPath = `/runbook/${reference}`;
  const uuid = await registerRunbook(portOf(b), receiverPath);
  expect(
    (
      await call(portOf(a), 'POST', '/schedules', {
        runbook_uuid: uuid,
        schedule_reference: reference,
        schedule: FAR_DAILY,
      })
    ).status,
  ).toBe(201);

  // The runbook answers the first request late: the dispatch is in flight in one worker when that worker dies.
  receiver.script({ status: 200, body: { ok: true }, delayMs: 8_000 });
  await fireOnce(portOf(b), reference);
  await waitFor(() => requestsTo(receiverPath).length === 1, { description: 'the fire reaches the runbook' });
  const [run] = await waitFor(
    async () => {
      const { body } = await call(portOf(a), 'GET', `/schedules/${encodeURIComponent(reference)}/runs`);
      return ((body.runs ?? []) as RunView[]).length === 1 ? (body.runs as RunView[]) : undefined;
    },
    { description: 'the run listed' },
  );
  const dispatching = await waitFor(
    async () => {
      const described = await temporal.client.workflow.getHandle((run as RunView).workflow_id).describe();
      const identity = described.raw.pendingActivities?.[0]?.lastWorkerIdentity;
      return workers.find((w) => w.identity === identity);
    },
    { description: 'the worker dispatching the fire' },
  );
  await killHard(dispatching.child);

  // The activity's heartbeat times out and the survivor retries it: the runbook sees the same key again.
  await waitFor(() => requestsTo(receiverPath).length === 2, {
    timeoutMs: 60_000,
    description: 'the retried dispatch',
  });
  const [first, retry] = requestsTo(receiverPath);
  expect(retry?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
  const [delivered] = await runsOf(portOf(b), reference, 1);
  expect(delivered?.workflow_id).toBe(run?.workflow_id);

  // The survivor serves the rest of the flow: another fire, a pause through A, a delete through B.
  await fireOnce(portOf(a), reference);
  await waitFor(() => requestsTo(receiverPath).length === 3, { description: 'a fire after the kill' });
  await runsOf(portOf(a), reference, 2);
  expect(
    await call(portOf(a), 'PUT', `/schedules/${encodeURIComponent(reference)}`, {
      schedule: { ...FAR_DAILY, disabled: true },
    }),
  ).toEqual({ status: 200, body: { success: true } });
  const paused = await call(portOf(b), 'GET', `/schedules/${encodeURIComponent(reference)}`);
  expect(paused.body.paused).toBe(true);
  expect(await call(portOf(b), 'DELETE', `/schedules/${encodeURIComponent(reference)}`)).toEqual({
    status: 200,
    body: { success: true },
  });
  await expectNoSchedule(reference);
  const left = await waitFor(
    async () => {
      const { body } = await call(portOf(a), 'GET', '/schedules');
      return (body.schedules as unknown[]).length === 0 ? body : undefined;
    },
    { description: 'no schedule left in the listing' },
  );
  expect(left.schedules).toEqual([]);
});
