/**
 * Workspace schedules on the real dev server (issue 11, FEATURES.md C1-C4): a fire runs skip-wait jobs at once
 * and the other jobs in groups of equal sequence numbers, lowest first, each group after the one before has
 * finished (read from the receivers' arrival times); a failed job stops the chain under the default policy and
 * not under `continue`; an integration sync round-trip keeps a local cadence; the 15-minute floor's message is
 * exact through the HTTP API; changes need the IntegrationAuthor role; the CLI shows a sync's progress.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { startHttpApi, type RunningHttpApi } from '../../src/api/http-api';
import { TriggerTemplate } from '../../src/catalog/model';
import { parseTokens } from '../../src/config';
import { ScheduleActionError } from '../../src/connector/errors';
import { Role, type Principal } from '../../src/principal';
import { RunMessages, WorkspaceMessages } from '../../src/workspace/errors';
import type { WorkspaceRunView } from '../../src/workspace/gateway';
import type { IntegrationDefinition } from '../../src/workspace/model';
import { syncIntegration, type SyncProgress } from '../../src/workspace/sync';
import { startHttpReceiver, uniqueId, waitFor, type HttpReceiver, type RecordedRequest } from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';

jest.setTimeout(180_000);

const BIN = path.join(__dirname, '..', '..', 'bin', 'runbook-scheduler.js');
/** Each receiver answers after this long, so a job's dispatch lasts at least this long. */
const ANSWER_DELAY_MS = 1500;

let scheduler: SchedulerFixture;
let api: RunningHttpApi;
let base: string;
const solution = uniqueId('ws');
const author: Principal = { solution, user: 'alice', roles: [Role.IntegrationAuthor] };
const reader: Principal = { solution, user: 'bob', roles: [] };
const authorToken = randomUUID();
const readerToken = randomUUID();
/** An IntegrationAuthor of another solution: it must not reach this solution's workspace. */
const otherToken = randomUUID();
const otherSolution = uniqueId('ws-other');
const receivers: HttpReceiver[] = [];

/** A day-unit cadence from tomorrow: it never fires during a test, runs are started by hand. */
function tomorrow(time = '09:00', interval = 1) {
  const date = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return { start_date: date, start_time: time, time_zone: 'UTC', interval, unit: 'day' as const };
}

beforeAll(async () => {
  scheduler = await startScheduler({
    settings: {
      dispatchRetry: {
        maximumAttempts: 3,
        initialIntervalMs: 100,
        backoffCoefficient: 1,
        maximumIntervalMs: 100,
      },
    },
  });
  api = await startHttpApi(
    scheduler.app.service,
    parseTokens(
      `${authorToken}=${solution}:alice:IntegrationAuthor,${readerToken}=${solution}:bob,` +
        `${otherToken}=${otherSolution}:mallory:IntegrationAuthor`,
    ),
    0,
    '127.0.0.1',
    { workspace: scheduler.app.workspace },
  );
  base = `http://127.0.0.1:${api.port}/v1`;
});

afterAll(async () => {
  await api?.close();
  for (const receiver of receivers) await receiver.close();
  await scheduler?.close();
});

/** A runbook of the solution whose HTTP receiver answers `status` after {@link ANSWER_DELAY_MS}. */
async function runbook(name: string, status = 200): Promise<{ uuid: string; receiver: HttpReceiver }> {
  const receiver = await startHttpReceiver();
  receivers.push(receiver);
  receiver.setDefault({ status, body: { ok: status < 300 }, delayMs: ANSWER_DELAY_MS });
  const uuid = randomUUID();
  await scheduler.app.service.registerRunbook({
    uuid,
    solution,
    name,
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: `${receiver.url}/${name}` },
  });
  return { uuid, receiver };
}

/** The first run of a key once it has closed. */
async function closedRun(key: string): Promise<WorkspaceRunView> {
  return await waitFor(
    async () => {
      const { runs } = await scheduler.app.workspace.runs(reader, key);
      const run = runs[0];
      return run && run.state !== 'Running' ? run : undefined;
    },
    { timeoutMs: 60_000, description: `a closed run of ${key}` },
  );
}

async function call(method: string, route: string, token: string, body?: unknown) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const arrival = (r: RecordedRequest) => r.receivedAt.getTime();

