/**
 * The HTTP API over a fake service, through `inject()`: each route calls the right method with the caller's
 * solution and the raw input, and every refusal has its status code and exact body.
 */
import type { InjectOptions } from 'fastify';
import { buildHttpApi, type HttpApiService } from '../../../src/api/http-api';
import { DEFAULT_API_USER } from '../../../src/principal';
import { MAX_BODY_BYTES } from '../../../src/api/errors';
import { ActionErrorCode, Messages, ScheduleActionError } from '../../../src/connector/errors';
import { Dependency, UnavailableError } from '../../../src/errors';
import {
  AUTH,
  CREATED,
  RUN,
  RUNBOOK,
  SOLUTION,
  TOKENS,
  VIEW,
  fakeService,
  type FakeService,
} from './fake-service';

type Inject = InjectOptions & { method: NonNullable<InjectOptions['method']>; url: string };

async function call(fake: FakeService, options: Inject, logLines?: string[]) {
  const logger = logLines
    ? { level: 'error', stream: { write: (line: string) => logLines.push(line) } }
    : false;
  const app = buildHttpApi(fake.service, TOKENS, { logger });
  try {
    const res = await app.inject(options);
    return {
      status: res.statusCode,
      json: res.body === '' ? undefined : (JSON.parse(res.body) as unknown),
      body: res.body,
      headers: res.headers,
    };
  } finally {
    await app.close();
  }
}

const weekly = { frequency: 'weekly', interval: 1, time_zone: 'UTC', day: ['monday'], time_of_day: '09:00' };

describe('each route calls its service method with the token’s solution and the raw input', () => {
  test.each<[string, Inject, keyof HttpApiService, unknown[], number, unknown]>([
    [
      'POST /v1/runbooks registers the body as a runbook of the token’s solution, whatever the body says',
      { method: 'POST', url: '/v1/runbooks', payload: { uuid: RUNBOOK.uuid, name: 'n', solution: 'other' } },
      'registerRunbook',
      [{ uuid: RUNBOOK.uuid, name: 'n', solution: SOLUTION }],
      200,
      RUNBOOK,
    ],
    [
      'GET /v1/runbooks lists them',
      { method: 'GET', url: '/v1/runbooks' },
      'listRunbooks',
      [SOLUTION],
      200,
      { runbooks: [RUNBOOK] },
    ],
    [
      'POST /v1/schedules is Create Schedule, answered 201',
      {
        method: 'POST',
        url: '/v1/schedules',
        payload: { runbook_uuid: 'u', schedule_reference: 'r', schedule: weekly },
      },
      'createSchedule',
      // The caller's user: the schedule's submitting user (B8).
      [SOLUTION, { runbook_uuid: 'u', schedule_reference: 'r', schedule: weekly }, DEFAULT_API_USER],
      201,
      CREATED,
    ],
    [
      'GET /v1/schedules lists them',
      { method: 'GET', url: '/v1/schedules' },
      'listSchedulePage',
      [SOLUTION, {}],
      200,
      { schedules: [VIEW], next_page_token: null },
    ],
    [
      'GET /v1/schedules/{reference} reads one, the reference percent-decoded',
      { method: 'GET', url: '/v1/schedules/tenant%2F42%20daily' },
      'getSchedule',
      [SOLUTION, { schedule_reference: 'tenant/42 daily' }],
      200,
      VIEW,
    ],
    [
      'PUT /v1/schedules/{reference} is Update Schedule, the path’s reference winning over the body’s',
      {
        method: 'PUT',
        url: '/v1/schedules/r',
        payload: { schedule: weekly, schedule_reference: 'elsewhere' },
      },
      'updateSchedule',
      [SOLUTION, { schedule: weekly, schedule_reference: 'r' }],
      200,
      { success: true },
    ],
    [
      'DELETE /v1/schedules/{reference} is Delete Schedule',
      { method: 'DELETE', url: '/v1/schedules/r' },
      'deleteSchedule',
      [SOLUTION, { schedule_reference: 'r' }],
      200,
      { success: true },
    ],
    [
      'POST …/pause pauses',
      { method: 'POST', url: '/v1/schedules/r/pause' },
      'pauseSchedule',
      [SOLUTION, { schedule_reference: 'r' }],
      200,
      { success: true },
    ],
    [
      'POST …/resume resumes',
      { method: 'POST', url: '/v1/schedules/r/resume' },
      'resumeSchedule',
      [SOLUTION, { schedule_reference: 'r' }],
      200,
      { success: true },
    ],
    [
      'POST …/trigger fires now',
      { method: 'POST', url: '/v1/schedules/r/trigger' },
      'triggerSchedule',
      [SOLUTION, { schedule_reference: 'r' }],
      200,
      { success: true },
    ],
    [
      'GET /v1/schedules passes the page size as text and the page token for the service to read',
      { method: 'GET', url: '/v1/schedules?page_size=20&page_token=abc&page_size=30' },
      'listSchedulePage',
      [SOLUTION, { page_size: '20', page_token: 'abc' }],
      200,
      { schedules: [VIEW], next_page_token: null },
    ],
    [
      'GET …/runs lists runs, the limit passed as text for the service to read',
      { method: 'GET', url: '/v1/schedules/r/runs?limit=5' },
      'listRuns',
      [SOLUTION, { schedule_reference: 'r', limit: '5' }],
      200,
      { runs: [RUN] },
    ],
    [
      'GET …/runs without a limit leaves the default to the service',
      { method: 'GET', url: '/v1/schedules/r/runs' },
      'listRuns',
      [SOLUTION, { schedule_reference: 'r' }],
      200,
      { runs: [RUN] },
    ],
    [
      'GET …/runs with a repeated limit reads the first',
      { method: 'GET', url: '/v1/schedules/r/runs?limit=1&limit=2' },
      'listRuns',
      [SOLUTION, { schedule_reference: 'r', limit: '1' }],
      200,
      { runs: [RUN] },
    ],
  ])('%s', async (_name, request, method, args, status, body) => {
    const fake = fakeService();
    const res = await call(fake, { ...request, headers: { ...AUTH, ...request.headers } });
    expect({ status: res.status, json: res.json }).toEqual({ status, json: body });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(fake.calls).toEqual([{ method, args }]);
  });

  test('the response body is the service’s output serialised as is', async () => {
    const res = await call(fakeService(), { method: 'GET', url: '/v1/schedules/r', headers: AUTH });
    expect(res.body).toBe(JSON.stringify(VIEW));
  });

  test('the other token’s caller reaches its own solution', async () => {
    const fake = fakeService();
    await call(fake, {
      method: 'GET',
      url: '/v1/schedules',
      headers: { authorization: 'Bearer token-other' },
    });
    expect(fake.calls).toEqual([{ method: 'listSchedulePage', args: ['other', {}] }]);
  });
});

