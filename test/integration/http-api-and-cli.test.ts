/**
 * The HTTP API and the CLI are thin layers over the same service (issue 4, item 8): each validates with the same
 * schemas, returns the exact strings of FEATURES.md, and the HTTP API derives the solution from the caller's
 * token, so no caller can reach another solution's schedules (A10).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startHttpApi, type RunningHttpApi } from '../../src/api/http-api';
import { parseTokens } from '../../src/config';
import { TriggerTemplate } from '../../src/catalog/model';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { uniqueId } from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';

const BIN = path.join(__dirname, '..', '..', 'bin', 'runbook-scheduler.js');

let scheduler: SchedulerFixture;
let api: RunningHttpApi;
let base: string;
const solutionA = uniqueId('sol-a');
const solutionB = uniqueId('sol-b');
const tokenA = randomUUID();
const tokenB = randomUUID();

beforeAll(async () => {
  scheduler = await startScheduler();
  api = await startHttpApi(
    scheduler.app.service,
    parseTokens(`${tokenA}=${solutionA},${tokenB}=${solutionB}`),
    0,
  );
  base = `http://127.0.0.1:${api.port}/v1`;
});

afterAll(async () => {
  await api?.close();
  await scheduler?.close();
});

async function call(
  method: string,
  route: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const weekly = {
  frequency: 'weekly',
  time_zone: 'UTC',
  interval: 1,
  day: ['monday', 'wednesday', 'friday'],
  time_of_day: '09:00:00',
};

async function registerDynamicRunbook(token: string): Promise<string> {
  const uuid = randomUUID();
  const res = await call('POST', '/runbooks', token, {
    uuid,
    name: 'worker runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler, job_context_identifier_path: 'body.tenant_id' },
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
  });
  expect(res.status).toBe(200);
  return uuid;
}

describe('HTTP API', () => {
  test('refuses callers without a known bearer token', async () => {
    expect((await call('GET', '/schedules', undefined)).status).toBe(401);
    const unknown = await call('GET', '/schedules', 'not-a-token');
    expect(unknown.status).toBe(401);
    expect(unknown.json.error).toBe('Missing or unknown bearer token');
  });

  test('create, read, update, delete with the exact outputs and errors', async () => {
    const runbook = await registerDynamicRunbook(tokenA);
    const reference = uniqueId('tenant-42-daily');
    try {
      const created = await call('POST', '/schedules', tokenA, {
        runbook_uuid: runbook,
        schedule_reference: reference,
        schedule: weekly,
        request_body: { tenant_id: '42' },
      });
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        schedule_reference: reference,
        next_occurrence_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT09:00:00Z$/) as unknown,
        next_occurrence_errors: null,
      });

      const duplicate = await call('POST', '/schedules', tokenA, {
        runbook_uuid: runbook,
        schedule_reference: reference,
        schedule: weekly,
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.json.error).toBe(
        'Failed to create schedule: ["Reference must be unique per solution"]',
      );

      const read = await call('GET', `/schedules/${encodeURIComponent(reference)}`, tokenA);
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({
        schedule_reference: reference,
        runbook_uuid: runbook,
        paused: false,
      });
      expect(read.json.request_body).toEqual({ tenant_id: '42' });

      const badUpdate = await call('PUT', `/schedules/${encodeURIComponent(reference)}`, tokenA, {
        schedule: { ...weekly, interval: 0 },
      });
      expect(badUpdate.status).toBe(422);
      expect(badUpdate.json).toEqual({
        error: 'Failed to update schedule: Schedule update failed',
        details: ['Interval must be greater than or equal to 1'],
      });

      const paused = await call('PUT', `/schedules/${encodeURIComponent(reference)}`, tokenA, {
        schedule: { ...weekly, disabled: true },
      });
      expect(paused.json).toEqual({ success: true });
      const afterPause = await call('GET', `/schedules/${encodeURIComponent(reference)}`, tokenA);
      expect(afterPause.json.paused).toBe(true);

      const deleted = await call('DELETE', `/schedules/${encodeURIComponent(reference)}`, tokenA);
      expect(deleted).toEqual({ status: 200, json: { success: true } });
      expect((await call('DELETE', `/schedules/${encodeURIComponent(reference)}`, tokenA)).json).toEqual({
        success: true,
      });
      expect((await call('GET', `/schedules/${encodeURIComponent(reference)}`, tokenA)).status).toBe(404);
    } finally {
      await scheduler.app.service.deleteSchedule(solutionA, { schedule_reference: reference });
    }
  });

  test("one solution's token cannot read, change or fire another solution's schedule", async () => {
    const runbook = await registerDynamicRunbook(tokenA);
    const reference = uniqueId('shared-name');
    const route = `/schedules/${encodeURIComponent(reference)}`;
    try {
      await call('POST', '/schedules', tokenA, {
        runbook_uuid: runbook,
        schedule_reference: reference,
        schedule: weekly,
      });
      expect((await call('GET', route, tokenB)).status).toBe(404);
      const update = await call('PUT', route, tokenB, { schedule: weekly });
      expect(update.status).toBe(404);
      expect(update.json.error).toBe('Failed to update schedule: Schedule not found');
      expect((await call('POST', `${route}/trigger`, tokenB)).status).toBe(404);
      expect((await call('POST', `${route}/pause`, tokenB)).status).toBe(404);
      expect((await call('DELETE', route, tokenB)).json).toEqual({ success: true });
      // B's delete of "its" reference left A's schedule alone, and B cannot schedule A's runbook.
      expect((await call('GET', route, tokenA)).status).toBe(200);
      const foreign = await call('POST', '/schedules', tokenB, {
        runbook_uuid: runbook,
        schedule_reference: reference,
        schedule: weekly,
      });
      expect(foreign.status).toBe(404);
      expect(foreign.json.error).toBe('Failed to create schedule: No Runbook found');
    } finally {
      await scheduler.app.service.deleteSchedule(solutionA, { schedule_reference: reference });
    }
  });

  test('malformed bodies and invalid recurrences are refused with messages that name the field', async () => {
    const badJson = await call('POST', '/schedules', tokenA, '{not json');
    expect(badJson).toEqual({ status: 400, json: { error: 'Request body is not valid JSON', details: [] } });
    const badPath = await call('GET', '/schedules/%E0%A4%A', tokenA);
    expect(badPath).toEqual({
      status: 400,
      json: { error: 'Schedule reference in the path is not valid percent-encoding', details: [] },
    });
    const runbook = await registerDynamicRunbook(tokenA);
    const invalid = await call('POST', '/schedules', tokenA, {
      runbook_uuid: runbook,
      schedule_reference: uniqueId('bad'),
      schedule: { frequency: 'weekly', interval: 1, time_zone: 'Mars/Base', time_of_day: '09:00', day: [] },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error).toBe(
      'Failed to create schedule: ["Time zone \\"Mars/Base\\" is not a valid IANA time zone","Day must contain at least one weekday"]',
    );
  });
});

describe('CLI', () => {
  function cli(...args: string[]) {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        RUNBOOK_SCHEDULER_DATA_DIR: scheduler.settings.dataDir,
        RUNBOOK_SCHEDULER_USER: 'carol',
      },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  test('create, get, update and delete through the same service, with exact errors', async () => {
    const runbook = await registerDynamicRunbook(tokenA);
    const reference = uniqueId('cli');
    try {
      const created = cli(
        'create',
        '--solution',
        solutionA,
        '--input',
        JSON.stringify({ runbook_uuid: runbook, schedule_reference: reference, schedule: weekly }),
      );
      expect(created.status).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({
        schedule_reference: reference,
        next_occurrence_errors: null,
      });
      // The CLI's user is the schedule's submitting user, as the HTTP API's caller is.
      const stored = await scheduler.app.client.schedule
        .getHandle(scheduleIdFor(solutionA, reference))
        .describe();
      const action: unknown = stored.action.type === 'startWorkflow' ? stored.action.args?.[0] : undefined;
      expect(action).toMatchObject({ submittedBy: 'carol' });

      const got = cli('get', '--solution', solutionA, '--reference', reference);
      expect(got.status).toBe(0);
      expect(JSON.parse(got.stdout)).toMatchObject({ schedule_reference: reference, runbook_uuid: runbook });

      const notFound = cli(
        'update',
        '--solution',
        solutionB,
        '--input',
        JSON.stringify({ schedule_reference: reference, schedule: weekly }),
      );
      expect(notFound.status).toBe(1);
      expect(notFound.stderr.trim()).toBe('Failed to update schedule: Schedule not found');

      const invalid = cli(
        'update',
        '--solution',
        solutionA,
        '--input',
        JSON.stringify({ schedule_reference: reference, schedule: { ...weekly, interval: 0 } }),
      );
      expect(invalid.status).toBe(2);
      expect(invalid.stderr).toContain('Failed to update schedule: Schedule update failed');
      expect(invalid.stderr).toContain('Interval must be greater than or equal to 1');

      const deleted = cli('delete', '--solution', solutionA, '--reference', reference);
      expect(deleted.status).toBe(0);
      expect(JSON.parse(deleted.stdout)).toEqual({ success: true });
    } finally {
      await scheduler.app.service.deleteSchedule(solutionA, { schedule_reference: reference });
    }
  });

  test('commands that need a solution refuse to run without one', () => {
    const out = spawnSync(process.execPath, [BIN, 'list'], {
      encoding: 'utf8',
      env: { ...process.env, RUNBOOK_SCHEDULER_SOLUTION: '' },
    });
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('--solution (or RUNBOOK_SCHEDULER_SOLUTION) is required');
  });
});