describe('a fire runs the jobs in the order the seed describes', () => {
  test('three groups with a parallel pair and a skip-wait job, each job its own dispatch and key', async () => {
    const [a, b, c, d, s] = await Promise.all(
      ['extract-a', 'extract-b', 'load', 'report', 'notify'].map((n) => runbook(n)),
    );
    const key = uniqueId('order').slice(0, 60);
    await scheduler.app.workspace.create(author, {
      key,
      description: 'Nightly ETL',
      cadence: tomorrow(),
      jobs: [
        { runbook_uuid: a!.uuid, sequence: 1 },
        { runbook_uuid: b!.uuid, sequence: 1 },
        { runbook_uuid: c!.uuid, sequence: 2 },
        { runbook_uuid: d!.uuid, sequence: 3 },
        { runbook_uuid: s!.uuid, sequence: 3, skip_wait: true, kind: 'flow' },
      ],
    });
    try {
      await scheduler.app.workspace.run(reader, key, {});
      const [ra, rb, rc, rd, rs] = await Promise.all(
        [a, b, c, d, s].map(async (j) => (await j!.receiver.waitForRequests(1, 60_000))[0]!),
      );
      // The pair and the skip-wait job start together at the fire.
      expect(Math.abs(arrival(ra!) - arrival(rb!))).toBeLessThan(1000);
      expect(Math.abs(arrival(ra!) - arrival(rs!))).toBeLessThan(1000);
      // Group 2 once both of group 1 answered; group 3 once group 2 answered; the skip-wait job long before.
      expect(arrival(rc!) - Math.max(arrival(ra!), arrival(rb!))).toBeGreaterThanOrEqual(
        ANSWER_DELAY_MS - 100,
      );
      expect(arrival(rd!) - arrival(rc!)).toBeGreaterThanOrEqual(ANSWER_DELAY_MS - 100);
      expect(arrival(rc!) - arrival(rs!)).toBeGreaterThanOrEqual(ANSWER_DELAY_MS - 100);

      const keys = [ra, rb, rc, rd, rs].map((r) => String(r!.headers['idempotency-key']));
      expect(new Set(keys).size).toBe(5);
      keys.forEach((k, i) => expect(k.endsWith(`/job-${i + 1}`)).toBe(true));
      expect(rc!.body).toMatchObject({ body: { workspace_schedule: key, job: 3, sequence: 2 } });

      const run = await closedRun(key);
      expect(run.state).toBe('Succeeded');
      expect(run.jobs.map((j) => [j.position, j.status])).toEqual(
        [1, 2, 3, 4, 5].map((p) => [p, 'succeeded']),
      );
      // Every job's start and outcome is in the run's history: one activity per job, by its position.
      const history = await scheduler.app.client.workflow.getHandle(run.workflow_id).fetchHistory();
      const events = history.events ?? [];
      const jobEvents = new Map<string, string>();
      for (const e of events) {
        const id = e.activityTaskScheduledEventAttributes?.activityId;
        if (id?.startsWith('job-')) jobEvents.set(String(e.eventId), id);
      }
      expect([...jobEvents.values()].sort()).toEqual(['job-1', 'job-2', 'job-3', 'job-4', 'job-5']);
      const completed = events
        .map((e) => e.activityTaskCompletedEventAttributes?.scheduledEventId)
        .filter((id) => id !== undefined && id !== null && jobEvents.has(String(id)));
      expect(completed).toHaveLength(5);

      // One job by hand: only its receiver hears of it.
      const one = await scheduler.app.workspace.run(reader, key, { job: 3 });
      await c!.receiver.waitForRequests(2, 30_000);
      await scheduler.app.client.workflow.getHandle(one.workflow_id!).result();
      expect(d!.receiver.requests).toHaveLength(1);
    } finally {
      await scheduler.app.workspace.delete(author, key);
    }
  });
});