describe('authentication', () => {
  test.each([
    ['no authorization header', undefined],
    ['an unknown token', 'Bearer not-a-token'],
    ['an empty bearer token', 'Bearer '],
    ['another scheme', `Basic ${Buffer.from('token-acme:').toString('base64')}`],
    ['the token without the scheme', 'token-acme'],
  ])('%s is refused with 401 before anything else happens', async (_name, authorization) => {
    const fake = fakeService();
    const res = await call(fake, {
      method: 'GET',
      url: '/v1/schedules',
      headers: authorization === undefined ? {} : { authorization },
    });
    expect({ status: res.status, json: res.json }).toEqual({
      status: 401,
      json: { error: 'Missing or unknown bearer token', details: [] },
    });
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(fake.calls).toEqual([]);
  });

  test.each<[string, Inject]>([
    ['an unknown path', { method: 'GET', url: '/v1/nope' }],
    ['a method the path does not answer', { method: 'PATCH', url: '/v1/schedules' }],
    ['a malformed body', { method: 'POST', url: '/v1/schedules', payload: '{not json' }],
    ['a reference that is not valid percent-encoding', { method: 'GET', url: '/v1/schedules/%E0%A4%A' }],
    [
      'a body over the limit',
      { method: 'POST', url: '/v1/schedules', payload: 'x'.repeat(MAX_BODY_BYTES + 1) },
    ],
  ])('a caller without a token learns nothing about %s: 401 first', async (_name, request) => {
    const res = await call(fakeService(), request);
    expect(res.status).toBe(401);
  });

  test('surrounding spaces of the token are ignored, as before', async () => {
    const res = await call(fakeService(), {
      method: 'GET',
      url: '/v1/schedules',
      headers: { authorization: 'Bearer   token-acme  ' },
    });
    expect(res.status).toBe(200);
  });
});

