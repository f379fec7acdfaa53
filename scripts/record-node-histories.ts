/**
 * Records the event histories of real schedule node workflows (`workflows/schedule-node.ts`) as JSON fixtures
 * for the replay test (`test/unit/replay/node-replay.test.ts`):
 *
 * - `lifecycle`: schedule, an earlier schedule that replaces it, a later one ignored, cancel, a run that
 *   succeeds, a run refused with 404 (the node's error set), a schedule refused with 106 (no history), the error
 *   cleared, the node deleted with a run pending (its timer cancelled); left open in its tombstone.
 * - `continued-as-new`: a node started with a small history bound, continued as new after a few updates.
 *
 * Run it against a running dev server after a deliberate change of the node workflow:
 *
 *   1. `./temporal-dev.sh start` (or any server with the project's search attributes)
 *   2. `TEMPORAL_ADDRESS=127.0.0.1:7233 npx tsx scripts/record-node-histories.ts`
 *   3. expect `wrote test/fixtures/histories/nodes/<name>.json` twice, then commit the fixtures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TriggerTemplate } from '../src/catalog/model';
import { DEFAULT_DISPATCH_RETRY } from '../src/config';
import { nodeWorkflowId } from '../src/nodes/node-ids';
import { nodeStateQuery, scheduleNodeRunUpdate } from '../src/nodes/node-messages';
import { WorkflowType } from '../src/temporal/run-input';
import { historyToJsonText } from '../test/fixtures/history-json';
import { startHttpReceiver, uniqueId, waitFor } from '../test/integration/harness';
import { startScheduler } from '../test/integration/scheduler-fixture';

/** Where the node fixtures live. */
export const NODE_HISTORIES_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'histories', 'nodes');

const RETRY = { maximumAttempts: 2, initialIntervalMs: 100, backoffCoefficient: 1, maximumIntervalMs: 100 };

async function record(name: string, handle: WorkflowHandle): Promise<void> {
  mkdirSync(NODE_HISTORIES_DIR, { recursive: true });
  const file = path.join(NODE_HISTORIES_DIR, `${name}.json`);
  writeFileSync(file, `${historyToJsonText(await handle.fetchHistory())}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

async function main(): Promise<void> {
  const scheduler = await startScheduler({ settings: { dispatchRetry: RETRY } });
  const receiver = await startHttpReceiver();
  const { app } = scheduler;
  const solution = uniqueId('record-nodes');
  const principal = { solution, user: 'recorder', roles: [] };
  const runbook = randomUUID();
  try {
    await app.service.registerRunbook({
      uuid: runbook,
      solution,
      name: 'recorded node runbook',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: `${receiver.url}/node` },
    });
    const node = uniqueId('node');
    await app.nodes.registerNode(principal, { identifier: node, reference: `ref-${node}` });
    const ask = (body: Record<string, unknown>) =>
      app.nodes.scheduleService(principal, {
        nodeIdentifierSchedule: node,
        service: { runbook_uuid: runbook, request_body: { tenant_id: '42' } },
        ...body,
      });
    const expectNumber = async (body: Record<string, unknown>, errorNumber: number) => {
      const answer = await ask(body);
      if (answer.errorNumber !== errorNumber)
        throw new Error(`expected ${errorNumber}, got ${JSON.stringify(answer)}`);
    };
    const lastRuns = async (n: number) =>
      await waitFor(async () => {
        const view = await app.nodes.getNode(principal, node);
        return view.state?.lastRun && receiver.requests.length >= n ? view : undefined;
      });
    await expectNumber({ delay: 3600 }, 0);
    await expectNumber({ delay: 1800 }, 0);
    await expectNumber({ delay: 7200 }, 0);
    await expectNumber({ action: 'cancel' }, 0);
    await expectNumber({ delay: 0.2 }, 0);
    await lastRuns(1);
    receiver.script(404);
    await expectNumber({ delay: 0.2 }, 0);
    await waitFor(async () => (await app.nodes.getNode(principal, node)).state?.error ?? undefined);
    await expectNumber({ delay: 60 }, 106);
    await app.nodes.clearNodeError(principal, node);
    await expectNumber({ delay: 600 }, 0);
    await app.nodes.deleteNode(principal, node);
    const handle = app.client.workflow.getHandle(nodeWorkflowId(solution, node));
    await waitFor(async () => (await handle.query(nodeStateQuery)).deleted || undefined);
    await record('lifecycle', handle);

    const small = uniqueId('node-can');
    const generation = randomUUID();
    const started = await app.client.workflow.start(WorkflowType.ScheduleNode, {
      workflowId: nodeWorkflowId(solution, small),
      taskQueue: scheduler.settings.taskQueue,
      args: [{ solution, identifier: small, generation, historyEventLimit: 20 }],
    });
    const target = { kind: 'http' as const, url: `${receiver.url}/node` };
    for (let i = 0; i < 8; i++) {
      await started.executeUpdate(scheduleNodeRunUpdate, {
        args: [
          {
            generation,
            scheduleTimestamp: new Date(Date.now() + (3600 - i * 60) * 1000).toISOString(),
            runbookUuid: runbook,
            target,
            user: 'recorder',
            retry: DEFAULT_DISPATCH_RETRY,
          },
        ],
      });
    }
    const firstRun = app.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId);
    await waitFor(async () => (await firstRun.describe()).status.name === 'CONTINUED_AS_NEW' || undefined);
    await record('continued-as-new', firstRun);
    await started.terminate('recorded');
  } finally {
    await receiver.close();
    await scheduler.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