describe('a failing job', () => {
  test('stops the chain by default: the run is Errored, naming the job that failed, those that ran and those not started', async () => {
    const [ok, bad, after] = await Promise.all([runbook('ok'), runbook('bad', 404), runbook('after')]);
    const key = uniqueId('stop').slice(0, 60);
    await scheduler.app.workspace.create(author, {
      key,
      description: 'Stops',
      cadence: tomorrow(),
      jobs: [
        { runbook_uuid: ok.uuid, sequence: 1 },
        { runbook_uuid: bad.uuid, sequence: 1 },
        { runbook_uuid: after.uuid, sequence: 2 },
      ],
    });
    try {
      await scheduler.app.workspace.run(reader, key, {});
      const run = await closedRun(key);
      expect(run.state).toBe('Errored');
      expect(run.jobs.map((j) => j.status)).toEqual(['succeeded', 'failed', 'not_started']);
      expect(after.receiver.requests).toHaveLength(0);
      const failure: unknown = await scheduler.app.client.workflow
        .getHandle(run.workflow_id)
        .result()
        .catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause?.message).toBe(
        RunMessages.errored(
          ['job 2 "bad" (sequence 1) (Runbook execution failed with status 404)'],
          ['job 1 "ok" (sequence 1)'],
          ['job 3 "after" (sequence 2)'],
        ),
      );
      expect((failure as WorkflowFailedError).cause?.message).toBe(
        'Workspace schedule run errored: job 2 "bad" (sequence 1) (Runbook execution failed with status 404) failed; ran: job 1 "ok" (sequence 1); not started: job 3 "after" (sequence 2)',
      );
    } finally {
      await scheduler.app.workspace.delete(author, key);
    }
  });

  test('with failure_policy "continue" every group still runs, and the run is Errored', async () => {
    const [bad, after] = await Promise.all([runbook('bad-c', 500), runbook('after-c')]);
    const key = uniqueId('cont').slice(0, 60);
    await scheduler.app.workspace.create(author, {
      key,
      description: 'Continues',
      cadence: tomorrow(),
      failure_policy: 'continue',
      jobs: [
        { runbook_uuid: bad.uuid, sequence: 1 },
        { runbook_uuid: after.uuid, sequence: 2 },
      ],
    });
    try {
      await scheduler.app.workspace.run(reader, key, {});
      const run = await closedRun(key);
      expect(run.state).toBe('Errored');
      expect(run.jobs.map((j) => j.status)).toEqual(['failed', 'succeeded']);
      // Its own retries: 3 attempts at a 500.
      expect(bad.receiver.requests).toHaveLength(3);
      expect(after.receiver.requests).toHaveLength(1);
    } finally {
      await scheduler.app.workspace.delete(author, key);
    }
  });
});

