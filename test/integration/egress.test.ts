/**
 * Egress control on the real dev server (issue 9.2): the worker dispatches only where its egress policy allows,
 * checked on the address each connection resolves to. The fixture opens loopback for the tests' receivers; the
 * dev server's own gRPC port on loopback stays denied, and so does every private address.
 *
 * A refused dispatch fails the run with `Runbook execution failed with status refused` after one attempt, with
 * the same cause whatever the address, and the schedule's `last_error` says so.
 */
import { ApplicationFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { DispatchTarget } from '../../src/catalog/model';
import { EGRESS_REFUSED_REASON } from '../../src/dispatch/egress';
import { dispatchFailureMessage } from '../../src/dispatch/outcome';
import { portOf } from '../../src/config';
import type { DispatchRetryPolicy } from '../../src/temporal/run-input';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { createDailySchedule, fireNow } from './connector-fixtures';
import { startHttpReceiver, uniqueId, waitFor, type HttpReceiver } from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';

jest.setTimeout(120_000);

/** Four attempts, 200 ms apart: a refusal that were retried would show in the attempt count. */
const RETRY: DispatchRetryPolicy = {
  maximumAttempts: 4,
  initialIntervalMs: 200,
  backoffCoefficient: 1,
  maximumIntervalMs: 200,
};

let scheduler: SchedulerFixture;
let receiver: HttpReceiver;

beforeAll(async () => {
  scheduler = await startScheduler({ retry: RETRY });
  receiver = await startHttpReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await scheduler?.close();
});

interface TestSchedule {
  readonly solution: string;
  readonly reference: string;
  readonly scheduleId: string;
  delete(): Promise<void>;
}

async function createSchedule(target: DispatchTarget): Promise<TestSchedule> {
  const solution = uniqueId('sol-egress');
  const reference = uniqueId('ref');
  await createDailySchedule(scheduler.app.service, solution, reference, target, {
    name: 'egress test runbook',
  });
  return {
    solution,
    reference,
    scheduleId: scheduleIdFor(solution, reference),
    delete: async () =>
      void (await scheduler.app.service.deleteSchedule(solution, { schedule_reference: reference })),
  };
}

/**
 * Points the schedule's runs at `url` as `temporal schedule update` could (or as a runbook registered before
 * registration refused literal internal addresses would): what registration refuses must still be refused at
 * dispatch.
 */
async function retarget(schedule: TestSchedule, url: string): Promise<void> {
  await scheduler.app.client.schedule.getHandle(schedule.scheduleId).update((previous) => {
    if (previous.action.type !== 'startWorkflow') throw new Error('not a startWorkflow action');
    const [input] = previous.action.args as [Record<string, unknown>];
    return {
      spec: previous.spec,
      policies: previous.policies,
      state: previous.state,
      action: { ...previous.action, args: [{ ...input, target: { kind: 'http', url } }] },
    };
  });
}

async function failureOf(handle: WorkflowHandle): Promise<ApplicationFailure> {
  try {
    await handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure) return err.cause;
    throw err;
  }
  throw new Error(`run ${handle.workflowId} succeeded`);
}

/** The attempt number of the run's last `dispatchHttp` attempt. */
async function dispatchAttempts(handle: WorkflowHandle): Promise<number | null | undefined> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'dispatchHttp',
  );
  const started = events.find(
    (e) =>
      String(e.activityTaskStartedEventAttributes?.scheduledEventId ?? '') === String(scheduled?.eventId),
  );
  return started?.activityTaskStartedEventAttributes?.attempt;
}

/** Fires the schedule and checks the run was refused once, recorded on the schedule; returns the cause. */
async function expectRefused(schedule: TestSchedule): Promise<string> {
  const run = await fireNow(scheduler, schedule.solution, schedule.reference);
  const failure = await failureOf(run);
  expect(failure.message).toBe('Runbook execution failed with status refused');
  expect(failure.message).toBe(dispatchFailureMessage('refused'));
  expect(failure.type).toBe('RunbookExecutionFailed');
  const detail = failure.details?.[0] as { status: unknown; cause: string; triggered_at: string };
  expect(detail.status).toBe('refused');
  expect(await dispatchAttempts(run)).toBe(1);
  const view = await waitFor(async () => {
    const v = await scheduler.app.service.getSchedule(schedule.solution, {
      schedule_reference: schedule.reference,
    });
    return v?.last_error ? v : undefined;
  });
  expect(view.last_error).toBe(`${detail.triggered_at} Runbook execution failed with status refused`);
  return detail.cause;
}

describe('egress at dispatch', () => {
  test("the dev server's own gRPC port through localhost (a name, resolved at dispatch) is refused, not retried", async () => {
    const devServer = `http://localhost:${portOf(scheduler.settings.address)}/`;
    const schedule = await createSchedule({ kind: 'http', url: devServer });
    try {
      expect(await expectRefused(schedule)).toBe(EGRESS_REFUSED_REASON);
    } finally {
      await schedule.delete();
    }
  });

  test('a private address is refused with the very same cause', async () => {
    const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` });
    try {
      await retarget(schedule, 'http://10.0.0.5/hook');
      expect(await expectRefused(schedule)).toBe(EGRESS_REFUSED_REASON);
    } finally {
      await schedule.delete();
    }
  });

  test('a loopback receiver, opened by the operator (here the fixture), still receives', async () => {
    const schedule = await createSchedule({ kind: 'http', url: `${receiver.url}/hook` });
    try {
      const run = await fireNow(scheduler, schedule.solution, schedule.reference);
      expect(await run.result()).toMatchObject({ status: 'succeeded', httpStatus: 200 });
      const [request] = await receiver.waitForRequests(1);
      expect(request?.path).toBe('/hook');
    } finally {
      await schedule.delete();
    }
  });
});
