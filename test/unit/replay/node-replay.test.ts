/**
 * The schedule node workflow's recorded histories replay against today's `workflows/` without a nondeterminism
 * error: a node's whole lifecycle (schedule, replace, ignore, cancel, a run that succeeds, one refused with 404,
 * clear, delete with a run pending) and a run that continued as new. Replay needs no server.
 *
 * After a deliberate, versioned change of the node workflow, regenerate them against a running server:
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 npx tsx scripts/record-node-histories.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { historyFromJsonObject } from '../../fixtures/history-json';

jest.setTimeout(60_000);

const EventType = temporal.api.enums.v1.EventType;
const DIR = path.join(__dirname, '..', '..', 'fixtures', 'histories', 'nodes');
const WORKFLOWS_PATH = path.join(__dirname, '..', '..', '..', 'workflows', 'index.ts');
const load = (name: string) =>
  historyFromJsonObject(JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')));

test('the recorded node histories cover a whole lifecycle and a continue-as-new', () => {
  expect(readdirSync(DIR).sort()).toEqual(['continued-as-new.json', 'lifecycle.json']);
  const lifecycle = (load('lifecycle').events ?? []).map((e) => e.eventType);
  for (const type of [
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    EventType.EVENT_TYPE_TIMER_CANCELED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
  ]) {
    expect(lifecycle).toContain(type);
  }
  const continued = (load('continued-as-new').events ?? []).map((e) => e.eventType);
  expect(continued).toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
});

test('every recorded node history replays without a nondeterminism error', async () => {
  const names = ['continued-as-new', 'lifecycle'];
  const results: Array<{ workflowId: string; error: unknown }> = [];
  const histories = names.map((name) => ({ workflowId: name, history: load(name) }));
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error });
  }
  expect(results).toEqual(names.map((workflowId) => ({ workflowId, error: undefined })));
});
