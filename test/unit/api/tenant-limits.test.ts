/**
 * Limits per tenant on the HTTP API (issue 9, item 8): each token has a rate limit, answered 429 with a clear
 * message and `Retry-After`; a solution at its schedule quota is answered 429 too.
 */
import { buildHttpApi } from '../../../src/api/http-api';
import { ActionErrorCode, Messages, ScheduleActionError } from '../../../src/connector/errors';
import { AUTH, fakeService, TOKENS } from './fake-service';

test('a token over its rate limit gets 429 with Retry-After; other tokens are not affected', async () => {
  const app = buildHttpApi(fakeService().service, TOKENS, { logger: false, rateLimitPerMinute: 2 });
  try {
    const get = (authorization: string) =>
      app.inject({ method: 'GET', url: '/v1/schedules', headers: { authorization } });
    expect((await get(AUTH.authorization)).statusCode).toBe(200);
    expect((await get(AUTH.authorization)).statusCode).toBe(200);
    const limited = await get(AUTH.authorization);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      error: 'Too many requests: at most 2 per minute for this token',
      details: [],
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get('Bearer token-other')).statusCode).toBe(200);
    // Unknown tokens are refused as before, and never fill the limiter.
    expect((await get('Bearer guess')).statusCode).toBe(401);
  } finally {
    await app.close();
  }
});

test('a solution at its schedule quota: Create Schedule answers 429 with the quota in the message', async () => {
  const sentence = Messages.quotaReached(5);
  const fake = fakeService({
    createSchedule: () =>
      Promise.reject(
        new ScheduleActionError(Messages.createInvalid([sentence]), ActionErrorCode.QuotaExceeded, [
          sentence,
        ]),
      ),
  });
  const app = buildHttpApi(fake.service, TOKENS, { logger: false });
  try {
    const res = await app.inject({ method: 'POST', url: '/v1/schedules', headers: AUTH, payload: {} });
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({
      error: 'Failed to create schedule: ["Solution has reached its quota of 5 schedules"]',
      details: ['Solution has reached its quota of 5 schedules'],
    });
  } finally {
    await app.close();
  }
});
