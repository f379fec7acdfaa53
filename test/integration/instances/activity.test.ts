/**
 * An instance's activity stream and payloads on the real dev server (issue 10, point 7; FEATURES.md B7), through
 * the HTTP API and the CLI: a queued instance shows the schedule operations that touched it (`Schedule paused`,
 * `Schedule resumed`, with who); a run shows `Scheduled run is triggered`, `Scheduled run started processing` and
 * `Processing completed successfully`, or the A4 message when the runbook answers 500; an aborted one its
 * reason and who; the dispatched request (the target's header values redacted) and the runbook's answer are
 * served as JSON and as a download; another solution reads none of it.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startHttpApi, type RunningHttpApi } from '../../../src/api/http-api';
import { parseTokens } from '../../../src/config';
import type { ActivityEntry } from '../../../src/instances/activity-stream';
import type { InstanceView } from '../../../src/instances/list';
import { registerDynamicRunbook, useConnectorWorld } from '../connector-fixtures';
import { uniqueId, waitFor } from '../harness';

jest.setTimeout(180_000);

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'runbook-scheduler.js');
// Two attempts 1 s apart: a 500 fails the run quickly, after one retried attempt.
const world = useConnectorWorld({
  retry: { maximumAttempts: 2, initialIntervalMs: 1000, backoffCoefficient: 1, maximumIntervalMs: 1000 },
});
const alice = randomUUID();
const mallory = randomUUID();
const solution = uniqueId('act');
const secret = `Bearer ${randomUUID()}`;
let api: RunningHttpApi;

beforeAll(async () => {
  const { operations, instances } = world.scheduler.app;
  api = await startHttpApi(
    world.service,
    parseTokens(`${alice}=${solution}:alice,${mallory}=${uniqueId('other')}:mallory`),
    0,
    '127.0.0.1',
    { operations, instances },
  );
});
afterAll(async () => api?.close());

const enc = encodeURIComponent;
async function call(method: string, route: string, token = alice, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${api.port}/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: JSON.parse(text) as Record<string, unknown>,
  };
}
const instanceRoute = (reference: string, id: string, what: string) =>
  `/schedules/${enc(reference)}/instances/${enc(id)}/${what}`;

async function instance(reference: string, id: string): Promise<InstanceView | undefined> {
  const listed = await call('GET', `/schedules/${enc(reference)}/instances?page_size=100`);
  return (listed.json.instances as InstanceView[]).find((v) => v.instance_id === id);
}
async function activity(reference: string, id: string): Promise<ActivityEntry[]> {
  const res = await call('GET', instanceRoute(reference, id, 'activity'));
  expect(res.status).toBe(200);
  return (res.json as { entries: ActivityEntry[] }).entries;
}
/** Run now through the HTTP API, then waits until the instance closed reading `status`; returns its id. */
async function runNow(reference: string, status: string): Promise<string> {
  const run = await call('POST', `/schedules/${enc(reference)}/run-now`);
  expect(run.status).toBe(200);
  const id = run.json.workflow_id as string;
  // The status is upserted before the run closes; the stream is read once it closed.
  await waitFor(
    async () => {
      const view = await instance(reference, id);
      return view?.status === status && view.closed_at !== null;
    },
    {
      timeoutMs: 40_000,
      description: `${id} ${status}`,
    },
  );
  return id;
}
/** A lifecycle operation through the HTTP API, then waits until the schedule reads `state`. */
async function operate(reference: string, command: 'pause' | 'resume', state: string): Promise<void> {
  expect((await call('POST', `/schedules/${enc(reference)}/${command}`)).status).toBe(200);
  await waitFor(
    async () => (await call('GET', `/schedules/${enc(reference)}/status`)).json.status === state,
    {
      description: `schedule ${state}`,
    },
  );
}
function cli(...args: string[]): unknown {
  const out = spawnSync(process.execPath, [BIN, ...args, '--solution', solution], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, RUNBOOK_SCHEDULER_DATA_DIR: world.scheduler.settings.dataDir },
  });
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout) as unknown;
}

