/**
 * The schedule operations' workflows replay their recorded histories (`test/fixtures/histories/operations/`): a
 * Pause, a Stop and a Start with new parameter values applied by their activity, and a Run now whose dispatched
 * request carries the run context (the `run-context-in-payload` patch). Replay needs no server.
 *
 * After a deliberate, versioned change of that workflow code, regenerate them against a running server:
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 npx tsx scripts/record-operation-histories.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJsonObject } from '../../fixtures/history-json';

jest.setTimeout(60_000);

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'histories', 'operations');
const WORKFLOWS_PATH = path.join(__dirname, '..', '..', '..', 'workflows', 'index.ts');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the operation histories cover pause, stop, start with parameters and a run now with its context', () => {
  expect(files).toEqual([
    'pause.json',
    'run-now-with-context.json',
    'start-with-parameters.json',
    'stop.json',
  ]);
});

test('every operation history replays without a nondeterminism error', async () => {
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: historyFromJsonObject(JSON.parse(readFileSync(path.join(DIR, file), 'utf8'))),
  }));
  const results: Array<{ workflowId: string; error: unknown }> = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error });
  }
  expect(results).toEqual(files.map((f) => ({ workflowId: path.basename(f, '.json'), error: undefined })));
});
