/**
 * The operation routes (FEATURES.md B1-B3, B8): each calls its operation as the token's principal with the path's
 * reference and the raw body; without operations, pause and resume still reach the service.
 */
import { buildHttpApi } from '../../../src/api/http-api';
import { ActionErrorCode, Messages, ScheduleActionError } from '../../../src/connector/errors';
import { DEFAULT_API_USER } from '../../../src/principal';
import { AUTH, fakeService, SOLUTION, TOKENS } from './fake-service';
import { fakeOperations, RUN_NOW, STATUS } from './fake-operations';

const PRINCIPAL = { solution: SOLUTION, user: DEFAULT_API_USER, roles: [] };

async function inject(
  ops: ReturnType<typeof fakeOperations> | undefined,
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
) {
  const fake = fakeService();
  const app = buildHttpApi(fake.service, TOKENS, {
    logger: false,
    ...(ops ? { operations: ops.operations } : {}),
  });
  const res = await app.inject({
    method,
    url,
    headers: { ...AUTH, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  await app.close();
  return { res, serviceCalls: fake.calls };
}

test.each([
  ['POST', '/v1/schedules/r/pause', 'pause'],
  ['POST', '/v1/schedules/r/resume', 'resume'],
  ['POST', '/v1/schedules/r/stop', 'stop'],
  ['POST', '/v1/schedules/r/retry', 'retry'],
  ['GET', '/v1/schedules/r/status', 'status'],
] as const)('%s %s calls %s as the principal', async (method, url, operation) => {
  const ops = fakeOperations();
  const { res } = await inject(ops, method, url);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual(STATUS);
  expect(ops.calls).toEqual([{ method: operation, args: [PRINCIPAL, { schedule_reference: 'r' }] }]);
});

test('start passes its body (parameters, submitted_by) with the path reference winning', async () => {
  const ops = fakeOperations();
  const body = { parameters: { region: 'us' }, submitted_by: 'bob', schedule_reference: 'other' };
  const { res } = await inject(ops, 'POST', '/v1/schedules/r/start', body);
  expect(res.statusCode).toBe(200);
  expect(ops.calls).toEqual([{ method: 'start', args: [PRINCIPAL, { ...body, schedule_reference: 'r' }] }]);
});

test('run-now answers the instance it started; without a body it gives no parameters', async () => {
  const ops = fakeOperations();
  const { res } = await inject(ops, 'POST', '/v1/schedules/r/run-now');
  expect(res.json()).toEqual(RUN_NOW);
  expect(ops.calls).toEqual([{ method: 'runNow', args: [PRINCIPAL, { schedule_reference: 'r' }] }]);
});

test.each([
  [new ScheduleActionError(Messages.retryTooSoon('2026-12-02T04:10:00.000Z'), ActionErrorCode.TooEarly), 429],
  [new ScheduleActionError(Messages.operationPending('Pausing'), ActionErrorCode.Conflict), 409],
  [
    new ScheduleActionError(
      Messages.roleRequired('ServiceAdministrator', 'change the submitting user'),
      ActionErrorCode.Forbidden,
    ),
    403,
  ],
])('a refusal answers its status and exact message: %s', async (error, status) => {
  const ops = fakeOperations({ retry: () => Promise.reject(error) });
  const { res } = await inject(ops, 'POST', '/v1/schedules/r/retry');
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ error: error.message });
});

test('without operations, pause and resume reach the service, and the other routes are absent', async () => {
  const { res, serviceCalls } = await inject(undefined, 'POST', '/v1/schedules/r/pause');
  expect(res.json()).toEqual({ success: true });
  expect(serviceCalls).toEqual([{ method: 'pauseSchedule', args: [SOLUTION, { schedule_reference: 'r' }] }]);
  expect((await inject(undefined, 'POST', '/v1/schedules/r/stop')).res.statusCode).toBe(404);
});
