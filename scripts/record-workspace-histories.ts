/**
 * Records the event histories of real workspace schedule runs (issue 11) as replay fixtures
 * (`test/unit/replay/replay.test.ts`): a three-group run with a parallel pair and a skip-wait job that succeeds
 * (`workspace-order`), one whose failed job stops the chain (`workspace-errored`), and a manual run of one job
 * (`workspace-one-job`).
 *
 *   1. a dev server with the project's search attributes (`./temporal-dev.sh start`)
 *   2. `TEMPORAL_ADDRESS=127.0.0.1:7233 npx tsx scripts/record-workspace-histories.ts`
 *   3. expect `wrote test/fixtures/histories/<name>.json` three times, then commit the fixtures.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TriggerTemplate } from '../src/catalog/model';
import { Role, type Principal } from '../src/principal';
import { historyToJsonText } from '../test/fixtures/history-json';
import { startHttpReceiver, uniqueId, waitFor, type HttpReceiver } from '../test/integration/harness';
import { startScheduler } from '../test/integration/scheduler-fixture';

const HISTORIES_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'histories');

async function main(): Promise<void> {
  const scheduler = await startScheduler({
    settings: {
      dispatchRetry: {
        maximumAttempts: 2,
        initialIntervalMs: 100,
        backoffCoefficient: 1,
        maximumIntervalMs: 100,
      },
    },
  });
  const solution = uniqueId('record-ws');
  const author: Principal = { solution, user: 'recorder', roles: [Role.IntegrationAuthor] };
  const receivers: HttpReceiver[] = [];
  const ws = scheduler.app.workspace;
  const keys: string[] = [];
  const runbook = async (name: string, status = 200): Promise<string> => {
    const receiver = await startHttpReceiver();
    receivers.push(receiver);
    receiver.setDefault({ status, delayMs: 300 });
    const uuid = randomUUID();
    await scheduler.app.service.registerRunbook({
      uuid,
      solution,
      name,
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: `${receiver.url}/${name}` },
    });
    return uuid;
  };
  const cadence = {
    start_date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    start_time: '09:00',
    time_zone: 'UTC',
    unit: 'day',
  };
  const closedRun = async (key: string) =>
    await waitFor(
      async () => {
        const run = (await ws.runs(author, key)).runs[0];
        return run && run.state !== 'Running' ? run : undefined;
      },
      { timeoutMs: 60_000 },
    );
  const record = async (name: string, workflowId: string) => {
    const handle = scheduler.app.client.workflow.getHandle(workflowId);
    await handle.result().catch(() => undefined);
    const file = path.join(HISTORIES_DIR, `${name}.json`);
    writeFileSync(file, `${historyToJsonText(await handle.fetchHistory())}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  };
  try {
    const [a, b, c, s] = [await runbook('a'), await runbook('b'), await runbook('c'), await runbook('s')];
    const order = `order-${randomUUID().slice(0, 8)}`;
    keys.push(order);
    await ws.create(author, {
      key: order,
      description: 'Recorded order',
      cadence,
      jobs: [
        { runbook_uuid: a, sequence: 1 },
        { runbook_uuid: b, sequence: 1 },
        { runbook_uuid: c, sequence: 2 },
        { runbook_uuid: s, sequence: 3, skip_wait: true },
      ],
    });
    await ws.run(author, order, {});
    await record('workspace-order', (await closedRun(order)).workflow_id);
    const one = await ws.run(author, order, { job: 3 });
    await record('workspace-one-job', one.workflow_id ?? '');

    const bad = await runbook('bad', 404);
    const errored = `errored-${randomUUID().slice(0, 8)}`;
    keys.push(errored);
    await ws.create(author, {
      key: errored,
      description: 'Recorded failure',
      cadence,
      jobs: [
        { runbook_uuid: bad, sequence: 1 },
        { runbook_uuid: c, sequence: 2 },
      ],
    });
    await ws.run(author, errored, {});
    await record('workspace-errored', (await closedRun(errored)).workflow_id);
  } finally {
    for (const key of keys) await ws.delete(author, key);
    for (const receiver of receivers) await receiver.close();
    await scheduler.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
