/**
 * The activity stream's pure mapping (FEATURES.md B7): a run's decoded history events and the schedule
 * operations of its window become milestones with their time, reason and who; the request is viewed with the
 * target's header values redacted; the answer's JSON body is parsed.
 */
import {
  activityStream,
  dispatchedRequest,
  Milestones,
  operationEntries,
  operationsInRun,
  runbookAnswer,
  runEntries,
  type RunEvent,
} from '../../../src/instances/activity-stream';
import { AbortReasons, type AbortRecord } from '../../../src/instances/abort-record';
import type { HttpDispatchRequest, RunbookAnswer } from '../../../src/dispatch/request';
import type { ScheduleOperationRecord } from '../../../src/temporal/run-input';
import type { StoredSchedule } from '../../../src/temporal/schedule-gateway';
import { operationWindow, previousOccurrence } from '../../../src/instances/activity';
import type { InstanceView } from '../../../src/instances/list';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, second)).toISOString();

const REQUEST: HttpDispatchRequest = {
  url: 'https://runbooks.example/hook',
  headers: { Authorization: 'Bearer s3cret', 'X-Tenant': 'acme' },
  payload: {
    body: { order: 'A-1', schedule_reference: 'nightly' },
    triggered_at: '2026-01-01T10:00:00Z',
    submitted_by: 'alice',
  },
  idempotencyKey: 'sched/gen/2026-01-01T10:00:00Z',
  jobContextIdentifier: null,
};
const answer = (status: number, body: string, contentType = 'application/json'): RunbookAnswer => ({
  status,
  status_text: status === 200 ? 'OK' : 'Not Found',
  content_type: contentType,
  body,
  truncated: false,
});

const started: RunEvent = { kind: 'started', time: at(0), input: { submittedBy: 'alice' } };
const dispatched: RunEvent = { kind: 'dispatch_scheduled', time: at(1), http: REQUEST };

test('a run that succeeds: triggered, started processing (request), completed (response), with times', () => {
  const events: RunEvent[] = [
    started,
    dispatched,
    { kind: 'dispatch_completed', time: at(2), result: { status: 200, answer: answer(200, '{"ok":true}') } },
    { kind: 'completed', time: at(3), result: { status: 'succeeded' } },
  ];
  expect(runEntries(events)).toEqual([
    { time: at(0), milestone: 'Scheduled run is triggered', reason: null, by: 'alice', payloads: [] },
    {
      time: at(1),
      milestone: 'Scheduled run started processing',
      reason: null,
      by: 'alice',
      payloads: ['request'],
    },
    {
      time: at(3),
      milestone: 'Processing completed successfully',
      reason: null,
      by: 'alice',
      payloads: ['response'],
    },
  ]);
  expect(runbookAnswer(events)).toEqual({ ...answer(200, ''), body: { ok: true } });
});

test('a run that fails after a retried attempt: the attempt, then the A4 message, with the last answer', () => {
  const events: RunEvent[] = [
    started,
    dispatched,
    {
      kind: 'dispatch_failed',
      time: at(2),
      message: 'Runbook execution failed with status 503',
      details: { status: 503, answer: answer(503, 'busy', 'text/plain') },
    },
    { ...dispatched, time: at(6) },
    {
      kind: 'dispatch_failed',
      time: at(7),
      message: 'Runbook execution failed with status 404',
      details: { status: 404, answer: answer(404, '{"error":"no such job"}') },
    },
    { kind: 'failed', time: at(8), message: 'Runbook execution failed with status 404' },
  ];
  const entries = runEntries(events);
  expect(entries.map((e) => [e.milestone, e.reason])).toEqual([
    [Milestones.triggered, null],
    [Milestones.started, null],
    ['Dispatch attempt failed', 'Runbook execution failed with status 503'],
    ['Processing failed', 'Runbook execution failed with status 404'],
  ]);
  expect(entries.at(-1)?.payloads).toEqual(['response']);
  expect(runbookAnswer(events)).toMatchObject({ status: 404, body: { error: 'no such job' } });
});