describe('errors of the service', () => {
  test.each([
    [ActionErrorCode.Invalid, 422],
    [ActionErrorCode.Unsupported, 422],
    [ActionErrorCode.NotFound, 404],
    [ActionErrorCode.Conflict, 409],
  ])('a ScheduleActionError %s answers %i with its exact message and details', async (code, status) => {
    const error = new ScheduleActionError(Messages.updateFailed, code, [
      'Interval must be greater than or equal to 1',
    ]);
    const res = await call(fakeService({ updateSchedule: () => Promise.reject(error) }), {
      method: 'PUT',
      url: '/v1/schedules/r',
      headers: AUTH,
      payload: { schedule: weekly },
    });
    expect({ status: res.status, json: res.json }).toEqual({
      status,
      json: {
        error: 'Failed to update schedule: Schedule update failed',
        details: ['Interval must be greater than or equal to 1'],
      },
    });
  });

  test('a duplicate reference is 409 with the exact message of Create Schedule', async () => {
    const error = new ScheduleActionError(
      Messages.createInvalid([Messages.referenceNotUnique]),
      ActionErrorCode.Conflict,
    );
    const res = await call(fakeService({ createSchedule: () => Promise.reject(error) }), {
      method: 'POST',
      url: '/v1/schedules',
      headers: AUTH,
      payload: {},
    });
    expect(res.status).toBe(409);
    expect(res.body).toBe(
      '{"error":"Failed to create schedule: [\\"Reference must be unique per solution\\"]","details":[]}',
    );
  });

  test('an unknown schedule is 404 Schedule not found', async () => {
    const res = await call(fakeService({ getSchedule: () => Promise.resolve(undefined) }), {
      method: 'GET',
      url: '/v1/schedules/r',
      headers: AUTH,
    });
    expect({ status: res.status, json: res.json }).toEqual({
      status: 404,
      json: { error: 'Schedule not found', details: [] },
    });
  });

  test.each([
    [Dependency.Temporal, 'deadline exceeded', 'Temporal is unavailable: deadline exceeded'],
    [Dependency.Catalog, 'database is locked', 'Catalog is unavailable: database is locked'],
  ])('an outage of %s is 503 with the UnavailableError message', async (dependency, reason, message) => {
    const res = await call(
      fakeService({ listSchedulePage: () => Promise.reject(new UnavailableError(dependency, reason)) }),
      {
        method: 'GET',
        url: '/v1/schedules',
        headers: AUTH,
      },
    );
    expect({ status: res.status, json: res.json }).toEqual({ status: 503, json: { error: message } });
  });

  test('any other error is 500 with a request id, its message only in the log', async () => {
    const lines: string[] = [];
    const secret = 'connect ECONNREFUSED 10.1.2.3:7233 password=hunter2';
    const res = await call(
      fakeService({ triggerSchedule: () => Promise.reject(new Error(secret)) }),
      { method: 'POST', url: '/v1/schedules/r/trigger', headers: AUTH },
      lines,
    );
    expect(res.status).toBe(500);
    const body = res.json as { error: string; request_id: string };
    expect(body).toEqual({ error: 'Internal error', request_id: expect.any(String) as unknown });
    expect(Object.keys(body)).toEqual(['error', 'request_id']);
    expect(res.body).not.toContain('hunter2');

    const logged = lines.map(
      (line) => JSON.parse(line) as { reqId?: string; err?: { message: string; stack: string } },
    );
    const entry = logged.find((l) => l.err !== undefined);
    expect(entry?.reqId).toBe(body.request_id);
    expect(entry?.err?.message).toBe(secret);
    expect(entry?.err?.stack).toContain('Error: connect ECONNREFUSED');
  });

  test('each request has its own id', async () => {
    const fake = fakeService({ listRunbooks: () => Promise.reject(new Error('boom')) });
    const first = await call(fake, { method: 'GET', url: '/v1/runbooks', headers: AUTH });
    const second = await call(fake, { method: 'GET', url: '/v1/runbooks', headers: AUTH });
    expect((first.json as { request_id: string }).request_id).not.toBe(
      (second.json as { request_id: string }).request_id,
    );
  });
});

