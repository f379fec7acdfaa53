/**
 * Dispatch on the real dev server (FEATURES.md A3, A4, A6, F4, E2): every fire is a workflow run that POSTs the
 * A3 body with an Idempotency-Key through an activity with durable retries, records refusals on the schedule
 * and leaves the schedule running; workflow targets are started as child workflows correlated by their job
 * context identifier, and a second fire for a still running identifier is recorded as a duplicate.
 *
 * The service creates schedules with a short retry policy ({@link RETRY}), so retries take milliseconds.
 */
import path from 'node:path';
import {
  ApplicationFailure,
  CancelledFailure,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { DispatchTarget } from '../../src/catalog/model';
import type { ScheduleView } from '../../src/connector/scheduler-service';
import { boundedIdentifier } from '../../src/dispatch/job-context';
import { dispatchFailureMessage } from '../../src/dispatch/outcome';
import { connectWorker } from '../../src/temporal/connection';
import type { DispatchRetryPolicy, ScheduledRunResult } from '../../src/temporal/run-input';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { DISPATCH_STATUS, JOB_CONTEXT } from '../../src/temporal/search-attributes';
import { finishSignal, payloadQuery } from '../fixtures/runbook-workflows';
import { createDailySchedule, fireNow, type DailyScheduleOptions } from './connector-fixtures';
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

/** Options of {@link createSchedule}. */
type ScheduleOptions = Pick<DailyScheduleOptions, 'requestBody' | 'jobContextIdentifierPath'>;

async function createSchedule(target: DispatchTarget, options: ScheduleOptions = {}): Promise<TestSchedule> {
  const solution = uniqueId('sol');
  const reference = uniqueId('ref');
  const { service } = scheduler.app;
  const runbookUuid = await createDailySchedule(service, solution, reference, target, {
    name: 'dispatch test runbook',
    ...options,
  });
  return {
    solution,
    reference,
    runbookUuid,
    scheduleId: scheduleIdFor(solution, reference),
    delete: async () => void (await service.deleteSchedule(solution, { schedule_reference: reference })),
  };
}

/** Fires the schedule now and returns a handle on the run it started; see {@link fireNow}. */
function fire(schedule: TestSchedule): Promise<WorkflowHandle> {
  return fireNow(scheduler, schedule.solution, schedule.reference);
}

/** The schedule's view, as Get Schedule returns it. */
function viewOf(schedule: TestSchedule): Promise<ScheduleView | undefined> {
  return scheduler.app.service.getSchedule(schedule.solution, { schedule_reference: schedule.reference });
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

/** The run ended cancelled: its result rejects with a CancelledFailure and Temporal says CANCELLED. */
async function expectCancelled(run: WorkflowHandle): Promise<void> {
  const error = await run.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect((await run.describe()).status.name).toBe('CANCELLED');
}

async function dispatchStatusOf(handle: WorkflowHandle): Promise<string | undefined> {
  return (await handle.describe()).typedSearchAttributes.get(DISPATCH_STATUS);
}

/** The schedule is still active and still has its own next occurrence. */
async function expectScheduleGoesOn(schedule: TestSchedule, nextBefore: string[]): Promise<void> {
  const view = await viewOf(schedule);
  expect(view?.paused).toBe(false);
  expect(view?.next_action_times.length).toBeGreaterThan(0);
  expect(view?.next_action_times[0]).toBe(nextBefore[0]);
}

async function nextActionTimes(schedule: TestSchedule): Promise<string[]> {
  const view = await viewOf(schedule);
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

/** Runs `fn` with a fresh receiver and a schedule dispatching to its `/hook`; deletes the schedule after. */
async function withHttpSchedule(
  fn: (receiver: HttpReceiver, schedule: TestSchedule) => Promise<void>,
  options: ScheduleOptions = {},
): Promise<void> {
  await withReceiver(async (receiver) => {
    const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` }, options);
    try {
      await fn(receiver, schedule);
    } finally {
      await schedule.delete();
    }
  });
}

function header(request: RecordedRequest | undefined, name: string): string | undefined {
  const value = request?.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

describe('HTTP dispatch', () => {
  test('503, 503, 200: three POSTs of the same body, triggered_at and Idempotency-Key; the run succeeds', async () => {
    await withHttpSchedule(
      async (receiver, schedule) => {
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
          `${schedule.scheduleId}/${(await viewOf(schedule))?.generation}/${result.triggeredAt}`,
        );
        expect(result).toMatchObject({ status: 'succeeded', httpStatus: 200, jobContextIdentifier: null });
        expect(await dispatchStatusOf(run)).toBe('succeeded');
      },
      { requestBody: { tenant_id: '42', schedule_reference: 'not mine' } },
    );
  });

  test('404: one POST, not retried; the failure is recorded on the schedule, which goes on', async () => {
    await withHttpSchedule(async (receiver, schedule) => {
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
        const v = await viewOf(schedule);
        return v?.last_error ? v : undefined;
      });
      const triggeredAt = (receiver.requests[0]?.body as { triggered_at: string }).triggered_at;
      expect(view.last_error).toBe(`${triggeredAt} Runbook execution failed with status 404`);
      await expectScheduleGoesOn(schedule, nextBefore);
    });
  });

  test('429 is retried', async () => {
    await withHttpSchedule(async (receiver, schedule) => {
      receiver.script(429, 200);
      const run = await fire(schedule);
      expect(await run.result()).toMatchObject({ status: 'succeeded', httpStatus: 200 });
      expect(receiver.requests).toHaveLength(2);
    });
  });

  test('302: the redirect is not followed and is recorded as status 302', async () => {
    await withReceiver(async (elsewhere) => {
      await withHttpSchedule(async (receiver, schedule) => {
        const nextBefore = await nextActionTimes(schedule);
        receiver.script({ status: 302, headers: { location: `${elsewhere.url}/moved` } });
        const run = await fire(schedule);
        const failure = await failureOf(run);
        expect(failure.message).toBe('Runbook execution failed with status 302');
        await sleep(1_000);
        expect(receiver.requests).toHaveLength(1);
        expect(elsewhere.requests).toHaveLength(0);
        await waitFor(async () => {
          const view = await viewOf(schedule);
          return view?.last_error?.endsWith('Runbook execution failed with status 302');
        });
        await expectScheduleGoesOn(schedule, nextBefore);
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
      // The run retries in the workflow (patch dispatch-backoff-in-workflow, so it can read Blocked between
      // attempts): one dispatchHttp activity per attempt, every attempt made.
      const events = (await run.fetchHistory()).events ?? [];
      const attempts = events.filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'dispatchHttp',
      );
      expect(attempts).toHaveLength(RETRY.maximumAttempts);
      await waitFor(async () => {
        const view = await viewOf(schedule);
        return view?.last_error === `${detail.triggered_at} Runbook execution failed with status unreachable`;
      });
    } finally {
      await schedule.delete();
    }
  });

  test('no occurrence is dropped while an earlier one still retries (ALLOW_ALL)', async () => {
    await withHttpSchedule(async (receiver, schedule) => {
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
    });
  });

  test('cancelling a running dispatch ends the run cancelled; the schedule goes on', async () => {
    await withHttpSchedule(async (receiver, schedule) => {
      const nextBefore = await nextActionTimes(schedule);
      receiver.script({ status: 200, delayMs: 25_000 });
      const run = await fire(schedule);
      await receiver.waitForRequests(1);
      await run.cancel();
      await expectCancelled(run);
      const description = await run.describe();
      expect(description.status.name).toBe('CANCELLED');
      expect(description.typedSearchAttributes.get(DISPATCH_STATUS)).toBe('cancelled');
      await expectScheduleGoesOn(schedule, nextBefore);
      const view = await viewOf(schedule);
      expect(view?.last_error).toBeNull();
      // The next fire dispatches as usual.
      const next = await fire(schedule);
      expect(await next.result()).toMatchObject({ status: 'succeeded' });
    });
  });

  test('Delete Schedule cancels a run still dispatching, so nothing more is sent (A9)', async () => {
    await withHttpSchedule(async (receiver, schedule) => {
      receiver.script({ status: 200, delayMs: 25_000 });
      const run = await fire(schedule);
      await receiver.waitForRequests(1);
      // Visibility is eventually consistent: wait until the run is listed as running, as an operator would see it.
      await waitFor(async () => {
        const { runs } = await scheduler.app.service.listRuns(schedule.solution, {
          schedule_reference: schedule.reference,
        });
        return runs.some((r) => r.workflow_id === run.workflowId && r.status === 'RUNNING') || undefined;
      });
      await scheduler.app.service.deleteSchedule(schedule.solution, {
        schedule_reference: schedule.reference,
      });
      await expectCancelled(run);
      expect(receiver.requests).toHaveLength(1);
    });
  });

  test('Deletes at once cancel each its own runs only, also of a reference another solution has too (A9, A10)', async () => {
    await withReceiver(async (receiver) => {
      receiver.setDefault({ status: 200, body: { ok: true }, delayMs: 25_000 });
      const target: DispatchTarget = { kind: 'http', url: `${receiver.url}/hook` };
      const { service } = scheduler.app;
      const reference = uniqueId('shared-ref');
      const scopes = [
        { solution: uniqueId('sol-a'), reference },
        { solution: uniqueId('sol-b'), reference },
        { solution: uniqueId('sol-c'), reference: uniqueId('ref-c') },
      ];
      for (const scope of scopes) {
        await createDailySchedule(service, scope.solution, scope.reference, target, {
          name: 'shared runbook',
        });
      }
      const runs = await Promise.all(
        scopes.map((scope) => fireNow(scheduler, scope.solution, scope.reference)),
      );
      await receiver.waitForRequests(3);
      for (const [i, scope] of scopes.entries()) {
        await waitFor(async () => {
          const listed = await service.listRuns(scope.solution, { schedule_reference: scope.reference });
          return (
            listed.runs.some((r) => r.workflow_id === runs[i]!.workflowId && r.status === 'RUNNING') ||
            undefined
          );
        });
      }
      // A and C are deleted together; B, of another solution with A's reference, is not.
      const [a, b, c] = scopes as [(typeof scopes)[0], (typeof scopes)[0], (typeof scopes)[0]];
      await Promise.all(
        [a, c].map((scope) =>
          service.deleteSchedule(scope.solution, { schedule_reference: scope.reference }),
        ),
      );
      await expectCancelled(runs[0]!);
      await expectCancelled(runs[2]!);
      expect((await runs[1]!.describe()).status.name).toBe('RUNNING');
      await service.deleteSchedule(b.solution, { schedule_reference: b.reference });
      await expectCancelled(runs[1]!);
      expect(receiver.requests).toHaveLength(3);
    });
  });

  test('runs with one job context identifier are correlated: a second while the first dispatches is a duplicate (A6)', async () => {
    await withHttpSchedule(
      async (receiver, schedule) => {
        receiver.script({ status: 200, delayMs: 4_000 }, 200);
        const first = await fire(schedule);
        await receiver.waitForRequests(1);
        const second = await fire(schedule);
        const jobId = `runbook-job:${schedule.solution}:${schedule.runbookUuid}:42`;
        expect(await second.result()).toMatchObject({
          status: 'duplicate',
          runbookWorkflowId: jobId,
          jobContextIdentifier: '42',
        });
        expect(await dispatchStatusOf(second)).toBe('duplicate');
        expect(await first.result()).toMatchObject({
          status: 'succeeded',
          httpStatus: 200,
          runbookWorkflowId: jobId,
        });
        expect(receiver.requests).toHaveLength(1);
        // Once the first is done, the identifier is free again.
        const third = await fire(schedule);
        expect(await third.result()).toMatchObject({ status: 'succeeded', runbookWorkflowId: jobId });
        expect(receiver.requests).toHaveLength(2);
        expect(header(receiver.requests[1], 'x-job-context-identifier')).toBe('42');
      },
      { requestBody: { tenant_id: 42 }, jobContextIdentifierPath: 'body.tenant_id' },
    );
  });

  test('cancelling a run cancels its correlated dispatch too', async () => {
    await withHttpSchedule(
      async (receiver, schedule) => {
        receiver.script({ status: 200, delayMs: 25_000 });
        const run = await fire(schedule);
        await receiver.waitForRequests(1);
        await run.cancel();
        await expectCancelled(run);
        expect(await dispatchStatusOf(run)).toBe('cancelled');
        const job = scheduler.app.client.workflow.getHandle(
          `runbook-job:${schedule.solution}:${schedule.runbookUuid}:9`,
        );
        await waitFor(async () => ((await job.describe()).status.name === 'CANCELLED' ? true : undefined));
      },
      { requestBody: { tenant_id: 9 }, jobContextIdentifierPath: 'body.tenant_id' },
    );
  });

  test('a refusal through the correlated dispatch is recorded like any other (404)', async () => {
    await withHttpSchedule(
      async (receiver, schedule) => {
        receiver.script(404);
        const failure = await failureOf(await fire(schedule));
        expect(failure.message).toBe(dispatchFailureMessage(404));
        expect(receiver.requests).toHaveLength(1);
      },
      { requestBody: { tenant_id: 7 }, jobContextIdentifierPath: 'body.tenant_id' },
    );
  });

  test('a job context path that indexes an array by name logs the error in the result, and the run proceeds', async () => {
    await withHttpSchedule(
      async (receiver, schedule) => {
        const run = await fire(schedule);
        const result = (await run.result()) as ScheduledRunResult;
        expect(result).toMatchObject({
          status: 'succeeded',
          jobContextIdentifier: null,
          jobContextError:
            'Unable to determine job context identifier. TypeError: no implicit conversion of String into Integer (segment "first")',
        });
        const [request] = await receiver.waitForRequests(1);
        expect(header(request, 'x-job-context-identifier')).toBeUndefined();
        expect(await run.describe().then((d) => d.typedSearchAttributes.get(JOB_CONTEXT))).toBeUndefined();
      },
      { requestBody: { tags: ['a', 'b'] }, jobContextIdentifierPath: 'body.tags.first' },
    );
  });

  test('an action argument edited into garbage outside the product fails the run, naming the fields', async () => {
    await withHttpSchedule(async (receiver, schedule) => {
      // As an operator could with `temporal schedule update`: the run input loses its reference and retry policy.
      await scheduler.app.client.schedule.getHandle(schedule.scheduleId).update((previous) => {
        if (previous.action.type !== 'startWorkflow') throw new Error('not a startWorkflow action');
        const [input] = previous.action.args as [Record<string, unknown>];
        return {
          spec: previous.spec,
          policies: previous.policies,
          state: previous.state,
          action: { ...previous.action, args: [{ ...input, reference: '', retry: 'fast' }] },
        };
      });
      const run = await fire(schedule);
      const failure = await failureOf(run);
      expect(failure.type).toBe('InvalidScheduledRunInput');
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toBe(
        'Invalid scheduled run input: reference must not be empty; retry must be an object',
      );
      // The run ended at once: one workflow task, no activity, nothing dispatched.
      const history = await run.fetchHistory();
      const activities = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
      expect(activities).toHaveLength(0);
      expect(receiver.requests).toHaveLength(0);
    });
  });

  test('the run has a readable workflow id and a summary', async () => {
    await withHttpSchedule(async (receiver, schedule) => {
      const run = await fire(schedule);
      await run.result();
      const generation = (await viewOf(schedule))?.generation;
      expect(run.workflowId).toMatch(
        new RegExp(
          `^rbs:${schedule.solution}:${schedule.reference}:${generation}-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$`,
        ),
      );
      const description = await run.describe();
      expect(await description.staticSummary()).toBe(
        `Runbook ${schedule.runbookUuid} fired by schedule "${schedule.reference}" (${schedule.solution})`,
      );
    });
  });
});

/** Terminates a runbook workflow the test started, if it is still running. */
async function terminateQuietly(workflowId: string): Promise<void> {
  await scheduler.app.client.workflow
    .getHandle(workflowId)
    .terminate('test cleanup')
    .catch(() => undefined); // already completed
}

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
      await terminateQuietly(expectedId);
    }
  });

  test('a huge identifier is bounded, so Temporal still accepts the run id and search attribute', async () => {
    const tenant = `tenant-${'x'.repeat(5_000)}`;
    const schedule = await createSchedule(
      { kind: 'workflow', workflowType: 'recordingRunbookWorkflow', taskQueue },
      { requestBody: { tenant }, jobContextIdentifierPath: 'tenant' },
    );
    const expectedId = `runbook-job:${schedule.solution}:${schedule.runbookUuid}:${boundedIdentifier(tenant)}`;
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
      await terminateQuietly(expectedId);
    }
  });

  test('without an identifier each fire starts its own runbook workflow', async () => {
    const schedule = await createSchedule(
      { kind: 'workflow', workflowType: 'recordingRunbookWorkflow', taskQueue },
      { jobContextIdentifierPath: 'body.missing' },
    );
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
        await terminateQuietly(id);
      }
    }
  });
});
