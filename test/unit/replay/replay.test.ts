/**
 * Workflow code changes are checked by replaying recorded histories (FEATURES.md E2): every fixture in
 * `test/fixtures/histories/` (a run that succeeded after a retried 503, one refused with 404, a duplicate of a
 * running job context identifier, a cancelled one, recorded before HTTP dispatch was correlated; and an HTTP
 * dispatch correlated through its child workflow, with the duplicate it refused; the abort record of an aborted
 * occurrence; workspace schedule runs: three groups with a skip-wait job, a failed job stopping the chain, a
 * manual run of one job, recorded by `scripts/record-workspace-histories.ts`) must replay against today's `workflows/` without a
 * nondeterminism error. Replay needs no server.
 *
 * After a deliberate, versioned change of workflow code, regenerate the fixtures against a running server:
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 npx tsx scripts/record-histories.ts [--only <name>,...]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJsonObject } from '../../fixtures/history-json';

jest.setTimeout(60_000);

const HISTORIES_DIR = path.join(__dirname, '..', '..', 'fixtures', 'histories');
const WORKFLOWS_PATH = path.join(__dirname, '..', '..', '..', 'workflows', 'index.ts');
const files = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the recorded histories cover success (with and without a re-arm), refusal, duplicate, cancellation (also naming who cancelled), correlated HTTP dispatch, an abort record and workspace runs', () => {
  expect(files).toEqual([
    'aborted-occurrence.json',
    'cancelled-by-user.json',
    'cancelled.json',
    'duplicate.json',
    'failed-404.json',
    'http-correlated-duplicate.json',
    'http-correlated.json',
    'succeeded-without-rearm.json',
    'succeeded.json',
    'workspace-errored.json',
    'workspace-one-job.json',
    'workspace-order.json',
  ]);
});

test('every recorded history replays without a nondeterminism error', async () => {
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: historyFromJsonObject(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))),
  }));
  const results: Array<{ workflowId: string; error: unknown }> = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error });
  }
  expect(results).toEqual(files.map((f) => ({ workflowId: path.basename(f, '.json'), error: undefined })));
});
