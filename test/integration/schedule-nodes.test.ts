/**
 * The schedule service with its schedule nodes on the real dev server (FEATURES.md D1-D5, issue 12), through the
 * HTTP API (JSON and XML forms), the CLI and the client API: one pending run per node (earlier replaces, later
 * is ignored), query and cancel, each error number with its exact answer, runs that act as the caller, node
 * errors that block until cleared, deletion that cancels, and 200 concurrent schedules on one node.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { startHttpApi, type RunningHttpApi } from '../../src/api/http-api';
import { TriggerTemplate } from '../../src/catalog/model';
import { parseTokens } from '../../src/config';
import { TemporalNodeGateway } from '../../src/nodes/node-gateway';
import { nodeWorkflowId } from '../../src/nodes/node-ids';
import { SqliteScheduleNodeStore } from '../../src/nodes/node-store';
import { ScheduleNodeService } from '../../src/nodes/schedule-service';
import { formatScheduleTimestamp } from '../../src/nodes/timing';
import { startHttpReceiver, uniqueId, waitFor, type HttpReceiver } from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';

jest.setTimeout(180_000);

const execFileAsync = promisify(execFile);
const EventType = temporal.api.enums.v1.EventType;
const BIN = path.join(__dirname, '..', '..', 'bin', 'runbook-scheduler.js');
const FAST_RETRY = {
  maximumAttempts: 2,
  initialIntervalMs: 100,
  backoffCoefficient: 1,
  maximumIntervalMs: 100,
};

let scheduler: SchedulerFixture;
let api: RunningHttpApi;
let receiver: HttpReceiver;
let base: string;
let runbook: string;
const solution = uniqueId('nodes');
const other = uniqueId('nodes-other');
const alice = randomUUID();
const bob = randomUUID();
const root = randomUUID();
const carol = randomUUID();

beforeAll(async () => {
  scheduler = await startScheduler({ settings: { dispatchRetry: FAST_RETRY } });
  receiver = await startHttpReceiver();
  api = await startHttpApi(
    scheduler.app.service,
    parseTokens(
      `${alice}=${solution}:alice,${bob}=${solution}:bob,${root}=${solution}:root:ServiceAdministrator,${carol}=${other}:carol`,
    ),
    0,
    '127.0.0.1',
    { nodes: scheduler.app.nodes },
  );
  base = `http://127.0.0.1:${api.port}/v1`;
  runbook = randomUUID();
  await scheduler.app.service.registerRunbook({
    uuid: runbook,
    solution,
    name: 'node runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: `${receiver.url}/node-hook` },
  });
});

afterAll(async () => {
  await api?.close();
  await receiver?.close();
  await scheduler?.close();
});

async function call(method: string, route: string, token: string | undefined, body?: unknown) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function xml(token: string | undefined, text: string) {
  const res = await fetch(`${base}/schedule-service/xml`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: text,
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Registers a node as alice; returns its identifier. */
async function registerNode(slug: string, admins?: string[]): Promise<string> {
  const identifier = uniqueId(slug);
  const res = await call('POST', '/nodes', alice, {
    identifier,
    reference: `ref-${identifier}`,
    ...(admins ? { admins } : {}),
  });
  expect(res.status).toBe(201);
  return identifier;
}

const service = () => ({ runbook_uuid: runbook, request_body: { tenant_id: '42' } });
const inMinutes = (minutes: number) => formatScheduleTimestamp(new Date(Date.now() + minutes * 60_000));
const schedule = (token: string, node: string, body: Record<string, unknown> = {}) =>
  call('POST', '/schedule-service', token, { nodeIdentifierSchedule: node, service: service(), ...body });
const query = (node: string) =>
  call('POST', '/schedule-service', alice, { action: 'query', nodeIdentifierSchedule: node });