test('a cancelled run: the request and the abort name the cancelling user and the reason', () => {
  const reason = `${AbortReasons.cancelled} by bob`;
  const entries = runEntries([
    started,
    dispatched,
    { kind: 'cancelled_by', time: at(4), user: 'bob', reason },
    { kind: 'cancel_requested', time: at(4), reason },
    { kind: 'cancelled', time: at(5) },
  ]);
  expect(entries.slice(2)).toEqual([
    { time: at(4), milestone: 'Cancellation requested', reason, by: 'bob', payloads: [] },
    { time: at(5), milestone: 'Instance aborted', reason, by: 'bob', payloads: [] },
  ]);
});

test('a run cancelled outside the product (no user named): the request reason, else the plain reason', () => {
  const fromUi = runEntries([
    started,
    { kind: 'cancel_requested', time: at(4), reason: 'cancelled in the Web UI' },
    { kind: 'cancelled', time: at(5) },
  ]);
  expect(fromUi.slice(1).map((e) => [e.milestone, e.reason, e.by])).toEqual([
    ['Cancellation requested', 'cancelled in the Web UI', null],
    ['Instance aborted', 'cancelled in the Web UI', null],
  ]);
  const bare = runEntries([
    started,
    { kind: 'cancel_requested', time: at(4), reason: '' },
    { kind: 'cancelled', time: at(5) },
  ]);
  expect(bare.at(-1)).toMatchObject({
    milestone: 'Instance aborted',
    reason: AbortReasons.cancelled,
    by: null,
  });
});

test('a duplicate, a termination and a timeout each read as what happened', () => {
  expect(
    runEntries([{ kind: 'completed', time: at(1), result: { status: 'duplicate' } }])[0]?.milestone,
  ).toBe('Run refused as a duplicate');
  expect(runEntries([{ kind: 'terminated', time: at(1), reason: 'by ops' }])[0]).toMatchObject({
    milestone: 'Processing failed',
    reason: 'Run terminated: by ops',
  });
  expect(runEntries([{ kind: 'timed_out', time: at(1) }])[0]?.reason).toBe('Run timed out');
});

const op = (
  kind: ScheduleOperationRecord['kind'],
  second: number,
  user = 'carol',
): ScheduleOperationRecord => ({
  kind,
  user,
  requestedAt: at(second),
  completedAt: at(second),
});

test('the operations of the window only, before the run, oldest first', () => {
  const operations = [op('Pause', 5), op('Resume', 20), op('Pause', 40), op('Resume', 50), op('Pause', 59)];
  const stream = activityStream({
    events: [{ ...started, time: at(55) }],
    window: { operations, after: at(10), until: at(55) },
  });
  expect(stream.map((e) => [e.time, e.milestone, e.by])).toEqual([
    [at(20), 'Schedule resumed', 'carol'],
    [at(40), 'Schedule paused', 'carol'],
    [at(50), 'Schedule resumed', 'carol'],
    [at(55), 'Scheduled run is triggered', 'alice'],
  ]);
});

test('a queued instance reads the operations since the previous occurrence; an aborted one its record', () => {
  const queued = activityStream({
    window: { operations: [op('Pause', 5), op('Resume', 9)], after: null, until: null },
  });
  expect(queued.map((e) => e.milestone)).toEqual(['Schedule paused', 'Schedule resumed']);
  const record: AbortRecord = {
    scheduleId: 's',
    solution: 'acme',
    reference: 'nightly',
    runbookUuid: 'u',
    generation: 'g',
    occurrence: '2026-01-02T10:00:00Z',
    reason: AbortReasons.byStop('dave'),
    user: 'dave',
    abortedAt: at(30),
  };
  const stream = activityStream({
    record,
    window: { operations: [op('Pause', 5), op('Stop', 30, 'dave')], after: null, until: at(30) },
  });
  expect(stream).toEqual([
    { time: at(5), milestone: 'Schedule paused', reason: null, by: 'carol', payloads: [] },
    { time: at(30), milestone: 'Schedule stopped', reason: null, by: 'dave', payloads: [] },
    {
      time: at(30),
      milestone: 'Instance aborted',
      reason: 'Instance aborted as schedule was stopped by dave',
      by: 'dave',
      payloads: [],
    },
  ]);
});

