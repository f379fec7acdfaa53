/**
 * Dispatch on the real dev server (FEATURES.md A3, A4, A6, F4, E2): every fire is a workflow run that POSTs the
 * A3 body with an Idempotency-Key through an activity with durable retries, records refusals on the schedule
 * and leaves the schedule running; workflow targets are started as child workflows correlated by their job
 * context identifier, and a second fire for a still running identifier is recorded as a duplicate.
 *
 * The service creates schedules with a short retry policy ({@link RETRY}), so retries take milliseconds.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  ApplicationFailure,
  CancelledFailure,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { TriggerTemplate, type DispatchTarget } from '../../src/catalog/model';
import { boundedIdentifier } from '../../src/dispatch/job-context';
import { dispatchFailureMessage } from '../../src/dispatch/outcome';
import { connectWorker } from '../../src/temporal/connection';
import type { DispatchRetryPolicy, ScheduledRunResult } from '../../src/temporal/run-input';
import { scheduleIdFor } from '../../src/temporal/schedules';
import { DISPATCH_STATUS, JOB_CONTEXT } from '../../src/temporal/search-attributes';
import { finishSignal, payloadQuery } from '../fixtures/runbook-workflows';
import {
  freePort,
  sleep,
  startHttpReceiver,
  uniqueId,
  waitFor,
  type HttpReceiver,
  type RecordedRequest,
} from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';

jest.setTimeout(120_000);

/** Four attempts, 200 ms apart. */
const RETRY: DispatchRetryPolicy = {
  maximumAttempts: 4,
  initialIntervalMs: 200,
  backoffCoefficient: 1,
  maximumIntervalMs: 200,
};
const TRIGGERED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let scheduler: SchedulerFixture;

beforeAll(async () => {
  scheduler = await startScheduler({ retry: RETRY });
});

afterAll(async () => {
  await scheduler?.close();
});

/** A schedule of a fresh Dynamic Scheduler runbook that fires daily from the day after tomorrow. */
interface TestSchedule {
  readonly solution: string;
  readonly reference: string;
  readonly runbookUuid: string;
  readonly scheduleId: string;
  delete(): Promise<void>;
}

async function createSchedule(
  target: DispatchTarget,
  options: { requestBody?: Record<string, unknown>; jobContextIdentifierPath?: string } = {},
): Promise<TestSchedule> {
  const solution = uniqueId('sol');
  const reference = uniqueId('ref');
  const runbookUuid = randomUUID();
  const { service } = scheduler.app;
  await service.registerRunbook({
    uuid: runbookUuid,
    solution,
    name: 'dispatch test runbook',
    trigger: {
      template: TriggerTemplate.DynamicScheduler,
      ...(options.jobContextIdentifierPath
        ? { job_context_identifier_path: options.jobContextIdentifierPath }
        : {}),
    },
    target,
  });
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
  return {
    solution,
    reference,
    runbookUuid,
    scheduleId: scheduleIdFor(solution, reference),
    delete: async () => void (await service.deleteSchedule(solution, { schedule_reference: reference })),
  };
}

/** The schedule's runs (most recent last), as the schedule itself reports them. */
async function recentRuns(schedule: TestSchedule): Promise<Array<{ workflowId: string; at: Date }>> {
  const description = await scheduler.app.client.schedule.getHandle(schedule.scheduleId).describe();
  return description.info.recentActions.map((action) => ({
    workflowId: action.action.workflow.workflowId,
    at: action.scheduledAt,
  }));
}

/**
 * Fires the schedule now (B2) and returns a handle on the run it started.
 *
 * Temporal names a triggered run after the whole second it was taken in, and silently drops a second trigger
 * taken in the same second (its run id is already taken), so consecutive fires here are at least a second
 * apart; see the report on `ScheduleGateway.trigger`.
 */
async function fire(schedule: TestSchedule): Promise<WorkflowHandle> {
  const before = await recentRuns(schedule);
  const last = before[before.length - 1];
  if (last) {
    const nextSecond = Math.floor(last.at.getTime() / 1000) * 1000 + 1_000;
    await sleep(Math.max(0, nextSecond + 200 - Date.now()));
  }
  const known = new Set(before.map((run) => run.workflowId));
  await scheduler.app.service.triggerSchedule(schedule.solution, { schedule_reference: schedule.reference });
  const id = await waitFor(
    async () => (await recentRuns(schedule)).find((run) => !known.has(run.workflowId))?.workflowId,
    { description: 'the triggered run' },
  );
  return scheduler.app.client.workflow.getHandle(id);
}

/** The ApplicationFailure a run failed with. */
async function failureOf(handle: WorkflowHandle): Promise<ApplicationFailure> {
  try {
    await handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure) return err.cause;
    throw err;
  }
  throw new Error(`run ${handle.workflowId} succeeded`);
}

