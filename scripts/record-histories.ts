/**
 * Records the event histories of real scheduled runs as JSON fixtures for the replay test
 * (`test/unit/replay/replay.test.ts`, FEATURES.md E2): a dispatch that succeeds after a retried 503, one refused
 * with 404, a cancelled one (also one cancelled through the product, told who cancelled it), a duplicate for a still running workflow target, and an HTTP dispatch correlated
 * by its job context identifier with the duplicate it refused; the abort record of an aborted occurrence; and a
 * run of a schedule that carries its re-arm point, fired before it (no re-arm).
 *
 * Run it against a running dev server after a deliberate change of workflow code:
 *
 *   1. `./temporal-dev.sh start` (or any server with the project's search attributes)
 *   2. `TEMPORAL_ADDRESS=127.0.0.1:7233 npx tsx scripts/record-histories.ts`
 *   3. expect `wrote test/fixtures/histories/<name>.json` once per fixture, then commit the fixtures.
 *
 * The recording runbook workflow runs on a queue named `runbook-wf-…`; the script allows such queues as workflow
 * targets (`RUNBOOK_SCHEDULER_WORKFLOW_TARGETS`) unless the environment already says otherwise.
 *
 * `--only http-correlated` records just the named fixtures, so older ones keep replaying the histories that the
 * code of their time wrote (a workflow change must still replay those).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { DispatchTarget } from '../src/catalog/model';
import { abortQueuedOccurrence, AbortReasons } from '../src/instances/abort';
import { occurrenceWorkflowId } from '../src/instances/abort-record';
import { cancelRun } from '../src/instances/resubmit';
import { connectWorker } from '../src/temporal/connection';
import { TemporalScheduleGateway } from '../src/temporal/schedule-gateway';
import { scheduleIdFor } from '../src/temporal/schedule-ids';
import { historyToJsonText } from '../test/fixtures/history-json';
import { finishSignal } from '../test/fixtures/runbook-workflows';
import { createDailySchedule, fireNow } from '../test/integration/connector-fixtures';
import { startHttpReceiver, uniqueId, waitFor } from '../test/integration/harness';
import { startScheduler } from '../test/integration/scheduler-fixture';

process.env.RUNBOOK_SCHEDULER_WORKFLOW_TARGETS ??= JSON.stringify({ '*': [{ taskQueue: 'runbook-wf-*' }] });

/** Where the fixtures live. */
export const HISTORIES_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'histories');

/** `--only a,b`: record just these fixtures (the others keep the histories of the code that made them). */
function wantedFixtures(argv: readonly string[]): (name: string) => boolean {
  const at = argv.indexOf('--only');
  if (at < 0) return () => true;
  const names = new Set((argv[at + 1] ?? '').split(',').filter(Boolean));
  return (name) => names.has(name) || (name === 'http-correlated-duplicate' && names.has('http-correlated'));
}

async function main(): Promise<void> {
  const wanted = wantedFixtures(process.argv.slice(2));
  const scheduler = await startScheduler({
    retry: { maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1, maximumIntervalMs: 200 },
  });
  const receiver = await startHttpReceiver();
  // A queue name that RUNBOOK_SCHEDULER_WORKFLOW_TARGETS allows (set below unless the caller set it).
  const runbookQueue = uniqueId('runbook-wf-record');
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

  async function schedule(target: DispatchTarget, path?: string): Promise<string> {
    const reference = uniqueId('ref');
    await createDailySchedule(service, solution, reference, target, {
      name: 'recorded runbook',
      jobContextIdentifierPath: path,
      requestBody: { tenant_id: '42' },
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
    if (wanted('succeeded')) {
      receiver.script(503, 200);
      await record('succeeded', await fireNow(scheduler, solution, http));
    }
    if (wanted('succeeded-without-rearm')) {
      // A schedule written with its re-arm point: a fire before the window's middle dispatches and re-arms nothing.
      receiver.script(200);
      await record('succeeded-without-rearm', await fireNow(scheduler, solution, http));
    }
    if (wanted('failed-404')) {
      receiver.script(404);
      await record('failed-404', await fireNow(scheduler, solution, http));
    }
    if (wanted('cancelled')) {
      receiver.script({ status: 200, delayMs: 20_000 });
      const slow = await fireNow(scheduler, solution, http);
      await waitFor(() => receiver.requests.length > 0 || undefined);
      await slow.cancel();
      await record('cancelled', slow);
    }
    if (wanted('cancelled-by-user')) {
      // Cancelled through the product: the run is told who first, and records it in its memo.
      receiver.script({ status: 200, delayMs: 20_000 });
      const seen = receiver.requests.length;
      const slow = await fireNow(scheduler, solution, http);
      await waitFor(() => receiver.requests.length > seen || undefined);
      await cancelRun(client, slow.workflowId, 'alice', `${AbortReasons.cancelled} by alice`);
      await record('cancelled-by-user', slow);
    }
    if (wanted('http-correlated-duplicate')) {
      // With an identifier, the POST runs in a correlated child workflow; a second fire meanwhile is a duplicate.
      const seen = receiver.requests.length;
      receiver.script({ status: 200, delayMs: 3_000 });
      const first = await fireNow(scheduler, solution, http);
      await waitFor(() => receiver.requests.length > seen || undefined);
      await record('http-correlated-duplicate', await fireNow(scheduler, solution, http));
      await record('http-correlated', first);
    }
    if (wanted('aborted-occurrence')) {
      const aborted = await abortQueuedOccurrence(
        {
          client,
          gateway: new TemporalScheduleGateway(client, scheduler.settings.taskQueue),
          taskQueue: scheduler.settings.taskQueue,
        },
        {
          scheduleId: scheduleIdFor(solution, http),
          reason: AbortReasons.byUser('recorder'),
          user: 'recorder',
          now: new Date(),
        },
      );
      if (!aborted) throw new Error('the recorded schedule has no queued occurrence');
      const generation =
        (await service.getSchedule(solution, { schedule_reference: http }))?.generation ?? '';
      const id = occurrenceWorkflowId(
        scheduleIdFor(solution, http),
        generation,
        new Date(aborted.occurrence),
      );
      await record('aborted-occurrence', client.workflow.getHandle(id));
    }
    if (wanted('duplicate')) {
      const wf = await schedule(
        { kind: 'workflow', workflowType: 'recordingRunbookWorkflow', taskQueue: runbookQueue },
        'tenant_id',
      );
      const first = await fireNow(scheduler, solution, wf);
      await first.result();
      await record('duplicate', await fireNow(scheduler, solution, wf));
      const runbookId = ((await first.result()) as { runbookWorkflowId: string }).runbookWorkflowId;
      await client.workflow.getHandle(runbookId).signal(finishSignal);
    }
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