test('the request is viewed as sent, the target header values redacted, the platform headers shown', () => {
  const view = dispatchedRequest([started, dispatched]);
  expect(view).toEqual({
    method: 'POST',
    url: REQUEST.url,
    headers: {
      authorization: '[redacted]',
      'x-tenant': '[redacted]',
      'content-type': 'application/json',
      'idempotency-key': REQUEST.idempotencyKey,
      'user-agent': 'runbook-scheduler',
    },
    body: REQUEST.payload,
  });
  expect(JSON.stringify(view)).not.toContain('s3cret');
  expect(dispatchedRequest([started])).toBeUndefined();
});

test('an answer that is not JSON, or cut off, keeps its text; none recorded is undefined', () => {
  const text = answer(200, 'accepted', 'text/plain');
  expect(
    runbookAnswer([{ kind: 'dispatch_completed', time: at(1), result: { status: 200, answer: text } }]),
  ).toEqual(text);
  const cut = { ...answer(200, '{"a":'), truncated: true };
  expect(runbookAnswer([{ kind: 'dispatch_completed', time: at(1), result: { answer: cut } }])).toEqual(cut);
  // Runs recorded before answers were kept: the status only.
  expect(
    runbookAnswer([{ kind: 'dispatch_completed', time: at(1), result: { status: 200 } }]),
  ).toBeUndefined();
});

test('credentials in the target URL are redacted in the viewed request', () => {
  const http = { ...REQUEST, url: 'https://bot:hunter2@runbooks.example/hook?x=1' };
  const view = dispatchedRequest([{ kind: 'dispatch_scheduled', time: at(1), http }]);
  expect(view).toMatchObject({ url: 'https://redacted:redacted@runbooks.example/hook?x=1' });
  expect(JSON.stringify(view)).not.toContain('hunter2');
});

test('a run reads the operations its own input recorded; older inputs and abort records have none', () => {
  const operations = [op('Pause', 5), op('Resume', 9)];
  const run: RunEvent = { ...started, input: { submittedBy: 'alice', lifecycle: { operations } } };
  expect(operationsInRun([run])).toEqual(operations);
  expect(operationsInRun([started])).toBeUndefined();
  expect(operationsInRun([])).toBeUndefined();
});

test('a workflow target: the started workflow and its body are the request; no answer is recorded', () => {
  const workflow = { workflow_type: 'nightlyJob', workflow_id: 'acme:job:1', body: REQUEST.payload };
  const events: RunEvent[] = [
    started,
    { kind: 'dispatch_scheduled', time: at(1), workflow },
    { kind: 'completed', time: at(2), result: { status: 'succeeded' } },
  ];
  expect(dispatchedRequest(events)).toEqual(workflow);
  expect(runbookAnswer(events)).toBeUndefined();
  expect(runEntries(events).at(-1)).toMatchObject({ milestone: Milestones.completed, payloads: [] });
});

const view = (id: string, triggered: string, extra: Partial<InstanceView> = {}): InstanceView => ({
  primary_identifier: id,
  instance_id: id,
  status: 'Queued',
  type: 'Scheduled',
  triggered_at: triggered,
  business_identifiers: {},
  submitter: 'alice',
  started_at: null,
  closed_at: null,
  duration_ms: null,
  aborted: null,
  resubmitted_from: null,
  resubmitted_as: [],
  ...extra,
});

test("a queued instance's window opens when the previous occurrence left the queue, not at its instant", () => {
  // The previous occurrence (an hour ahead) was aborted at second 10; a Pause at 20 touched the next one.
  const aborted = view('a', '2026-01-01T11:00:00Z', { status: 'Aborted' });
  const next = view('b', '2026-01-01T12:00:00Z');
  const runNow = view('r', '2026-01-01T11:30:00Z', { type: 'RunNow', started_at: at(30) });
  const all = [next, runNow, aborted];
  expect(previousOccurrence(next, all)).toBe(aborted);
  expect(previousOccurrence(aborted, all)).toBeUndefined();
  const stored = {
    input: { lifecycle: { operations: [op('Pause', 5), op('Pause', 20)] } },
  } as unknown as StoredSchedule;
  const window = operationWindow(next, at(10), stored, undefined);
  expect(window).toMatchObject({ after: at(10), until: null });
  expect(operationEntries(window!).map((e) => e.time)).toEqual([at(20)]);
  // Outside the cadence (Run now), no operations window.
  expect(operationWindow(runNow, at(10), stored, undefined)).toBeUndefined();
});