describe('managed schedules', () => {
  test('a sync round-trip keeps a local cadence, resets it, refuses job changes, and never touches unmanaged schedules', async () => {
    const job = await runbook('sync-job');
    const integration = `crm-${randomUUID().slice(0, 8)}`;
    const unmanagedKey = uniqueId('local').slice(0, 60);
    const definition = (
      cadenceTime: string,
      description: string,
      withSecond = true,
    ): IntegrationDefinition => ({
      integration,
      features: [
        {
          id: 'contacts',
          status: 'Onboarding',
          schedules: [
            {
              id: 'nightly',
              description,
              cadence: tomorrow(cadenceTime),
              jobs: [{ runbook_uuid: job.uuid, kind: 'service', sequence: 1, skip_wait: false }],
              failure_policy: 'stop',
            },
          ],
        },
        {
          id: 'billing',
          status: 'Active',
          schedules: withSecond
            ? [
                {
                  id: 'hourly',
                  description: 'Invoices',
                  cadence: { ...tomorrow('00:30'), unit: 'hour' as const, interval: 2 },
                  jobs: [{ runbook_uuid: job.uuid, kind: 'flow', sequence: 1, skip_wait: false }],
                  failure_policy: 'stop',
                },
              ]
            : [],
        },
      ],
    });
    const nightly = `${integration}~nightly`;
    const hourly = `${integration}~hourly`;
    const ws = scheduler.app.workspace;
    await ws.create(author, {
      key: unmanagedKey,
      description: 'Mine',
      cadence: tomorrow('07:00'),
      jobs: [{ runbook_uuid: job.uuid }],
    });
    try {
      const progress: SyncProgress[] = [];
      const first = await syncIntegration(ws, author, definition('09:00', 'Contacts'), (p) =>
        progress.push(p),
      );
      expect(first).toEqual({
        integration,
        created: [nightly, hourly],
        updated: [],
        removed: [],
        unchanged: [],
      });
      expect(progress.map((p) => `${p.done}/${p.total} ${p.action}`)).toEqual(['1/2 created', '2/2 created']);
      // Onboarding starts inactive; an Active feature's schedule is active with it.
      expect((await ws.get(reader, nightly)).state).toBe('Inactive');
      expect((await ws.get(reader, hourly)).state).toBe('Active');

      const again = await syncIntegration(ws, author, definition('09:00', 'Contacts'));
      expect(again).toEqual({
        integration,
        created: [],
        updated: [],
        removed: [],
        unchanged: [nightly, hourly],
      });

      // Only the cadence of a managed schedule may change locally.
      await expect(ws.update(author, nightly, { jobs: [{ runbook_uuid: job.uuid }] })).rejects.toThrow(
        WorkspaceMessages.managedField(nightly, integration, 'jobs'),
      );
      const local = await ws.update(author, nightly, { cadence: tomorrow('21:15') });
      expect(local.managed?.locally_modified).toBe(true);
      expect(local.cadence.start_time).toBe('21:15');

      // The integration changes its cadence and description: the description follows, the local cadence stays.
      const third = await syncIntegration(ws, author, definition('10:00', 'Contacts, v2'));
      expect(third.updated).toEqual([nightly]);
      const kept = await ws.get(reader, nightly);
      expect(kept.cadence.start_time).toBe('21:15');
      expect(kept.description).toBe('Contacts, v2');
      expect(kept.managed).toMatchObject({
        locally_modified: true,
        integration_cadence: { start_time: '10:00' },
      });
      expect(kept.next_run).toBeNull();

      const reset = await ws.resetCadence(author, nightly);
      expect(reset.cadence.start_time).toBe('10:00');
      expect(reset.managed?.locally_modified).toBe(false);

      // Onboarding: activated one by one; Active: follows the feature.
      expect((await ws.setActive(author, nightly, true)).state).toBe('Active');
      await expect(ws.setActive(author, hourly, false)).rejects.toThrow(
        WorkspaceMessages.followsFeature(hourly, 'billing'),
      );

      // Removed from the definition: removed from the workspace; the unmanaged schedule is untouched.
      const before = await ws.get(reader, unmanagedKey);
      const removal = await waitFor(async () => {
        const result = await syncIntegration(ws, author, definition('10:00', 'Contacts, v2', false));
        return result.removed.length > 0 || (await ws.list(reader)).every((v) => v.key !== hourly)
          ? result
          : undefined;
      });
      expect(removal.removed).toEqual([hourly]);
      await expect(ws.get(reader, hourly)).rejects.toThrow(WorkspaceMessages.notFound(hourly));
      expect(await ws.get(reader, unmanagedKey)).toEqual(before);

      const view = await ws.jobs(reader);
      expect(view.schedules.Onboarding.map((v) => v.key)).toEqual([nightly]);
      expect(view.schedules.workspace.map((v) => v.key)).toContain(unmanagedKey);
      expect(view.services.map((sv) => sv.uuid)).toContain(job.uuid);
    } finally {
      for (const key of [nightly, hourly, unmanagedKey]) await ws.delete(author, key);
    }
  });
});

describe('HTTP API', () => {
  test('the 15-minute floor refuses a faster cadence with the exact message', async () => {
    const job = await runbook('floor');
    const res = await call('POST', '/workspace/schedules', authorToken, {
      key: uniqueId('fast').slice(0, 60),
      description: 'Too fast',
      cadence: { ...tomorrow(), unit: 'minute', interval: 5 },
      jobs: [{ runbook_uuid: job.uuid }],
    });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({
      error: 'Workspace schedule input is invalid',
      details: ['Schedules cannot run more often than every 15 minutes'],
    });
  });

  test('adding needs the IntegrationAuthor role (403); reading needs only the solution', async () => {
    const job = await runbook('roles');
    const body = {
      key: uniqueId('roles').slice(0, 60),
      description: 'R',
      cadence: tomorrow(),
      jobs: [{ runbook_uuid: job.uuid }],
    };
    const refused = await call('POST', '/workspace/schedules', readerToken, body);
    expect(refused).toEqual({
      status: 403,
      json: { error: 'The IntegrationAuthor role is required to add a workspace schedule', details: [] },
    });
    const created = await call('POST', '/workspace/schedules', authorToken, body);
    expect(created.status).toBe(201);
    try {
      const read = await call('GET', `/workspace/schedules/${body.key}`, readerToken);
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({
        key: body.key,
        state: 'Active',
        cadence_text: `every day from ${body.cadence.start_date} 09:00 UTC`,
      });
      const jobs = await call('GET', '/workspace/jobs', readerToken);
      expect(jobs.status).toBe(200);
      expect((jobs.json.schedules as { workspace: { key: string }[] }).workspace.map((v) => v.key)).toContain(
        body.key,
      );
      const del = await call('DELETE', `/workspace/schedules/${body.key}`, readerToken);
      expect(del.status).toBe(403);
    } finally {
      await call('DELETE', `/workspace/schedules/${body.key}`, authorToken);
    }
  });
});