describe('paths and methods', () => {
  test.each([
    ['GET', '/v1/nope?limit=1', 'No route for GET /v1/nope'],
    ['GET', '/v1/schedules/', 'No route for GET /v1/schedules/'],
    ['POST', '/v1/schedules//pause', 'No route for POST /v1/schedules//pause'],
    ['GET', '/v1/schedules/r/unknown', 'No route for GET /v1/schedules/r/unknown'],
    ['GET', '/v1/%E0%A4%A', 'No route for GET /v1/%E0%A4%A'],
    ['GET', '/v1/schedules/%E0%A4%A/unknown', 'No route for GET /v1/schedules/%E0%A4%A/unknown'],
  ])('%s %s is 404 naming the method and path', async (method, url, message) => {
    const fake = fakeService();
    const res = await call(fake, { method, url, headers: AUTH });
    expect({ status: res.status, json: res.json }).toEqual({
      status: 404,
      json: { error: message, details: [] },
    });
    expect(fake.calls).toEqual([]);
  });

  test('a body sent to an unknown path is not read', async () => {
    const res = await call(fakeService(), {
      method: 'POST',
      url: '/v1/nope',
      headers: AUTH,
      payload: '{not json',
    });
    expect(res.status).toBe(404);
  });

  test.each([
    ['PATCH', '/v1/schedules', 'GET, POST'],
    ['DELETE', '/v1/runbooks', 'GET, POST'],
    ['POST', '/v1/schedules/r', 'DELETE, GET, PUT'],
    ['GET', '/v1/schedules/r/pause', 'POST'],
    ['PUT', '/v1/schedules/r/runs', 'GET'],
    ['OPTIONS', '/v1/schedules/r/trigger', 'POST'],
  ])('%s %s is 405 with Allow: %s', async (method, url, allow) => {
    const fake = fakeService();
    const res = await call(fake, { method, url, headers: AUTH, payload: '{not json' });
    expect({ status: res.status, json: res.json }).toEqual({
      status: 405,
      json: { error: `Method ${method} not allowed on ${url}`, details: [] },
    });
    expect(res.headers.allow).toBe(allow);
    expect(fake.calls).toEqual([]);
  });

  test('HEAD is not answered for GET routes: 405 with Allow and no body', async () => {
    const res = await call(fakeService(), { method: 'HEAD', url: '/v1/schedules/r/runs', headers: AUTH });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });

  test('the OpenAPI document’s path answers 405 to other methods without a token too', async () => {
    const res = await call(fakeService(), { method: 'POST', url: '/v1/openapi.json' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });

  test.each(['/v1/schedules/%E0%A4%A', '/v1/schedules/%ZZ/pause', '/v1/schedules/100%/runs'])(
    'a reference that is not valid percent-encoding (%s) is 400',
    async (url) => {
      const fake = fakeService();
      const method = url.endsWith('/pause') ? 'POST' : 'GET';
      const res = await call(fake, { method, url, headers: AUTH });
      expect({ status: res.status, json: res.json }).toEqual({
        status: 400,
        json: { error: 'Schedule reference in the path is not valid percent-encoding', details: [] },
      });
      expect(fake.calls).toEqual([]);
    },
  );

  test('a reference longer than the router’s default limit still reaches the service, which judges it', async () => {
    const reference = 'é'.repeat(201);
    const fake = fakeService();
    await call(fake, { method: 'GET', url: `/v1/schedules/${encodeURIComponent(reference)}`, headers: AUTH });
    expect(fake.calls).toEqual([
      { method: 'getSchedule', args: [SOLUTION, { schedule_reference: reference }] },
    ]);
  });
});

describe('request bodies', () => {
  const create = { runbook_uuid: 'u', schedule_reference: 'r', schedule: weekly };

  test.each([
    ['application/json', 'application/json'],
    ['curl -d’s form content type', 'application/x-www-form-urlencoded'],
    ['text/plain', 'text/plain; charset=utf-8'],
  ])('JSON is read whatever the content type: %s', async (_name, contentType) => {
    const fake = fakeService();
    const res = await call(fake, {
      method: 'POST',
      url: '/v1/schedules',
      headers: { ...AUTH, 'content-type': contentType },
      payload: JSON.stringify(create),
    });
    expect(res.status).toBe(201);
    expect(fake.calls[0]?.args).toEqual([SOLUTION, create, DEFAULT_API_USER]);
  });

  test('JSON is read without a content type', async () => {
    const fake = fakeService();
    const app = buildHttpApi(fake.service, TOKENS, { logger: false });
    const res = await app
      .inject()
      .post('/v1/schedules')
      .headers({ ...AUTH })
      .body(Buffer.from(JSON.stringify(create)));
    await app.close();
    expect(res.statusCode).toBe(201);
    expect(fake.calls[0]?.args).toEqual([SOLUTION, create, DEFAULT_API_USER]);
  });

  test('an empty body reaches Create Schedule as no input, for it to refuse', async () => {
    const fake = fakeService();
    await call(fake, {
      method: 'POST',
      url: '/v1/schedules',
      headers: { ...AUTH, 'content-type': 'application/json' },
    });
    expect(fake.calls).toEqual([{ method: 'createSchedule', args: [SOLUTION, undefined, DEFAULT_API_USER] }]);
  });

  test.each([
    ['POST', '/v1/schedules'],
    ['PUT', '/v1/schedules/r'],
    ['POST', '/v1/runbooks'],
    ['POST', '/v1/schedules/r/trigger'],
  ])('%s %s refuses a body that is not JSON with 400', async (method, url) => {
    const fake = fakeService();
    const res = await call(fake, { method, url, headers: AUTH, payload: '{not json' });
    expect({ status: res.status, json: res.json }).toEqual({
      status: 400,
      json: { error: 'Request body is not valid JSON', details: [] },
    });
    expect(fake.calls).toEqual([]);
  });

  test.each([
    ['PUT', '/v1/schedules/r', '[1, 2]'],
    ['PUT', '/v1/schedules/r', '"text"'],
    ['PUT', '/v1/schedules/r', 'null'],
    ['PUT', '/v1/schedules/r', ''],
    ['POST', '/v1/runbooks', '[]'],
    ['POST', '/v1/runbooks', '42'],
  ])('%s %s refuses %j, not an object to merge into, with 400', async (method, url, payload) => {
    const res = await call(fakeService(), { method, url, headers: AUTH, payload });
    expect({ status: res.status, json: res.json }).toEqual({
      status: 400,
      json: { error: 'Request body must be a JSON object', details: [] },
    });
  });

  test('a body of exactly 256 KiB is read; one byte more is 413', async () => {
    const padded = (size: number) => {
      const text = JSON.stringify({ ...create, pad: '' });
      return text.replace('"pad":""', `"pad":"${'x'.repeat(size - text.length)}"`);
    };
    const fake = fakeService();
    const within = await call(fake, {
      method: 'POST',
      url: '/v1/schedules',
      headers: AUTH,
      payload: padded(MAX_BODY_BYTES),
    });
    expect(within.status).toBe(201);
    const over = await call(fake, {
      method: 'POST',
      url: '/v1/schedules',
      headers: AUTH,
      payload: padded(MAX_BODY_BYTES + 1),
    });
    expect({ status: over.status, json: over.json }).toEqual({
      status: 413,
      json: { error: 'Request body must be at most 262144 bytes', details: [] },
    });
    expect(fake.calls).toHaveLength(1);
  });

  test('a body on GET and DELETE is ignored, as before', async () => {
    const fake = fakeService();
    const res = await call(fake, {
      method: 'DELETE',
      url: '/v1/schedules/r',
      headers: AUTH,
      payload: '{not json',
    });
    expect(res.status).toBe(200);
    expect(fake.calls).toEqual([{ method: 'deleteSchedule', args: [SOLUTION, { schedule_reference: 'r' }] }]);
  });

  test('a __proto__ key is dropped, never merged into the input', async () => {
    const fake = fakeService();
    await call(fake, {
      method: 'PUT',
      url: '/v1/schedules/r',
      headers: AUTH,
      payload: '{"schedule": {"frequency": "daily"}, "__proto__": {"polluted": true}}',
    });
    const input = fake.calls[0]?.args[1] as Record<string, unknown>;
    expect(input).toEqual({ schedule: { frequency: 'daily' }, schedule_reference: 'r' });
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('GET /v1/schedules refusals', () => {
  test.each([
    ['a page token the service refuses', Messages.pageTokenInvalid],
    ['a page size the service refuses', 'Page size must be a number'],
  ])('%s is a 400 naming the parameter', async (_name, message) => {
    const refuse = () => Promise.reject(new ScheduleActionError(message, ActionErrorCode.Invalid, [message]));
    const res = await call(fakeService({ listSchedulePage: refuse }), {
      method: 'GET',
      url: '/v1/schedules?page_token=x',
      headers: AUTH,
    });
    expect({ status: res.status, json: res.json }).toEqual({
      status: 400,
      json: { error: message, details: [message] },
    });
  });
});
