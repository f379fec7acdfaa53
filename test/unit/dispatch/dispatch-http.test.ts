/** Pure helpers of the HTTP dispatch activity: the headers it sends and how it names a network failure. */
import net from 'node:net';
import {
  describeNetworkError,
  requestHeaders,
  type HttpDispatchInput,
} from '../../../activities/dispatch-http';

const INPUT: HttpDispatchInput = {
  url: 'http://127.0.0.1:1/hook',
  headers: {},
  payload: { body: { schedule_reference: 'ref' }, triggered_at: '2026-04-29T09:00:00Z' },
  idempotencyKey: 'rbs:sol:ref/gen/2026-04-29T09:00:00Z',
  jobContextIdentifier: null,
};

describe('requestHeaders', () => {
  it('sends the platform headers, winning over the target headers whatever their case', () => {
    const headers = requestHeaders({
      ...INPUT,
      headers: {
        Authorization: 'Bearer t',
        'Idempotency-Key': 'forged',
        'Content-Type': 'text/plain',
        'X-Job-Context-Identifier': 'forged',
      },
    });
    expect(Object.fromEntries(headers)).toEqual({
      authorization: 'Bearer t',
      'content-type': 'application/json',
      'idempotency-key': INPUT.idempotencyKey,
      'user-agent': 'runbook-scheduler',
    });
  });

  it('carries the job context identifier, percent-encoded', () => {
    const headers = requestHeaders({ ...INPUT, jobContextIdentifier: 'tenant 42/é' });
    expect(headers.get('x-job-context-identifier')).toBe('tenant%2042%2F%C3%A9');
  });

  it('does not mutate the input', () => {
    const input = { ...INPUT, headers: { 'Idempotency-Key': 'forged' } };
    requestHeaders(input);
    expect(input.headers).toEqual({ 'Idempotency-Key': 'forged' });
  });
});

describe('describeNetworkError', () => {
  it('names the refused connection of a real fetch', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const err = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeNetworkError(err)).toMatch(/^fetch failed \(.*ECONNREFUSED.*\)$/);
  });

  it('reads the code and nested errors of an AggregateError cause', () => {
    const cause = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:9')], ''), {
      code: 'ECONNREFUSED',
    });
    expect(describeNetworkError(new TypeError('fetch failed', { cause }))).toBe(
      'fetch failed (connect ECONNREFUSED ::1:9)',
    );
  });

  it('puts the code beside a message that lacks it, or alone when there is no message', () => {
    const withMessage = Object.assign(new Error('getaddrinfo failed'), { code: 'ENOTFOUND' });
    expect(describeNetworkError(new TypeError('fetch failed', { cause: withMessage }))).toBe(
      'fetch failed (ENOTFOUND: getaddrinfo failed)',
    );
    const bare = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(describeNetworkError(new TypeError('fetch failed', { cause: bare }))).toBe(
      'fetch failed (ECONNREFUSED)',
    );
  });

  it('falls back to the text of non-errors', () => {
    expect(describeNetworkError('boom')).toBe('boom');
    expect(describeNetworkError(new Error('timed out'))).toBe('timed out');
  });
});