test('queued, succeeded and failed instances: their stream and payloads, through the HTTP API and the CLI', async () => {
  const reference = uniqueId('ref');
  const runbook = await registerDynamicRunbook(world.service, solution, {
    kind: 'http',
    url: `${world.receiver.url}/runbook`,
    headers: { Authorization: secret },
  });
  const created = await call('POST', '/schedules', alice, {
    runbook_uuid: runbook,
    schedule_reference: reference,
    schedule: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'UTC',
      time_of_day: '10:00',
      start_date: '2099-01-01',
    },
    request_body: { order: 'A-1' },
  });
  expect(created.status).toBe(201);
  try {
    // A queued instance touched by Pause and Resume, each by alice.
    await operate(reference, 'pause', 'Paused');
    await operate(reference, 'resume', 'Active');
    const queued = (await call('GET', `/schedules/${enc(reference)}/instances`)).json
      .instances as InstanceView[];
    expect(queued[0]?.status).toBe('Queued');
    const queuedStream = await activity(reference, queued[0]!.instance_id);
    expect(queuedStream.map((e) => [e.milestone, e.by])).toEqual([
      ['Schedule paused', 'alice'],
      ['Schedule resumed', 'alice'],
    ]);
    expect(Date.parse(queuedStream[0]!.time)).toBeLessThanOrEqual(Date.parse(queuedStream[1]!.time));
    expect(cli('activity', '--reference', reference, '--instance', queued[0]!.instance_id)).toMatchObject({
      status: 'Queued',
      entries: queuedStream,
    });
    const none = await call('GET', instanceRoute(reference, queued[0]!.instance_id, 'request'));
    expect(none).toMatchObject({
      status: 404,
      json: { error: 'This instance has not dispatched a request' },
    });

    // A run the runbook accepts: triggered, started processing (the request), completed (the answer).
    world.receiver.script({ status: 200, body: { accepted: true, job: 'J-7' } });
    const ok = await runNow(reference, 'Succeeded');
    const stream = await activity(reference, ok);
    expect(stream.map((e) => [e.milestone, e.by, e.payloads])).toEqual([
      ['Scheduled run is triggered', 'alice', []],
      ['Scheduled run started processing', 'alice', ['request']],
      ['Processing completed successfully', 'alice', ['response']],
    ]);
    const times = stream.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const received = world.requestsFor(reference).at(-1)!;
    const request = await call('GET', instanceRoute(reference, ok, 'request'));
    expect(request.status).toBe(200);
    expect(request.json).toMatchObject({
      method: 'POST',
      url: `${world.receiver.url}/runbook`,
      headers: { authorization: '[redacted]', 'idempotency-key': received.headers['idempotency-key'] },
      body: received.body,
    });
    expect(request.text).not.toContain(secret);
    expect(request.headers.get('content-disposition')).toBeNull();
    const response = await call('GET', instanceRoute(reference, ok, 'response'));
    expect(response.json).toMatchObject({
      status: 200,
      body: { accepted: true, job: 'J-7' },
      truncated: false,
    });
    const download = await call('GET', `${instanceRoute(reference, ok, 'response')}?download=true`);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=".+-response\.json"$/);
    expect(download.json).toEqual(response.json);
    const badDownload = await call('GET', `${instanceRoute(reference, ok, 'request')}?download=maybe`);
    expect(badDownload).toMatchObject({ status: 422, json: { error: 'download must be true or false' } });
    const fromCli = cli(
      'instance-payload',
      '--reference',
      reference,
      '--instance',
      ok,
      '--payload',
      'request',
    );
    expect(fromCli).toEqual(request.json);
    expect(JSON.stringify(fromCli)).not.toContain(secret);

    // A run the runbook answers 500, twice: the retried attempt, then the failure with the A4 message.
    world.receiver.script(
      { status: 500, body: { error: 'disk full' } },
      { status: 500, body: { error: 'disk full' } },
    );
    const failed = await runNow(reference, 'Errored');
    const failure = await activity(reference, failed);
    expect(failure.map((e) => [e.milestone, e.reason])).toEqual([
      ['Scheduled run is triggered', null],
      ['Scheduled run started processing', null],
      ['Dispatch attempt failed', 'Runbook execution failed with status 500'],
      ['Processing failed', 'Runbook execution failed with status 500'],
    ]);
    expect(cli('activity', '--reference', reference, '--instance', failed)).toMatchObject({
      entries: failure,
    });
    const answer = await call('GET', instanceRoute(reference, failed, 'response'));
    expect(answer.json).toMatchObject({ status: 500, body: { error: 'disk full' } });

    // The queued instance aborted: after the operations that touched it, the abort with its reason and who.
    const queuedId = queued[0]!.instance_id;
    expect((await call('POST', instanceRoute(reference, queuedId, 'abort'))).status).toBe(200);
    const aborted = await waitFor(
      async () => {
        const entries = await activity(reference, queuedId);
        return entries.at(-1)?.milestone === 'Instance aborted' ? entries : undefined;
      },
      { description: 'the abort in the stream' },
    );
    expect(aborted.map((e) => [e.milestone, e.reason, e.by])).toEqual([
      ['Schedule paused', null, 'alice'],
      ['Schedule resumed', null, 'alice'],
      ['Instance aborted', 'Instance aborted by alice', 'alice'],
    ]);
    // The next occurrence is queued; a Pause after the abort touched it, the earlier operations did not.
    await operate(reference, 'pause', 'Paused');
    const next = (await call('GET', `/schedules/${enc(reference)}/instances`)).json
      .instances as InstanceView[];
    expect(next[0]).toMatchObject({ status: 'Paused' });
    expect(next[0]?.instance_id).not.toBe(queuedId);
    const nextStream = await activity(reference, next[0]!.instance_id);
    expect(nextStream.map((e) => [e.milestone, e.by])).toEqual([['Schedule paused', 'alice']]);

    // Another solution reads nothing of it: 404, as for an instance that does not exist.
    for (const what of ['activity', 'request', 'response']) {
      const foreign = await call('GET', instanceRoute(reference, ok, what), mallory);
      expect(foreign).toMatchObject({ status: 404, json: { error: 'Instance not found' } });
    }
    const unknown = await call('GET', instanceRoute(reference, `${ok}-nope`, 'activity'));
    expect(unknown).toMatchObject({ status: 404, json: { error: 'Instance not found' } });
  } finally {
    await world.service.deleteSchedule(solution, { schedule_reference: reference });
  }
});
