/**
 * The activity stream read from histories recorded by earlier versions of the run workflow (FEATURES.md B7, E2):
 * each recorded history maps to its milestones, so the stream of runs recorded before answers were kept (a
 * dispatch result of `{ status }` only) still reads, without a `response` to view.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultDataConverter } from '@temporalio/common';
import { decodeInstanceHistory } from '../../../src/instances/activity-history';
import { activityStream, dispatchedRequest, runbookAnswer } from '../../../src/instances/activity-stream';
import type { RequestView } from '../../../src/dispatch/request';
import { historyFromJsonObject } from '../../fixtures/history-json';

const HISTORIES = path.join(__dirname, '..', '..', 'fixtures', 'histories');

async function recorded(name: string) {
  const json = JSON.parse(readFileSync(path.join(HISTORIES, `${name}.json`), 'utf8')) as unknown;
  const history = await decodeInstanceHistory(historyFromJsonObject(json).events ?? [], defaultDataConverter);
  return { ...history, stream: activityStream(history) };
}

const milestones = (stream: { milestone: string; reason: string | null; by: string | null }[]) =>
  stream.map((e) => [e.milestone, e.reason, e.by]);

test('a succeeded run recorded before answers were kept: its milestones and request, no answer', async () => {
  const { events, stream } = await recorded('succeeded');
  expect(milestones(stream)).toEqual([
    ['Scheduled run is triggered', null, null],
    ['Scheduled run started processing', null, null],
    ['Processing completed successfully', null, null],
  ]);
  expect(stream.map((e) => e.payloads)).toEqual([[], ['request'], []]);
  const request = dispatchedRequest(events) as RequestView;
  expect(request.method).toBe('POST');
  expect(request.body.triggered_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(request.headers['idempotency-key']).toContain(request.body.triggered_at);
  expect(runbookAnswer(events)).toBeUndefined();
  const times = stream.map((e) => Date.parse(e.time));
  expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
});

test('a refused run: the A4 message as the failure reason', async () => {
  const { stream } = await recorded('failed-404');
  expect(stream.at(-1)).toMatchObject({
    milestone: 'Processing failed',
    reason: 'Runbook execution failed with status 404',
  });
});

test('a run cancelled by a user: the cancel and the abort name the user and the reason', async () => {
  const { stream } = await recorded('cancelled-by-user');
  expect(milestones(stream).slice(2)).toEqual([
    ['Cancellation requested', 'Scheduled run cancelled by alice', 'alice'],
    ['Instance aborted', 'Scheduled run cancelled by alice', 'alice'],
  ]);
});

test('an abort record: one entry with its reason and who', async () => {
  const { stream, record } = await recorded('aborted-occurrence');
  expect(milestones(stream)).toEqual([['Instance aborted', record?.reason, record?.user]]);
  expect(record?.reason).toMatch(/^Instance aborted by /);
});

test('a correlated HTTP dispatch (child workflow) and a duplicate of a workflow target', async () => {
  const correlated = await recorded('http-correlated');
  expect(correlated.stream.at(-1)?.milestone).toBe('Processing completed successfully');
  expect(dispatchedRequest(correlated.events)).toMatchObject({ method: 'POST' });
  const duplicate = await recorded('duplicate');
  expect(duplicate.stream.at(-1)?.milestone).toBe('Run refused as a duplicate');
  expect(dispatchedRequest(duplicate.events)).toMatchObject({ workflow_type: 'recordingRunbookWorkflow' });
});
