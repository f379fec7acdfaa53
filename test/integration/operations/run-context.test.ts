/**
 * What the runs of an operated schedule receive, on the real dev server (issue 10, points 1, 2, 3 and 8;
 * FEATURES.md B1-B3, B8): Run now is an instance of its own with the caller as submitter and the values in
 * force; a schedule's fires carry its parameters and submitting user beside the unchanged A3 fields; Stop then
 * Start fires again from now, without catching up the stopped period.
 */
import { randomUUID } from 'node:crypto';
import { startHttpApi, type RunningHttpApi } from '../../../src/api/http-api';
import { TriggerTemplate } from '../../../src/catalog/model';
import { parseTokens } from '../../../src/config';
import { InstanceType, type ScheduledRunInput } from '../../../src/temporal/run-input';
import { scheduleIdFor } from '../../../src/temporal/schedule-ids';
import { sleep, startHttpReceiver, uniqueId, waitFor, type HttpReceiver } from '../harness';
import { startScheduler, type SchedulerFixture } from '../scheduler-fixture';

let scheduler: SchedulerFixture;
let receiver: HttpReceiver;
let api: RunningHttpApi;
let base: string;
const solution = uniqueId('sol-ctx');
const alice = randomUUID();
const admin = randomUUID();

beforeAll(async () => {
  scheduler = await startScheduler();
  receiver = await startHttpReceiver();
  api = await startHttpApi(
    scheduler.app.service,
    parseTokens(`${alice}=${solution}:alice,${admin}=${solution}:root:ServiceAdministrator`),
    0,
    '127.0.0.1',
    { operations: scheduler.app.operations, instances: scheduler.app.instances },
  );
  base = `http://127.0.0.1:${api.port}/v1`;
});