describe('tenancy', () => {
  test("another solution's author neither sees, runs, changes nor deletes a schedule, nor uses its runbooks", async () => {
    const job = await runbook('tenant');
    const key = uniqueId('tenant').slice(0, 60);
    const body = { key, description: 'T', cadence: tomorrow(), jobs: [{ runbook_uuid: job.uuid }] };
    expect((await call('POST', '/workspace/schedules', authorToken, body)).status).toBe(201);
    try {
      const before = await call('GET', `/workspace/schedules/${key}`, authorToken);
      expect((await call('GET', `/workspace/schedules/${key}`, otherToken)).status).toBe(404);
      expect((await call('POST', `/workspace/schedules/${key}/run`, otherToken, {})).status).toBe(404);
      // Delete is idempotent: it answers success and deletes nothing, since the key names no schedule there.
      expect((await call('DELETE', `/workspace/schedules/${key}`, otherToken)).status).toBe(200);
      const jobs = await call('GET', '/workspace/jobs', otherToken);
      expect(jobs.status).toBe(200);
      expect(JSON.stringify(jobs.json)).not.toContain(key);
      // Its runbook is not the other solution's to schedule, even under a key of its own.
      const borrowed = await call('POST', '/workspace/schedules', otherToken, { ...body, key: `${key}-b` });
      expect(borrowed.status).toBeGreaterThanOrEqual(400);
      expect(borrowed.status).toBeLessThan(500);
      expect((await call('GET', `/workspace/schedules/${key}-b`, otherToken)).status).toBe(404);
      // The owner's schedule is unchanged, and no request reached its receiver.
      expect(await call('GET', `/workspace/schedules/${key}`, authorToken)).toEqual(before);
      expect(job.receiver.requests).toHaveLength(0);
    } finally {
      await call('DELETE', `/workspace/schedules/${key}`, authorToken);
    }
  });
});

describe('CLI', () => {
  test('a sync prints its progress and syncing twice changes nothing', async () => {
    const job = await runbook('cli-sync');
    const integration = `cli-${randomUUID().slice(0, 8)}`;
    const definition = JSON.stringify({
      integration,
      features: [
        {
          id: 'f',
          status: 'Maintenance',
          schedules: ['a', 'b', 'c'].map((id) => ({
            id,
            description: id,
            cadence: tomorrow(),
            jobs: [{ runbook_uuid: job.uuid }],
          })),
        },
      ],
    });
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], {
        encoding: 'utf8',
        timeout: 90_000,
        env: {
          ...process.env,
          RUNBOOK_SCHEDULER_DATA_DIR: scheduler.settings.dataDir,
          TEMPORAL_TASK_QUEUE: scheduler.settings.taskQueue,
          RUNBOOK_SCHEDULER_ROLES: 'IntegrationAuthor',
        },
      });
    try {
      const first = cli('workspace-sync', '--solution', solution, '--definition', definition);
      expect(first.status).toBe(0);
      expect(first.stderr).toBe(
        ['a', 'b', 'c'].map((id, i) => `[${i + 1}/3] created ${integration}~${id}\n`).join(''),
      );
      expect(JSON.parse(first.stdout)).toMatchObject({
        created: [`${integration}~a`, `${integration}~b`, `${integration}~c`],
      });
      const second = cli('workspace-sync', '--solution', solution, '--definition', definition);
      expect(second.status).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ created: [], updated: [], removed: [] });
      expect(second.stderr).toContain(`[3/3] unchanged ${integration}~c`);
    } finally {
      for (const id of ['a', 'b', 'c']) await scheduler.app.workspace.delete(author, `${integration}~${id}`);
    }
  });

  test('without the role, a sync is refused before changing anything', () => {
    const result = spawnSync(
      process.execPath,
      [BIN, 'workspace-sync', '--solution', solution, '--definition', '{"integration":"x","features":[]}'],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          RUNBOOK_SCHEDULER_DATA_DIR: scheduler.settings.dataDir,
          RUNBOOK_SCHEDULER_ROLES: '',
        },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('The IntegrationAuthor role is required to sync an integration\n');
  });
});

test('errors are the connector action errors the APIs map', async () => {
  await expect(scheduler.app.workspace.get(reader, 'no-such-key')).rejects.toBeInstanceOf(
    ScheduleActionError,
  );
});