/** Runs the CLI without blocking this process, whose worker must answer the CLI's updates meanwhile. */
async function cli(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args, '--solution', solution], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        RUNBOOK_SCHEDULER_DATA_DIR: scheduler.settings.dataDir,
        TEMPORAL_TASK_QUEUE: scheduler.settings.taskQueue,
        ...env,
      },
    });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the node registry', () => {
  test('identifier and reference are unique per solution; another solution sees none of them', async () => {
    const identifier = await registerNode('reg');
    const again = await call('POST', '/nodes', alice, { identifier, reference: 'something-else' });
    expect(again).toEqual({
      status: 409,
      json: { error: 'Schedule node identifier must be unique per solution', details: [] },
    });
    const sameRef = await call('POST', '/nodes', alice, {
      identifier: uniqueId('x'),
      reference: `ref-${identifier}`,
    });
    expect(sameRef.json.error).toBe('Schedule node reference must be unique per solution');
    const got = await call('GET', `/nodes/${encodeURIComponent(identifier)}`, alice);
    expect(got.json).toMatchObject({
      identifier,
      reference: `ref-${identifier}`,
      admins: ['alice'],
      state: null,
    });
    expect((await call('GET', `/nodes/${encodeURIComponent(identifier)}`, carol)).status).toBe(404);
    expect((await call('GET', '/nodes', carol)).json).toEqual({ nodes: [] });
    const bad = await call('POST', '/nodes', alice, { identifier: '', reference: 'r' });
    expect(bad).toEqual({
      status: 422,
      json: {
        error: 'Failed to register schedule node: ["identifier must not be empty"]',
        details: ['identifier must not be empty'],
      },
    });
  });
});

describe('schedule, query and cancel (D1-D3)', () => {
  test('an earlier request replaces the pending run, a later or equal one is ignored; cancel removes it', async () => {
    const node = await registerNode('d2');
    const later = inMinutes(60);
    const earlier = inMinutes(30);
    expect(await schedule(alice, node, { scheduleTimestamp: later })).toEqual({
      status: 200,
      json: { errorNumber: 0, scheduleTimestamp: later },
    });
    expect((await schedule(alice, node, { scheduleTimestamp: later })).json).toEqual({ errorNumber: 0 });
    expect((await schedule(alice, node, { scheduleTimestamp: inMinutes(90) })).json).toEqual({
      errorNumber: 0,
    });
    expect((await schedule(alice, node, { scheduleTimestamp: earlier })).json).toEqual({
      errorNumber: 0,
      scheduleTimestamp: earlier,
    });
    expect((await query(node)).json).toEqual({ errorNumber: 0, scheduleTimestamp: earlier });
    // The reference names the same node; given both, the identifier wins.
    const byReference = await call('POST', '/schedule-service', alice, {
      action: 'query',
      nodeVersionReferenceSchedule: `ref-${node}`,
    });
    expect(byReference.json).toEqual({ errorNumber: 0, scheduleTimestamp: earlier });
    const both = await call('POST', '/schedule-service', alice, {
      action: 'query',
      nodeIdentifierSchedule: node,
      nodeVersionReferenceSchedule: 'ref-of-no-node',
    });
    expect(both.json).toEqual({ errorNumber: 0, scheduleTimestamp: earlier });
    // A delay is added to the timestamp.
    const base = new Date(Date.now() + 10 * 60_000);
    const delayed = await schedule(alice, node, {
      scheduleTimestamp: formatScheduleTimestamp(base),
      delay: 1.5,
    });
    expect(delayed.json).toEqual({
      errorNumber: 0,
      scheduleTimestamp: formatScheduleTimestamp(new Date(base.getTime() + 1500)),
    });

    expect(
      (await call('POST', '/schedule-service', alice, { action: 'cancel', nodeIdentifierSchedule: node }))
        .json,
    ).toEqual({ errorNumber: 0 });
    expect((await query(node)).json).toEqual({ errorNumber: 0 });
    expect(
      (await call('POST', '/schedule-service', alice, { action: 'cancel', nodeIdentifierSchedule: node }))
        .json,
    ).toEqual({ errorNumber: 0 });

    // Visible in the Web UI by the existing search attributes.
    const listed = await waitFor(async () => {
      const ids: string[] = [];
      for await (const info of scheduler.app.client.workflow.list({
        query: `RunbookSolution = '${solution}' AND RunbookReference = '${node}'`,
      }))
        ids.push(info.workflowId);
      return ids.length === 1 ? ids : undefined;
    });
    expect(listed).toEqual([nodeWorkflowId(solution, node)]);
  });
});

