/**
 * Records the event histories of the schedule operations' workflows as JSON fixtures for their replay test
 * (`test/unit/replay/operation-replay.test.ts`): a Pause applied by its activity, a Stop and a Start with new
 * parameter values, and a Run now whose dispatched request carries the parameters in force and the submitting
 * user (the `run-context-in-payload` patch of `workflows/scheduled-run.ts`).
 *
 * Run it against a running dev server after a deliberate change of that workflow code:
 *
 *   1. `./temporal-dev.sh start` (or any server with the project's search attributes)
 *   2. `TEMPORAL_ADDRESS=127.0.0.1:7233 npx tsx scripts/record-operation-histories.ts`
 *   3. expect `wrote test/fixtures/histories/operations/<name>.json` once per fixture, then commit them.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { operationWorkflowId } from '../src/operations/operation-workflows';
import type { Principal } from '../src/principal';
import { scheduleIdFor } from '../src/temporal/schedule-ids';
import { historyToJsonText } from '../test/fixtures/history-json';
import { createDailySchedule } from '../test/integration/connector-fixtures';
import { startHttpReceiver, uniqueId } from '../test/integration/harness';
import { startScheduler } from '../test/integration/scheduler-fixture';

/** Where the fixtures live. */
export const OPERATION_HISTORIES_DIR = path.join(
  __dirname,
  '..',
  'test',
  'fixtures',
  'histories',
  'operations',
);

async function main(): Promise<void> {
  const scheduler = await startScheduler();
  const receiver = await startHttpReceiver();
  const solution = uniqueId('record-ops');
  const reference = uniqueId('ref');
  const { service, client, operations } = scheduler.app;
  const principal: Principal = { solution, user: 'recorder', roles: [] };

  async function record(name: string, handle: WorkflowHandle): Promise<void> {
    await handle.result();
    const file = path.join(OPERATION_HISTORIES_DIR, `${name}.json`);
    writeFileSync(file, `${historyToJsonText(await handle.fetchHistory())}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
  const operation = () => client.workflow.getHandle(operationWorkflowId(scheduleIdFor(solution, reference)));

  try {
    await createDailySchedule(
      service,
      solution,
      reference,
      { kind: 'http', url: `${receiver.url}/hook` },
      {
        name: 'recorded runbook',
        parameters: [{ name: 'region', default: 'eu-west-1' }],
      },
    );
    const input = { schedule_reference: reference };
    await operations.pause(principal, input);
    await record('pause', operation());
    await operations.stop(principal, input);
    await record('stop', operation());
    await operations.start(principal, { ...input, parameters: { region: 'us-east-2' } });
    await record('start-with-parameters', operation());
    const run = await operations.runNow(principal, { ...input, parameters: { region: 'ap-south-1' } });
    await record('run-now-with-context', client.workflow.getHandle(run.workflow_id));
  } finally {
    await service.deleteSchedule(solution, { schedule_reference: reference });
    await receiver.close();
    await scheduler.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