afterAll(async () => {
  await api?.close();
  await receiver?.close();
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

async function registerRunbook(path: string): Promise<string> {
  const uuid = randomUUID();
  const registered = await call('POST', '/runbooks', alice, {
    uuid,
    name: 'context runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: `${receiver.url}/${path}` },
    parameters: [
      { name: 'region', default: 'eu-west-1' },
      { name: 'dry_run', default: 'false' },
    ],
  });
  expect(registered.status).toBe(200);
  return uuid;
}

const requestsTo = (path: string) => receiver.requests.filter((r) => r.path === `/${path}`);

test('Run now: an instance of its own, submitted by the caller, with the values in force and its own overrides', async () => {
  const path = uniqueId('run-now');
  const uuid = await registerRunbook(path);
  const reference = uniqueId('ctx');
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
    request_body: { tenant_id: '42' },
  });
  expect(created.status).toBe(201);

  const run = await call('POST', `/schedules/${reference}/run-now`, admin, {
    parameters: { dry_run: 'true' },
  });
  expect(run.status).toBe(200);
  expect(run.json).toMatchObject({
    schedule_reference: reference,
    instance_type: 'RunNow',
    submitted_by: 'root',
    parameters: { region: 'eu-west-1', dry_run: 'true' },
  });
  const workflowId = run.json.workflow_id as string;
  expect(workflowId).toContain(`${scheduleIdFor(solution, reference)}:`);
  expect(workflowId).toContain('-RunNow-');

  const [request] = await waitFor(() => (requestsTo(path).length > 0 ? requestsTo(path) : undefined));
  const { triggered_at: triggeredAt, ...rest } = request?.body as { triggered_at: string };
  expect(triggeredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  // A key of its own: a scheduled fire of the same second (whose key ends with the second) is another delivery.
  expect(request?.headers['idempotency-key']).toMatch(new RegExp(`/${triggeredAt}/run-now-\\d{8}T\\d{9}Z$`));
  // The A3 fields unchanged, the run context beside them.
  expect(rest).toEqual({
    body: { tenant_id: '42', schedule_reference: reference },
    parameters: { region: 'eu-west-1', dry_run: 'true' },
    submitted_by: 'root',
  });
  const handle = scheduler.app.client.workflow.getHandle(workflowId);
  await handle.result();
  const description = await handle.describe();
  expect(description.type).toBe('scheduledRunWorkflow');
  // Its input: type RunNow, the caller as submitter (what the instance shows).
  const history = await handle.fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const runInput = JSON.parse(Buffer.from(payload?.data ?? []).toString('utf8')) as ScheduledRunInput;
  expect(runInput).toMatchObject({ instanceType: InstanceType.RunNow, submittedBy: 'root' });
  // The run is among the schedule's runs, and its own override did not change the schedule's values.
  const runs = await waitFor(async () => {
    const listed = await call('GET', `/schedules/${reference}/runs`, alice);
    const found = (listed.json.runs as { workflow_id: string }[]).some((r) => r.workflow_id === workflowId);
    return found ? listed : undefined;
  });
  expect(runs.status).toBe(200);
  const status = await call('GET', `/schedules/${reference}/status`, alice);
  expect(status.json.parameters).toEqual([
    { name: 'region', default: 'eu-west-1', current: 'eu-west-1', new: null },
    { name: 'dry_run', default: 'false', current: 'false', new: null },
  ]);
  const stored = await scheduler.app.client.schedule.getHandle(scheduleIdFor(solution, reference)).describe();
  const input =
    stored.action.type === 'startWorkflow' ? (stored.action.args?.[0] as ScheduledRunInput) : undefined;
  expect(input?.submittedBy).toBe('alice');
  expect(input?.instanceType).toBeUndefined();

  const undeclared = await call('POST', `/schedules/${reference}/run-now`, alice, {
    parameters: { nope: '1' },
  });
  expect(undeclared.status).toBe(422);
  expect(undeclared.json.error).toBe('Parameter "nope" is not declared by the runbook');
}, 120_000);

test('Stop, then Start with new values as another user: fires again from now, carrying them, nothing of the stopped period caught up', async () => {
  const path = uniqueId('minutely');
  const uuid = await registerRunbook(path);
  const reference = uniqueId('ctx');
  // Minutely from its creation instant: the first fire comes at once, then one a minute.
  const created = await call('POST', '/schedules', alice, {
    runbook_uuid: uuid,
    schedule_reference: reference,
    schedule: { frequency: 'minutely', interval: 1, time_zone: 'UTC' },
  });
  expect(created.status).toBe(201);
  try {
    const [first] = await waitFor(() => (requestsTo(path).length > 0 ? requestsTo(path) : undefined), {
      timeoutMs: 60_000,
    });
    expect(first?.body).toMatchObject({
      parameters: { region: 'eu-west-1', dry_run: 'false' },
      submitted_by: 'alice',
    });

    const stopped = await call('POST', `/schedules/${reference}/stop`, alice);
    expect(stopped.status).toBe(200);
    await waitFor(
      async () => (await call('GET', `/schedules/${reference}/status`, alice)).json.status === 'Stopped',
    );
    const stoppedAt = Date.now();
    const seen = requestsTo(path).length;
    // Stopped queues nothing: its queued instance was aborted by the Stop, and none replaces it.
    const views = await waitFor(async () => {
      const listed = await call('GET', `/schedules/${reference}/instances?page_size=100`, alice);
      const all = listed.json.instances as Array<{ status: string; aborted: unknown }>;
      return all.some((v) => v.status === 'Aborted') ? all : undefined;
    });
    expect(views.filter((v) => v.status === 'Queued' || v.status === 'Paused')).toEqual([]);
    expect(views.filter((v) => v.status === 'Aborted').map((v) => v.aborted)).toContainEqual({
      reason: 'Instance aborted as schedule was stopped by alice',
      by: 'alice',
    });

    // Let an occurrence pass while stopped: none is dispatched.
    await sleep(70_000);
    expect(requestsTo(path)).toHaveLength(seen);

    const startedAt = new Date();
    const started = await call('POST', `/schedules/${reference}/start`, admin, {
      submitted_by: 'bob',
      parameters: { region: 'us-east-2' },
    });
    expect(started.status).toBe(200);
    await waitFor(
      async () => (await call('GET', `/schedules/${reference}/status`, alice)).json.status === 'Active',
    );

    const after = await waitFor(
      () => (requestsTo(path).length > seen ? requestsTo(path).slice(seen) : undefined),
      {
        timeoutMs: 90_000,
        description: 'a fire after Start',
      },
    );
    for (const request of after) {
      const body = request.body as { triggered_at: string; parameters: unknown; submitted_by: string };
      // Nothing of the stopped period: every fire after Start is at or after the Start.
      expect(new Date(body.triggered_at).getTime()).toBeGreaterThanOrEqual(
        Math.floor(startedAt.getTime() / 1000) * 1000,
      );
      expect(body).toMatchObject({
        parameters: { region: 'us-east-2', dry_run: 'false' },
        submitted_by: 'bob',
      });
    }
    expect(new Date((after[0]?.body as { triggered_at: string }).triggered_at).getTime()).toBeGreaterThan(
      stoppedAt,
    );
  } finally {
    await call('DELETE', `/schedules/${reference}`, alice);
  }
}, 300_000);