describe('error numbers (D4)', () => {
  test('101 without admin authority; ServiceAdministrator and listed admins have it', async () => {
    const node = await registerNode('auth', ['dave']);
    expect(await schedule(bob, node, { delay: 600 })).toEqual({
      status: 403,
      json: {
        errorNumber: 101,
        errorMessage: `Not authorised: admin authority over schedule node "${node}" is required`,
      },
    });
    expect((await schedule(root, node, { delay: 600 })).json.errorNumber).toBe(0);
    expect((await call('DELETE', `/nodes/${encodeURIComponent(node)}`, bob)).json.error).toBe(
      `Admin authority over schedule node "${node}" is required`,
    );
  });

  test('102 for a node that does not exist, or exists only in another solution', async () => {
    const node = await registerNode('nf');
    const expected = {
      status: 404,
      json: { errorNumber: 102, errorMessage: 'Not found: schedule node not found' },
    };
    expect(await schedule(alice, uniqueId('missing'), { delay: 60 })).toEqual(expected);
    expect(await schedule(carol, node, { delay: 60 })).toEqual(expected);
  });

  test('103 names the parameter: timestamp, maximumDelay, service, credentials, password, unknown action', async () => {
    const node = await registerNode('param');
    const problem = async (body: Record<string, unknown>) => {
      const res = await call('POST', '/schedule-service', alice, { nodeIdentifierSchedule: node, ...body });
      expect(res.status).toBe(422);
      expect(res.json.errorNumber).toBe(103);
      return res.json.errorMessage;
    };
    expect(await problem({ scheduleTimestamp: '2026-13-01T00:00:00.000', service: service() })).toBe(
      'Parameter error: scheduleTimestamp must be a UTC timestamp yyyy-mm-ddThh:mm:ss.sss',
    );
    expect(await problem({ delay: 864_001, service: service() })).toBe(
      'Parameter error: scheduleTimestamp plus delay must lie within maximumDelay (864000 seconds) of now',
    );
    expect(await problem({ delay: 5 })).toBe('Parameter error: service is required for action schedule');
    expect(
      await problem({ service: { runbook_uuid: runbook, request_body: { db: { password: 'x' } } } }),
    ).toBe('Parameter error: service must not contain credentials (service.request_body.db.password)');
    expect(
      await problem({
        service: { runbook_uuid: runbook, request_body: { hook: 'https://u:p@example.com/' } },
      }),
    ).toBe('Parameter error: service must not contain credentials (service.request_body.hook)');
    expect(await problem({ password: 'secret', service: service() })).toBe(
      'Parameter error: password is not accepted: authenticate with the bearer token',
    );
    expect(await problem({ action: 'run' })).toBe(
      'Parameter error: action must be schedule, cancel or query',
    );
    expect(await problem({ service: { runbook_uuid: randomUUID() } })).toBe(
      'Parameter error: service.runbook_uuid names no runbook of this solution',
    );
    expect((await call('POST', '/schedule-service', alice, { delay: 1 })).json.errorMessage).toBe(
      'Parameter error: nodeIdentifierSchedule or nodeVersionReferenceSchedule is required',
    );
    expect((await query(node)).json).toEqual({ errorNumber: 0 });
  });

  test('110 once the solution has its limit of pending runs; a node already pending may still replace', async () => {
    const { app, settings } = scheduler;
    const store = new SqliteScheduleNodeStore(settings.dataDir);
    const limited = new ScheduleNodeService({
      store,
      gateway: new TemporalNodeGateway(app.client, settings.taskQueue),
      catalog: app.catalog,
      targets: { workflowTargets: new Map(), productTaskQueue: settings.taskQueue },
      retry: FAST_RETRY,
      now: () => new Date(),
      maximumDelaySeconds: 864_000,
      pendingLimit: 1,
    });
    const tenant = uniqueId('cap');
    const principal = { solution: tenant, user: 'alice', roles: [] };
    const limitedRunbook = randomUUID();
    await app.service.registerRunbook({
      uuid: limitedRunbook,
      solution: tenant,
      name: 'capacity',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: `${receiver.url}/cap` },
    });
    try {
      for (const identifier of ['first', 'second'])
        await limited.registerNode(principal, { identifier, reference: identifier });
      const request = (node: string, minutes: number) => ({
        nodeIdentifierSchedule: node,
        scheduleTimestamp: inMinutes(minutes),
        service: { runbook_uuid: limitedRunbook },
      });
      expect((await limited.scheduleService(principal, request('first', 60))).errorNumber).toBe(0);
      await waitFor(
        async () => (await limited.scheduleService(principal, request('second', 60))).errorNumber === 110,
      );
      expect(await limited.scheduleService(principal, request('second', 60))).toEqual({
        errorNumber: 110,
        errorMessage:
          'Temporary error: unable to accept more scheduled jobs (the solution has its limit of 1 pending runs)',
      });
      const earlier = request('first', 30);
      expect(await limited.scheduleService(principal, earlier)).toEqual({
        errorNumber: 0,
        scheduleTimestamp: earlier.scheduleTimestamp,
      });
    } finally {
      for (const identifier of ['first', 'second'])
        await limited.deleteNode(principal, identifier).catch(() => undefined);
      await store.close();
    }
  });

  test('a failed run sets the error members and blocks schedule with 106; a later success keeps it; clearing lifts it', async () => {
    const node = await registerNode('err');
    const seen = receiver.requests.length;
    // The first run fails slowly, so a second can be scheduled while it dispatches (nothing is pending then).
    receiver.script({ status: 404, delayMs: 2_000 });
    expect((await schedule(alice, node)).json.errorNumber).toBe(0);
    await waitFor(() => receiver.requests.length > seen || undefined);
    const second = await schedule(alice, node, { delay: 0.5 });
    expect(second.json.errorNumber).toBe(0);
    const failed = await waitFor(async () => {
      const view = (await call('GET', `/nodes/${encodeURIComponent(node)}`, alice)).json as {
        state: { error: { message: string } | null; lastRun: { status: string } | null };
      };
      return view.state.lastRun?.status === 'succeeded' ? view : undefined;
    });
    expect(failed.state.error).toMatchObject({
      message: 'Runbook execution failed with status 404',
      runbookUuid: runbook,
    });
    expect(await schedule(alice, node, { delay: 60 })).toEqual({
      status: 409,
      json: {
        errorNumber: 106,
        errorMessage: `Rejected due to existing errors: schedule node "${node}" has an error set; clear it first`,
      },
    });
    expect((await call('POST', `/nodes/${encodeURIComponent(node)}/clear-error`, alice)).json).toEqual({
      cleared: true,
    });
    expect((await schedule(alice, node, { delay: 60 })).json.errorNumber).toBe(0);
  });
});

