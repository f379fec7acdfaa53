/**
 * Records the event histories of real scheduled runs as JSON fixtures for the replay test
 * (`test/unit/replay/replay.test.ts`, FEATURES.md E2): a dispatch that succeeds after a retried 503, one refused
 * with 404, a duplicate for a still running job context identifier, and a cancelled one.
 *
 * Run it against a running dev server after a deliberate change of workflow code:
 *
 *   1. `./temporal-dev.sh start` (or any server with the project's search attributes)
 *   2. `TEMPORAL_ADDRESS=127.0.0.1:7233 npx tsx scripts/record-histories.ts`
 *   3. expect `wrote test/fixtures/histories/<name>.json` four times, then commit the fixtures.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { TriggerTemplate, type DispatchTarget } from '../src/catalog/model';
import { connectWorker } from '../src/temporal/connection';
import { scheduleIdFor } from '../src/temporal/schedules';
import { historyToJsonText } from '../test/fixtures/history-json';
import { finishSignal } from '../test/fixtures/runbook-workflows';
import { sleep, startHttpReceiver, uniqueId, waitFor } from '../test/integration/harness';
import { startScheduler, type SchedulerFixture } from '../test/integration/scheduler-fixture';

/** Where the fixtures live. */
export const HISTORIES_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'histories');

async function fire(
  scheduler: SchedulerFixture,
  solution: string,
  reference: string,
): Promise<WorkflowHandle> {
  const schedule = scheduler.app.client.schedule.getHandle(scheduleIdFor(solution, reference));
  const before = (await schedule.describe()).info.recentActions;
  const last = before[before.length - 1];
  // Temporal drops a second trigger taken in the same whole second as the previous one.
  if (last)
    await sleep(Math.max(0, Math.floor(last.scheduledAt.getTime() / 1000) * 1000 + 1200 - Date.now()));
  const known = new Set(before.map((a) => a.action.workflow.workflowId));
  await scheduler.app.service.triggerSchedule(solution, { schedule_reference: reference });
  const id = await waitFor(async () =>
    (await schedule.describe()).info.recentActions
      .map((a) => a.action.workflow.workflowId)
      .find((w) => !known.has(w)),
  );
  return scheduler.app.client.workflow.getHandle(id);
}

async function main(): Promise<void> {
  const scheduler = await startScheduler({
    retry: { maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1, maximumIntervalMs: 200 },
  });
  const receiver = await startHttpReceiver();
  const runbookQueue = uniqueId('record-runbook-wf');
  const connection = await connectWorker(scheduler.settings);
  const runbookWorker = await Worker.create({
    connection,
    namespace: scheduler.settings.namespace,
    taskQueue: runbookQueue,
    workflowsPath: require.resolve('../test/fixtures/runbook-workflows'),
  });
  const running = runbookWorker.run();
  const solution = uniqueId('record');
  const { service, client } = scheduler.app;
  const references: string[] = [];
  const start = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

  async function schedule(target: DispatchTarget, path?: string): Promise<string> {
    const runbookUuid = randomUUID();
    await service.registerRunbook({
      uuid: runbookUuid,
      solution,
      name: 'recorded runbook',
      trigger: {
        template: TriggerTemplate.DynamicScheduler,
        ...(path ? { job_context_identifier_path: path } : {}),
      },
      target,
    });
    const reference = uniqueId('ref');
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
      request_body: { tenant_id: '42' },
    });
    references.push(reference);
    return reference;
  }

  async function record(name: string, handle: WorkflowHandle): Promise<void> {
    await handle.result().catch(() => undefined); // failed and cancelled runs are recorded too
    const file = path.join(HISTORIES_DIR, `${name}.json`);
    writeFileSync(file, `${historyToJsonText(await handle.fetchHistory())}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }

  try {
    const http = await schedule({ kind: 'http', url: `${receiver.url}/hook` }, 'body.tenant_id');
    receiver.script(503, 200);
    await record('succeeded', await fire(scheduler, solution, http));
    receiver.script(404);
    await record('failed-404', await fire(scheduler, solution, http));
    receiver.script({ status: 200, delayMs: 20_000 });
    const slow = await fire(scheduler, solution, http);
    await receiver.waitForRequests(4);
    await slow.cancel();
    await record('cancelled', slow);

    const wf = await schedule(
      { kind: 'workflow', workflowType: 'recordingRunbookWorkflow', taskQueue: runbookQueue },
      'tenant_id',
    );
    const first = await fire(scheduler, solution, wf);
    await first.result();
    await record('duplicate', await fire(scheduler, solution, wf));
    const runbookId = ((await first.result()) as { runbookWorkflowId: string }).runbookWorkflowId;
    await client.workflow.getHandle(runbookId).signal(finishSignal);
  } finally {
    for (const reference of references) {
      await service.deleteSchedule(solution, { schedule_reference: reference });
    }
    runbookWorker.shutdown();
    await running;
    await connection.close();
    await receiver.close();
    await scheduler.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
