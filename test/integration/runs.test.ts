/**
 * List Runs on the real dev server: a reference's runs are read from Temporal's visibility store, newest first,
 * with their generation, occurrence instant and outcome; they stay inspectable after Delete Schedule (FEATURES.md
 * A9), and one solution never sees another's (A10), whatever characters the reference holds.
 */
import { startHttpApi } from '../../src/api/http-api';
import { parseTokens } from '../../src/config';
import { ActionErrorCode, ScheduleActionError } from '../../src/connector/errors';
import type { RunView } from '../../src/temporal/runs';
import { createDailySchedule, fireNow, rejectionOf, useConnectorWorld } from './connector-fixtures';
import { uniqueId, waitFor } from './harness';

jest.setTimeout(120_000);

const world = useConnectorWorld();

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Polls List Runs until it returns `count` runs (visibility is eventually consistent). */
async function runsOnceListed(solution: string, reference: string, count: number): Promise<RunView[]> {
  return await waitFor(
    async () => {
      const { runs } = await world.service.listRuns(solution, { schedule_reference: reference });
      return runs.length === count && runs.every((run) => run.dispatch_status !== null) ? runs : undefined;
    },
    { timeoutMs: 30_000, description: `${count} runs listed` },
  );
}

test('runs are listed newest first, stay after delete, and never leak to another solution', async () => {
  const solution = uniqueId('sol');
  const other = uniqueId('sol-other');
  // Quotes and a backslash: the reference travels inside a visibility query.
  const reference = `${uniqueId('ref')} it's "quoted" \\ too`;
  await createDailySchedule(world.service, solution, reference, {
    kind: 'http',
    url: `${world.receiver.url}/runbook`,
  });
  try {
    const first = await fireNow(world.scheduler, solution, reference);
    await first.result();
    const second = await fireNow(world.scheduler, solution, reference);
    await second.result();
    const generation = (await world.service.getSchedule(solution, { schedule_reference: reference }))
      ?.generation;

    const runs = await runsOnceListed(solution, reference, 2);
    expect(runs.map((run) => run.workflow_id)).toEqual([second.workflowId, first.workflowId]);
    for (const run of runs) {
      expect(run).toMatchObject({
        generation,
        status: 'COMPLETED',
        dispatch_status: 'succeeded',
        job_context_identifier: null,
      });
      expect(run.triggered_at).toMatch(INSTANT);
      expect(run.workflow_id.endsWith(run.triggered_at)).toBe(true);
      expect(run.closed_at).not.toBeNull();
      expect(run.duration_ms).toBeGreaterThanOrEqual(0);
    }

    const limited = await world.service.listRuns(solution, { schedule_reference: reference, limit: 1 });
    expect(limited.runs.map((run) => run.workflow_id)).toEqual([second.workflowId]);
    expect(await world.service.listRuns(other, { schedule_reference: reference })).toEqual({ runs: [] });

    await world.service.deleteSchedule(solution, { schedule_reference: reference });
    expect(await world.service.getSchedule(solution, { schedule_reference: reference })).toBeUndefined();
    const afterDelete = await world.service.listRuns(solution, { schedule_reference: reference });
    expect(afterDelete.runs.map((run) => run.workflow_id)).toEqual([second.workflowId, first.workflowId]);
  } finally {
    await world.service.deleteSchedule(solution, { schedule_reference: reference });
  }
});

test('an invalid limit is refused with a message naming it, before any query', async () => {
  const error = await rejectionOf(world.service.listRuns('acme', { schedule_reference: 'r', limit: 0 }));
  expect(error).toBeInstanceOf(ScheduleActionError);
  expect((error as ScheduleActionError).code).toBe(ActionErrorCode.Invalid);
  expect(error.message).toBe('Limit must be greater than or equal to 1');
});

test('GET /v1/schedules/{reference}/runs lists the caller solution runs only', async () => {
  const solution = uniqueId('sol');
  // A quote the store matches itself (doubled in the query).
  const reference = `${uniqueId('ref')} it's`;
  const token = uniqueId('token');
  const otherToken = uniqueId('token');
  const api = await startHttpApi(
    world.service,
    parseTokens(`${token}=${solution},${otherToken}=${uniqueId('sol-other')}`),
    0,
  );
  await createDailySchedule(world.service, solution, reference, {
    kind: 'http',
    url: `${world.receiver.url}/runbook`,
  });
  try {
    const run = await fireNow(world.scheduler, solution, reference);
    await run.result();
    await runsOnceListed(solution, reference, 1);
    const get = async (bearer: string, query = '') => {
      const res = await fetch(
        `http://127.0.0.1:${api.port}/v1/schedules/${encodeURIComponent(reference)}/runs${query}`,
        { headers: { authorization: `Bearer ${bearer}` } },
      );
      return { status: res.status, json: (await res.json()) as { runs?: RunView[]; error?: string } };
    };
    const own = await get(token, '?limit=5');
    expect(own.status).toBe(200);
    expect(own.json.runs?.map((r) => r.workflow_id)).toEqual([run.workflowId]);
    expect(await get(otherToken)).toEqual({ status: 200, json: { runs: [] } });
    expect(await get(token, '?limit=abc')).toEqual({
      status: 422,
      json: { error: 'Limit must be a number', details: ['Limit must be a number'] },
    });
  } finally {
    await api.close();
    await world.service.deleteSchedule(solution, { schedule_reference: reference });
  }
});