describe('runs (D5)', () => {
  test('a run dispatches once, as the caller, without credentials in its history; deleting a node cancels its run', async () => {
    const node = await registerNode('run');
    const seen = receiver.requests.length;
    const answer = await schedule(alice, node, { delay: 0.5 });
    const [request] = (await receiver.waitForRequests(seen + 1)).slice(seen);
    expect(request?.path).toBe('/node-hook');
    expect(request?.body).toMatchObject({
      body: { tenant_id: '42', schedule_reference: node },
      schedule_node: node,
      schedule_timestamp: new Date(`${String(answer.json.scheduleTimestamp)}Z`).toISOString(),
      user: 'alice',
    });
    expect(request?.headers['idempotency-key']).toMatch(/^rbs-node:/);

    const doomed = await registerNode('deleted');
    const pending = await schedule(alice, doomed, { delay: 2 });
    expect(pending.json.errorNumber).toBe(0);
    expect((await call('DELETE', `/nodes/${encodeURIComponent(doomed)}`, alice)).json).toEqual({
      success: true,
      cancelled: true,
    });
    const handle = scheduler.app.client.workflow.getHandle(nodeWorkflowId(solution, doomed));
    const events = await waitFor(async () => {
      const history = await handle.fetchHistory();
      const types = (history.events ?? []).map((e) => e.eventType);
      return types.includes(EventType.EVENT_TYPE_TIMER_CANCELED) ? types : undefined;
    });
    expect(events).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    expect((await schedule(alice, doomed, { delay: 5 })).json.errorNumber).toBe(102);
  });
});

describe('contention (issue 12.7)', () => {
  test('200 concurrent schedules on one node leave one pending run at the earliest time, and it runs once', async () => {
    const node = await registerNode('race');
    const seen = receiver.requests.filter((r) => r.path === '/race').length;
    const raceRunbook = randomUUID();
    await scheduler.app.service.registerRunbook({
      uuid: raceRunbook,
      solution,
      name: 'race',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: `${receiver.url}/race` },
    });
    const start = Date.now() + 25_000;
    const times = Array.from({ length: 200 }, () =>
      formatScheduleTimestamp(new Date(start + Math.floor(Math.random() * 20_000))),
    );
    const began = Date.now();
    const answers = await Promise.all(
      times.map((scheduleTimestamp) =>
        call('POST', '/schedule-service', alice, {
          nodeIdentifierSchedule: node,
          scheduleTimestamp,
          service: { runbook_uuid: raceRunbook },
        }),
      ),
    );
    console.log(`200 concurrent schedules answered in ${Date.now() - began} ms`);
    expect(answers.filter((a) => a.status !== 200 || a.json.errorNumber !== 0)).toEqual([]);
    const earliest = [...times].sort()[0];
    expect((await query(node)).json).toEqual({ errorNumber: 0, scheduleTimestamp: earliest });
    const races = () => receiver.requests.filter((r) => r.path === '/race');
    await waitFor(() => races().length > seen || undefined, { timeoutMs: 60_000 });
    await waitFor(async () => {
      const view = (await call('GET', `/nodes/${encodeURIComponent(node)}`, alice)).json as {
        state: { lastRun: { scheduleTimestamp: string } | null; pending: unknown };
      };
      return view.state.lastRun !== null && view.state.pending === null;
    });
    expect(races().length - seen).toBe(1);
    expect(races()[seen]?.body).toMatchObject({ schedule_timestamp: `${earliest}Z` });
  });
});

