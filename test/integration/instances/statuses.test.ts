/**
 * The eight instance statuses on the real dev server, through the HTTP API (and the CLI), FEATURES.md B4-B6:
 * Queued and Paused (the next occurrence; resuming moves it back), Aborted (abort of a queued instance, with
 * reason and who; the next occurrence is queued; a cancelled run too), In progress, Blocked (waiting out the
 * retry backoff after a failed attempt), Succeeded, Errored (the A4 message's status), Resubmitted (the original
 * of a resubmission, which links back and dispatches the same triggered_at under a key of its own). Each run's
 * status is also its `RunbookInstanceStatus` search attribute. Future runs exclude the aborted occurrence.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startHttpApi, type RunningHttpApi } from '../../../src/api/http-api';
import { parseTokens } from '../../../src/config';
import type { InstanceView } from '../../../src/instances/list';
import { InstanceStatus } from '../../../src/instances/status';
import { scheduleIdFor } from '../../../src/temporal/schedule-ids';
import { INSTANCE_STATUS } from '../../../src/temporal/search-attributes';
import { fireNow, useConnectorWorld } from '../connector-fixtures';
import { uniqueId, waitFor } from '../harness';

jest.setTimeout(180_000);

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'runbook-scheduler.js');
// Three attempts 4 s apart: long enough to see the run Blocked between them.
const world = useConnectorWorld({
  retry: { maximumAttempts: 3, initialIntervalMs: 4000, backoffCoefficient: 1, maximumIntervalMs: 4000 },
});
const token = randomUUID();
const solution = uniqueId('inst');
let api: RunningHttpApi;

beforeAll(async () => {
  api = await startHttpApi(world.service, parseTokens(`${token}=${solution}:alice`), 0, '127.0.0.1', {
    instances: world.scheduler.app.instances,
  });
});
afterAll(async () => api?.close());

async function call(
  method: string,
  route: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${api.port}/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const enc = encodeURIComponent;
async function instances(reference: string, query = ''): Promise<InstanceView[]> {
  const res = await call('GET', `/schedules/${enc(reference)}/instances${query}`);
  expect(res.status).toBe(200);
  return res.json.instances as InstanceView[];
}
async function statusOf(reference: string, id: string): Promise<string | undefined> {
  return (await instances(reference)).find((v) => v.instance_id === id)?.status;
}
async function reaches(reference: string, id: string, status: string): Promise<void> {
  // Visibility and the run's own upsert are eventually consistent: both are polled.
  await waitFor(
    async () => {
      if ((await statusOf(reference, id)) !== status) return false;
      if (status === InstanceStatus.Resubmitted) return true;
      const described = await world.client.workflow.getHandle(id).describe();
      return described.typedSearchAttributes.get(INSTANCE_STATUS) === status;
    },
    { timeoutMs: 40_000, description: `${id} ${status}` },
  );
}

test('every status is reached, read through the HTTP API and the CLI', async () => {
  const reference = uniqueId('ref');
  const runbook = await world.dynamicRunbook(solution, { businessIdentifiers: ['order', 'absent'] });
  const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await world.service.createSchedule(solution, {
    runbook_uuid: runbook,
    schedule_reference: reference,
    schedule: { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '10:00:00', start_date: day },
    request_body: { order: 'A-1' },
  });
  const next = (d: string, n: number) =>
    new Date(Date.parse(`${d}T10:00:00Z`) + n * 86_400_000).toISOString().replace('.000Z', 'Z');
  try {
    // Queued, Paused, Queued again.
    let queued = (await instances(reference))[0]!;
    expect(queued).toMatchObject({ status: 'Queued', triggered_at: next(day, 0), type: 'Scheduled' });
    await world.service.pauseSchedule(solution, { schedule_reference: reference });
    expect((await instances(reference))[0]).toMatchObject({
      status: 'Paused',
      instance_id: queued.instance_id,
    });
    await world.service.resumeSchedule(solution, { schedule_reference: reference });
    expect((await instances(reference))[0]).toMatchObject({
      status: 'Queued',
      instance_id: queued.instance_id,
    });

    // Aborted: with reason and who; the next day is queued; future runs skip it, as Temporal does.
    const aborted = await call(
      'POST',
      `/schedules/${enc(reference)}/instances/${enc(queued.instance_id)}/abort`,
    );
    expect(aborted.status).toBe(200);
    expect(aborted.json).toMatchObject({ reason: 'Instance aborted by alice', user: 'alice' });
    await reaches(reference, queued.instance_id, 'Aborted');
    const list = await instances(reference);
    expect(list[0]).toMatchObject({ status: 'Queued', triggered_at: next(day, 1) });
    expect(list.find((v) => v.instance_id === queued.instance_id)?.aborted).toEqual({
      reason: 'Instance aborted by alice',
      by: 'alice',
    });
    const again = await call(
      'POST',
      `/schedules/${enc(reference)}/instances/${enc(queued.instance_id)}/abort`,
    );
    expect(again).toEqual({
      status: 409,
      json: { error: 'Only a Queued or Paused instance can be aborted; this one is Aborted', details: [] },
    });
    const future = await call('GET', `/schedules/${enc(reference)}/future-runs?count=1000`);
    const runs = future.json.future_runs as Array<{ type: string; scheduled_time: string }>;
    expect(runs).toHaveLength(1000);
    expect(runs[0]).toEqual({ type: 'Scheduled', scheduled_time: next(day, 1) });
    const temporal = (await world.client.schedule.getHandle(scheduleIdFor(solution, reference)).describe())
      .info.nextActionTimes;
    expect(runs.slice(0, temporal.length).map((r) => r.scheduled_time)).toEqual(
      temporal.map((t) => t.toISOString().replace('.000Z', 'Z')),
    );
    queued = list[0]!;

    // In progress, then Succeeded.
    world.receiver.script({ status: 200, delayMs: 4000 });
    const slow = await fireNow(world.scheduler, solution, reference);
    await reaches(reference, slow.workflowId, 'In progress');
    await reaches(reference, slow.workflowId, 'Succeeded');
    const succeeded = (await instances(reference, '?status=Succeeded'))[0]!;
    // The runbook declares `order` and `absent` business identifiers: the body's value of each it has.
    expect(succeeded).toMatchObject({ instance_id: slow.workflowId, business_identifiers: { order: 'A-1' } });
    expect(succeeded.duration_ms).toBeGreaterThanOrEqual(4000);

    // Errored: a 404 refusal.
    world.receiver.script(404);
    const refused = await fireNow(world.scheduler, solution, reference);
    await reaches(reference, refused.workflowId, 'Errored');

    // Blocked between attempts after a 503, then cancelled: Aborted, by alice.
    world.receiver.script(503, 503, 503);
    const failing = await fireNow(world.scheduler, solution, reference);
    await reaches(reference, failing.workflowId, 'Blocked');
    const cancelled = await call(
      'POST',
      `/schedules/${enc(reference)}/instances/${enc(failing.workflowId)}/cancel`,
    );
    expect(cancelled).toEqual({ status: 200, json: { success: true } });
    await reaches(reference, failing.workflowId, 'Aborted');
    await waitFor(
      async () =>
        (await instances(reference)).find((v) => v.instance_id === failing.workflowId)?.aborted?.by ===
        'alice',
      { description: 'the cancelled run names who cancelled it' },
    );
    expect((await instances(reference)).find((v) => v.instance_id === failing.workflowId)?.aborted).toEqual({
      reason: 'Scheduled run cancelled by alice',
      by: 'alice',
    });

    // Resubmitted: the original reads so; the new one links back, same triggered_at, a key of its own.
    world.receiver.script(200);
    const seen = world.requestsFor(reference).length;
    const resubmit = await call(
      'POST',
      `/schedules/${enc(reference)}/instances/${enc(slow.workflowId)}/resubmit`,
    );
    expect(resubmit.status).toBe(200);
    const newId = resubmit.json.instance_id as string;
    await reaches(reference, newId, 'Succeeded');
    await reaches(reference, slow.workflowId, 'Resubmitted');
    const all = await instances(reference, '?page_size=100');
    expect(all.find((v) => v.instance_id === newId)).toMatchObject({
      type: 'Resubmitted',
      resubmitted_from: slow.workflowId,
      submitter: 'alice',
      triggered_at: succeeded.triggered_at,
    });
    expect(all.find((v) => v.instance_id === slow.workflowId)?.resubmitted_as).toEqual([newId]);
    const requests = world.requestsFor(reference);
    const original = requests.find(
      (r) => (r.body as { triggered_at: string }).triggered_at === succeeded.triggered_at,
    )!;
    const redelivered = requests.slice(seen).at(-1)!;
    expect((redelivered.body as { triggered_at: string }).triggered_at).toBe(succeeded.triggered_at);
    expect(redelivered.headers['idempotency-key']).not.toBe(original.headers['idempotency-key']);

    // Filters and paging; the CLI reads the same.
    const page = await call('GET', `/schedules/${enc(reference)}/instances?page_size=2`);
    expect((page.json.instances as unknown[]).length).toBe(2);
    expect(page.json.next_page_token).toBe('2');
    const cli = spawnSync(
      process.execPath,
      [BIN, 'instances', '--solution', solution, '--reference', reference, '--status', 'Errored'],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, RUNBOOK_SCHEDULER_DATA_DIR: world.scheduler.settings.dataDir },
      },
    );
    expect(cli.stderr).toBe('');
    const fromCli = JSON.parse(cli.stdout) as { instances: InstanceView[] };
    expect(fromCli.instances.map((v) => v.instance_id)).toEqual([refused.workflowId]);
    const bad = await call('GET', `/schedules/${enc(reference)}/instances?status=Done`);
    expect(bad.status).toBe(422);
  } finally {
    await world.service.deleteSchedule(solution, { schedule_reference: reference });
  }
});