async function dispatchStatusOf(handle: WorkflowHandle): Promise<string | undefined> {
  return (await handle.describe()).typedSearchAttributes.get(DISPATCH_STATUS);
}

/** The schedule is still active and still has its own next occurrence. */
async function expectScheduleGoesOn(schedule: TestSchedule, nextBefore: string[]): Promise<void> {
  const view = await scheduler.app.service.getSchedule(schedule.solution, {
    schedule_reference: schedule.reference,
  });
  expect(view?.paused).toBe(false);
  expect(view?.next_action_times.length).toBeGreaterThan(0);
  expect(view?.next_action_times[0]).toBe(nextBefore[0]);
}

async function nextActionTimes(schedule: TestSchedule): Promise<string[]> {
  const view = await scheduler.app.service.getSchedule(schedule.solution, {
    schedule_reference: schedule.reference,
  });
  return view?.next_action_times ?? [];
}

async function withReceiver<T>(fn: (receiver: HttpReceiver) => Promise<T>): Promise<T> {
  const receiver = await startHttpReceiver();
  try {
    return await fn(receiver);
  } finally {
    await receiver.close();
  }
}

function header(request: RecordedRequest | undefined, name: string): string | undefined {
  const value = request?.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

describe('HTTP dispatch', () => {
  test('503, 503, 200: three POSTs of the same body, triggered_at and Idempotency-Key; the run succeeds', async () => {
    await withReceiver(async (receiver) => {
      const schedule = await createSchedule(
        { kind: 'http', url: `${receiver.url}/hook` },
        { requestBody: { tenant_id: '42', schedule_reference: 'not mine' } },
      );
      try {
        receiver.script(503, 503, 200);
        const run = await fire(schedule);
        const result = (await run.result()) as ScheduledRunResult;
        const requests = await receiver.waitForRequests(3);
        expect(requests).toHaveLength(3);
        const [first] = requests;
        expect(first?.body).toEqual({
          body: { tenant_id: '42', schedule_reference: schedule.reference },
          triggered_at: result.triggeredAt,
        });
        expect(result.triggeredAt).toMatch(TRIGGERED_AT);
        for (const request of requests) {
          expect(request.method).toBe('POST');
          expect(request.rawBody).toBe(first?.rawBody);
          expect(header(request, 'idempotency-key')).toBe(result.idempotencyKey);
          expect(header(request, 'content-type')).toBe('application/json');
        }
        expect(result.idempotencyKey).toBe(
          `${schedule.scheduleId}/${(await scheduler.app.service.getSchedule(schedule.solution, { schedule_reference: schedule.reference }))?.generation}/${result.triggeredAt}`,
        );
        expect(result).toMatchObject({ status: 'succeeded', httpStatus: 200, jobContextIdentifier: null });
        expect(await dispatchStatusOf(run)).toBe('succeeded');
      } finally {
        await schedule.delete();
      }
    });
  });

  test('404: one POST, not retried; the failure is recorded on the schedule, which goes on', async () => {
    await withReceiver(async (receiver) => {
      const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` });
      try {
        const nextBefore = await nextActionTimes(schedule);
        receiver.script(404);
        const run = await fire(schedule);
        const failure = await failureOf(run);
        expect(failure.message).toBe('Runbook execution failed with status 404');
        expect(failure.message).toBe(dispatchFailureMessage(404));
        expect(failure.type).toBe('RunbookExecutionFailed');
        expect(failure.details?.[0]).toMatchObject({ status: 404, cause: 'HTTP 404 Not Found' });
        await sleep(2_000);
        expect(receiver.requests).toHaveLength(1);
        expect(await dispatchStatusOf(run)).toBe('failed');
        const view = await waitFor(async () => {
          const v = await scheduler.app.service.getSchedule(schedule.solution, {
            schedule_reference: schedule.reference,
          });
          return v?.last_error ? v : undefined;
        });
        const triggeredAt = (receiver.requests[0]?.body as { triggered_at: string }).triggered_at;
        expect(view.last_error).toBe(`${triggeredAt} Runbook execution failed with status 404`);
        await expectScheduleGoesOn(schedule, nextBefore);
      } finally {
        await schedule.delete();
      }
    });
  });

  test('429 is retried', async () => {
    await withReceiver(async (receiver) => {
      const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` });
      try {
        receiver.script(429, 200);
        const run = await fire(schedule);
        expect(await run.result()).toMatchObject({ status: 'succeeded', httpStatus: 200 });
        expect(receiver.requests).toHaveLength(2);
      } finally {
        await schedule.delete();
      }
    });
  });

  test('302: the redirect is not followed and is recorded as status 302', async () => {
    await withReceiver(async (elsewhere) => {
      await withReceiver(async (receiver) => {
        const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` });
        try {
          const nextBefore = await nextActionTimes(schedule);
          receiver.script({ status: 302, headers: { location: `${elsewhere.url}/moved` } });
          const run = await fire(schedule);
          const failure = await failureOf(run);
          expect(failure.message).toBe('Runbook execution failed with status 302');
          await sleep(1_000);
          expect(receiver.requests).toHaveLength(1);
          expect(elsewhere.requests).toHaveLength(0);
          await waitFor(async () => {
            const view = await scheduler.app.service.getSchedule(schedule.solution, {
              schedule_reference: schedule.reference,
            });
            return view?.last_error?.endsWith('Runbook execution failed with status 302');
          });
          await expectScheduleGoesOn(schedule, nextBefore);
        } finally {
          await schedule.delete();
        }
      });
    });
  });

  test('unreachable: retried up to the policy, then recorded with the cause beside it', async () => {
    const closedPort = await freePort();
    const schedule = await createSchedule({ kind: 'http', url: `http://127.0.0.1:${closedPort}/hook` });
    try {
      const run = await fire(schedule);
      const failure = await failureOf(run);
      expect(failure.message).toBe('Runbook execution failed with status unreachable');
      const detail = failure.details?.[0] as { status: unknown; cause: string; triggered_at: string };
      expect(detail.status).toBe('unreachable');
      expect(detail.cause).toMatch(/ECONNREFUSED/);
      expect(detail.triggered_at).toMatch(TRIGGERED_AT);
      // Only the last attempt's start is in the history; its number shows every attempt was made.
      const events = (await run.fetchHistory()).events ?? [];
      const scheduled = events.find(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'dispatchHttp',
      );
      const started = events.find(
        (e) =>
          String(e.activityTaskStartedEventAttributes?.scheduledEventId ?? '') === String(scheduled?.eventId),
      );
      expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(RETRY.maximumAttempts);
      await waitFor(async () => {
        const view = await scheduler.app.service.getSchedule(schedule.solution, {
          schedule_reference: schedule.reference,
        });
        return view?.last_error === `${detail.triggered_at} Runbook execution failed with status unreachable`;
      });
    } finally {
      await schedule.delete();
    }
  });

  test('no occurrence is dropped while an earlier one still retries (ALLOW_ALL)', async () => {
    await withReceiver(async (receiver) => {
      const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` });
      try {
        receiver.script({ status: 503, delayMs: 1_500 }, { status: 503, delayMs: 1_500 });
        const first = await fire(schedule);
        await receiver.waitForRequests(1);
        const second = await fire(schedule);
        expect(second.workflowId).not.toBe(first.workflowId);
        const results = (await Promise.all([first.result(), second.result()])) as ScheduledRunResult[];
        expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
        const keys = results.map((r) => r.idempotencyKey);
        expect(new Set(keys).size).toBe(2);
        const delivered = new Set(receiver.requests.map((r) => header(r, 'idempotency-key')));
        for (const key of keys) expect(delivered.has(key)).toBe(true);
      } finally {
        await schedule.delete();
      }
    });
  });

  test('cancelling a running dispatch ends the run cancelled; the schedule goes on', async () => {
    await withReceiver(async (receiver) => {
      const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` });
      try {
        const nextBefore = await nextActionTimes(schedule);
        receiver.script({ status: 200, delayMs: 25_000 });
        const run = await fire(schedule);
        await receiver.waitForRequests(1);
        await run.cancel();
        const error = await run.result().then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(error).toBeInstanceOf(WorkflowFailedError);
        expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
        const description = await run.describe();
        expect(description.status.name).toBe('CANCELLED');
        expect(description.typedSearchAttributes.get(DISPATCH_STATUS)).toBe('cancelled');
        await expectScheduleGoesOn(schedule, nextBefore);
        const view = await scheduler.app.service.getSchedule(schedule.solution, {
          schedule_reference: schedule.reference,
        });
        expect(view?.last_error).toBeNull();
        // The next fire dispatches as usual.
        const next = await fire(schedule);
        expect(await next.result()).toMatchObject({ status: 'succeeded' });
      } finally {
        await schedule.delete();
      }
    });
  });

  test('the run has a readable workflow id and a summary', async () => {
    await withReceiver(async (receiver) => {
      const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` });
      try {
        const run = await fire(schedule);
        await run.result();
        const generation = (
          await scheduler.app.service.getSchedule(schedule.solution, {
            schedule_reference: schedule.reference,
          })
        )?.generation;
        expect(run.workflowId).toMatch(
          new RegExp(
            `^rbs:${schedule.solution}:${schedule.reference}:${generation}-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$`,
          ),
        );
        const description = await run.describe();
        expect(await description.staticSummary()).toBe(
          `Runbook ${schedule.runbookUuid} fired by schedule "${schedule.reference}" (${schedule.solution})`,
        );
      } finally {
        await schedule.delete();
      }
    });
  });
});

describe('workflow targets', () => {
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueId('runbook-wf');

  beforeAll(async () => {
    connection = await connectWorker(scheduler.settings);
    worker = await Worker.create({
      connection,
      namespace: scheduler.settings.namespace,
      taskQueue,
      workflowsPath: path.join(__dirname, '..', 'fixtures', 'runbook-workflows.ts'),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
  });

  test('the runbook workflow gets the A3 payload; a second fire for a running identifier is a duplicate', async () => {
    const schedule = await createSchedule(
      { kind: 'workflow', workflowType: 'recordingRunbookWorkflow', taskQueue },
      { requestBody: { tenant_id: 42 }, jobContextIdentifierPath: 'body.tenant_id' },
    );
    const expectedId = `runbook-job:${schedule.solution}:${schedule.runbookUuid}:42`;
    const { client } = scheduler.app;
    try {
      const first = await fire(schedule);
      const started = (await first.result()) as ScheduledRunResult;
      expect(started).toMatchObject({
        status: 'succeeded',
        runbookWorkflowId: expectedId,
        jobContextIdentifier: '42',
      });
      expect((await first.describe()).typedSearchAttributes.get(JOB_CONTEXT)).toBe('42');
      const runbook = client.workflow.getHandle(expectedId);
      expect(await runbook.query(payloadQuery)).toEqual({
        body: { tenant_id: 42, schedule_reference: schedule.reference },
        triggered_at: started.triggeredAt,
      });

      const second = await fire(schedule);
      expect(await second.result()).toMatchObject({
        status: 'duplicate',
        runbookWorkflowId: expectedId,
        jobContextIdentifier: '42',
      });
      expect(await dispatchStatusOf(second)).toBe('duplicate');
      // Recorded under that name, findable in the UI's / CLI's list.
      await waitFor(
        async () => {
          const found: string[] = [];
          for await (const wf of client.workflow.list({
            query: `RunbookReference = "${schedule.reference}" AND RunbookDispatchStatus = "duplicate"`,
          })) {
            found.push(wf.workflowId);
          }
          return found.length === 1 && found[0] === second.workflowId;
        },
        { description: 'the duplicate run in visibility' },
      );

      // Once the runbook workflow has finished, the identifier is free again.
      await runbook.signal(finishSignal);
      await runbook.result();
      const third = await fire(schedule);
      expect(await third.result()).toMatchObject({ status: 'succeeded', runbookWorkflowId: expectedId });
      await client.workflow.getHandle(expectedId).signal(finishSignal);
    } finally {
      await schedule.delete();
      await client.workflow
        .getHandle(expectedId)
        .terminate('test cleanup')
        .catch(() => undefined); // already completed
    }
  });

  test('a huge identifier is bounded, so Temporal still accepts the run id and search attribute', async () => {
    const tenant = `tenant-${'x'.repeat(5_000)}`;
    const schedule = await createSchedule(
      { kind: 'workflow', workflowType: 'recordingRunbookWorkflow', taskQueue },
      { requestBody: { tenant }, jobContextIdentifierPath: 'tenant' },
    );
    const expectedId = `runbook-job:${schedule.solution}:${schedule.runbookUuid}:${boundedIdentifier(tenant)}`;
    const { client } = scheduler.app;
    try {
      const run = await fire(schedule);
      expect(await run.result()).toMatchObject({
        status: 'succeeded',
        runbookWorkflowId: expectedId,
        jobContextIdentifier: boundedIdentifier(tenant),
      });
      expect(await dispatchStatusOf(run)).toBe('succeeded');
    } finally {
      await schedule.delete();
      await client.workflow
        .getHandle(expectedId)
        .terminate('test cleanup')
        .catch(() => undefined); // already completed
    }
  });

  test('without an identifier each fire starts its own runbook workflow', async () => {
    const schedule = await createSchedule(
      { kind: 'workflow', workflowType: 'recordingRunbookWorkflow', taskQueue },
      { jobContextIdentifierPath: 'body.missing' },
    );
    const { client } = scheduler.app;
    const started: string[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const run = await fire(schedule);
        const result = (await run.result()) as ScheduledRunResult;
        expect(result).toMatchObject({ status: 'succeeded', jobContextIdentifier: null });
        started.push(result.runbookWorkflowId ?? '');
      }
      expect(new Set(started).size).toBe(2);
      for (const id of started) expect(id.startsWith(`runbook-job:${schedule.solution}:`)).toBe(true);
    } finally {
      await schedule.delete();
      for (const id of started) {
        await client.workflow
          .getHandle(id)
          .terminate('test cleanup')
          .catch(() => undefined); // already completed
      }
    }
  });
});