describe('the XML form and the CLI', () => {
  test('XML schedule and query answer in XML; password, DOCTYPE and malformed XML are 103; no token is 401', async () => {
    const node = await registerNode('xml');
    const at = inMinutes(45);
    const request = (extra = '') =>
      `<ScheduleService>${extra}<action>schedule</action><nodeIdentifierSchedule>${node}</nodeIdentifierSchedule>` +
      `<nodeVersionReferenceSchedule/><scheduleTimestamp>${at}</scheduleTimestamp><delay></delay>` +
      `<service><runbook_uuid>${runbook}</runbook_uuid><request_body><tenant_id>42</tenant_id></request_body></service></ScheduleService>`;
    const ok = await xml(alice, request());
    expect(ok.status).toBe(200);
    expect(ok.type).toContain('application/xml');
    expect(ok.text).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ScheduleServiceResponse><errorNumber>0</errorNumber><scheduleTimestamp>${at}</scheduleTimestamp></ScheduleServiceResponse>\n`,
    );
    const queried = await xml(
      alice,
      `<ScheduleService><action>query</action><nodeIdentifierSchedule>${node}</nodeIdentifierSchedule></ScheduleService>`,
    );
    expect(queried.text).toContain(`<scheduleTimestamp>${at}</scheduleTimestamp>`);
    expect((await xml(alice, request('<password>password</password>'))).text).toContain(
      '<errorNumber>103</errorNumber><errorMessage>Parameter error: password is not accepted: authenticate with the bearer token</errorMessage>',
    );
    const entity = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ScheduleService><action>&e;</action></ScheduleService>`;
    expect((await xml(alice, entity)).text).toContain(
      '<errorMessage>Parameter error: the request must not contain a DOCTYPE or entity declarations</errorMessage>',
    );
    expect((await xml(alice, '<ScheduleService><action>')).text).toContain('<errorNumber>103</errorNumber>');
    expect((await xml(undefined, request())).status).toBe(401);
  });

  test('the CLI registers a node, schedules, queries and answers refusals with their numbers', async () => {
    const identifier = uniqueId('cli');
    const asAlice = { RUNBOOK_SCHEDULER_USER: 'alice' };
    const registered = await cli(
      asAlice,
      'node-register',
      '--input',
      JSON.stringify({ identifier, reference: `ref-${identifier}` }),
    );
    expect(registered.status).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({ identifier, admins: ['alice'] });
    const at = inMinutes(20);
    const scheduled = await cli(
      asAlice,
      'schedule-service',
      '--input',
      JSON.stringify({
        nodeIdentifierSchedule: identifier,
        scheduleTimestamp: at,
        service: { runbook_uuid: runbook },
      }),
    );
    expect(scheduled).toMatchObject({
      stderr: '',
      status: 0,
      stdout: `{"errorNumber":0,"scheduleTimestamp":"${at}"}\n`,
    });
    const got = await cli(asAlice, 'node-get', '--node', identifier);
    expect(JSON.parse(got.stdout)).toMatchObject({
      state: { pending: { user: 'alice', runbookUuid: runbook } },
    });
    const refused = await cli(
      { RUNBOOK_SCHEDULER_USER: 'bob' },
      'schedule-service',
      '--input',
      JSON.stringify({ nodeIdentifierSchedule: identifier, action: 'query' }),
    );
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stderr)).toEqual({
      errorNumber: 101,
      errorMessage: `Not authorised: admin authority over schedule node "${identifier}" is required`,
    });
    const invalid = await cli(
      asAlice,
      'schedule-service',
      '--input',
      JSON.stringify({ nodeIdentifierSchedule: identifier, delay: -1 }),
    );
    expect(invalid.status).toBe(2);
    expect(JSON.parse(invalid.stderr)).toEqual({
      errorNumber: 103,
      errorMessage: 'Parameter error: delay must not be negative',
    });
    expect(await cli(asAlice, 'node-delete', '--node', identifier)).toMatchObject({ status: 0 });
  });
});
