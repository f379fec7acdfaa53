/**
 * The HTTP dispatch activity, run outside a worker with `MockActivityEnvironment` against local servers: what it
 * sends, how it judges the answer, and where the egress policy lets it connect (issue 9.2).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createDispatchHttp,
  describeNetworkError,
  type HttpDispatchInput,
  type HttpDispatchOptions,
  type HttpDispatchResult,
  type Resolve,
} from '../../../activities/dispatch-http';
import { requestHeaders } from '../../../src/dispatch/request';
import {
  EGRESS_REFUSED_REASON,
  buildEgressPolicy,
  type EgressPolicy,
  type EgressSettings,
} from '../../../src/dispatch/egress';

const INPUT: HttpDispatchInput = {
  url: 'http://127.0.0.1:1/hook',
  headers: {},
  payload: { body: { schedule_reference: 'ref' }, triggered_at: '2026-04-29T09:00:00Z' },
  idempotencyKey: 'rbs:sol:ref/gen/2026-04-29T09:00:00Z',
  jobContextIdentifier: null,
};

/** The defaults of `loadSettings`, with loopback opened as the integration fixture does. */
const SETTINGS: EgressSettings = {
  egressAllow: ['127.0.0.0/8', '::1/128'],
  address: 'localhost:7233',
  temporalUiPort: 8233,
  httpHost: '127.0.0.1',
  httpPort: 8080,
};
const LOOPBACK_OPEN = buildEgressPolicy(SETTINGS);
const DEFAULT_POLICY = buildEgressPolicy({ ...SETTINGS, egressAllow: [] });

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

/** One request a {@link Receiver} got. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A local server answering every request with `answer`; counts connections. */
interface Receiver {
  readonly port: number;
  readonly requests: Received[];
  connections: number;
  close(): Promise<void>;
}

async function startReceiver(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) =>
    void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
): Promise<Receiver> {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(req, res);
    });
  });
  const receiver = {
    port: 0,
    requests,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => void receiver.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  return receiver;
}

/** Log lines the activity wrote, as `LEVEL message` and the rule, if any (the SDK's own metadata left out). */
function recordingLogger(lines: string[]): Logger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata): void =>
    void lines.push(`${level} ${message}${meta?.rule === undefined ? '' : `: ${String(meta.rule)}`}`);
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}

/** Runs one dispatch in a mock activity context; resolves with its result or its failure. */
async function dispatch(
  input: Partial<HttpDispatchInput>,
  options: Partial<HttpDispatchOptions> & { policy?: EgressPolicy } = {},
  logLines: string[] = [],
): Promise<HttpDispatchResult | ApplicationFailure | CancelledFailure> {
  const env = new MockActivityEnvironment(undefined, { logger: recordingLogger(logLines) });
  const activity = createDispatchHttp({ policy: LOOPBACK_OPEN, ...options });
  try {
    return await env.run<[HttpDispatchInput], HttpDispatchResult, typeof activity>(activity, {
      ...INPUT,
      ...input,
    });
  } catch (err) {
    if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
    throw err;
  }
}

/** The failure of a dispatch that must fail. */
function failureOf(outcome: Awaited<ReturnType<typeof dispatch>>): ApplicationFailure {
  if (!(outcome instanceof ApplicationFailure))
    throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('dispatchHttp: what it sends and how it judges the answer', () => {
  let receiver: Receiver;
  let status = 200;
  beforeAll(async () => {
    receiver = await startReceiver((_req, res) => {
      const headers = status === 302 ? { location: '/elsewhere' } : { 'content-type': 'text/plain' };
      res.writeHead(status, headers).end(status === 200 ? '' : `answer ${status}`);
    });
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.connections = 0;
  });

  it('POSTs the payload as JSON with the platform headers and the target’s own', async () => {
    status = 200;
    const outcome = await dispatch({
      url: `http://127.0.0.1:${receiver.port}/hook?x=1`,
      headers: { Authorization: 'Bearer t' },
      jobContextIdentifier: 'job 7',
    });
    expect(outcome).toEqual({
      status: 200,
      answer: { status: 200, status_text: 'OK', content_type: 'text/plain', body: '', truncated: false },
    });
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/hook?x=1' });
    expect(JSON.parse(request?.body ?? '')).toEqual(INPUT.payload);
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer t',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(JSON.stringify(INPUT.payload))),
      'idempotency-key': INPUT.idempotencyKey,
      'user-agent': 'runbook-scheduler',
      'x-job-context-identifier': 'job%207',
    });
  });

  it('opens a fresh connection for every dispatch and keeps none alive', async () => {
    status = 200;
    const url = `http://127.0.0.1:${receiver.port}/hook`;
    await dispatch({ url });
    await dispatch({ url });
    expect(receiver.connections).toBe(2);
    expect(receiver.requests.map((r) => r.headers.connection)).toEqual(['close', 'close']);
  });

  it('404 is refused, not retried, with the status as cause', async () => {
    status = 404;
    const failure = failureOf(await dispatch({ url: `http://127.0.0.1:${receiver.port}/hook` }));
    expect(failure.message).toBe('Runbook execution failed with status 404');
    expect(failure.type).toBe('RunbookDispatchRefused');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([
      {
        status: 404,
        cause: 'HTTP 404 Not Found',
        answer: {
          status: 404,
          status_text: 'Not Found',
          content_type: 'text/plain',
          body: 'answer 404',
          truncated: false,
        },
      },
    ]);
  });

  it.each([503, 429])('%i is retried', async (code) => {
    status = code;
    const failure = failureOf(await dispatch({ url: `http://127.0.0.1:${receiver.port}/hook` }));
    expect(failure.message).toBe(`Runbook execution failed with status ${code}`);
    expect(failure.type).toBe('RunbookDispatchRetryable');
    expect(failure.nonRetryable).toBe(false);
  });

  it('302 is not followed', async () => {
    status = 302;
    const failure = failureOf(await dispatch({ url: `http://127.0.0.1:${receiver.port}/hook` }));
    expect(failure.message).toBe('Runbook execution failed with status 302');
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hook']);
  });

  it('cancelling the activity aborts the request', async () => {
    const slow = await startReceiver(() => undefined); // never answers
    try {
      const env = new MockActivityEnvironment(undefined, { logger: recordingLogger([]) });
      const activity = createDispatchHttp({ policy: LOOPBACK_OPEN });
      const running = env.run(activity, { ...INPUT, url: `http://127.0.0.1:${slow.port}/hook` });
      await waitUntil(() => slow.requests.length === 1);
      env.cancel();
      await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    } finally {
      await slow.close();
    }
  });
});

describe('dispatchHttp: the egress policy', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.connections = 0;
  });

  /** Resolves every name to `addresses`, one list per call in turn (the last one repeats). */
  function resolver(...answers: string[][]): Resolve {
    let call = 0;
    return () => {
      const answer = answers[Math.min(call++, answers.length - 1)] ?? [];
      return Promise.resolve(answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    };
  }

  const refusedFailure = {
    message: 'Runbook execution failed with status refused',
    type: 'RunbookDispatchRefused',
    nonRetryable: true,
    details: [{ status: 'refused', cause: EGRESS_REFUSED_REASON }],
  };

  /** Dispatches and checks the refusal, the operator's log line, and that nothing connected. */
  async function expectRefused(
    input: Partial<HttpDispatchInput>,
    options: Partial<HttpDispatchOptions>,
    rule: string | RegExp,
  ): Promise<void> {
    const lines: string[] = [];
    const failure = failureOf(await dispatch(input, options, lines));
    expect({
      message: failure.message,
      type: failure.type,
      nonRetryable: failure.nonRetryable,
      details: failure.details,
    }).toEqual(refusedFailure);
    const logged = lines.filter((line) => line.startsWith('WARN Dispatch refused by the egress policy: '));
    expect(logged).toHaveLength(1);
    const loggedRule = logged[0]?.slice('WARN Dispatch refused by the egress policy: '.length);
    if (typeof rule === 'string') expect(loggedRule).toBe(rule);
    else expect(loggedRule).toMatch(rule);
    expect(receiver.connections).toBe(0);
  }

  it('refuses a literal loopback address by default, without connecting', async () => {
    await expectRefused(
      { url: `http://127.0.0.1:${receiver.port}/hook` },
      { policy: DEFAULT_POLICY },
      'loopback 127.0.0.0/8',
    );
  });

  it('refuses a literal address in another spelling (0x7f000001)', async () => {
    await expectRefused(
      { url: `http://0x7f000001:${receiver.port}/hook` },
      { policy: DEFAULT_POLICY },
      'loopback 127.0.0.0/8',
    );
  });

  it('refuses localhost, a name, on the address it resolves to', async () => {
    await expectRefused(
      { url: `http://localhost:${receiver.port}/hook` },
      { policy: DEFAULT_POLICY },
      /^loopback (127\.0\.0\.0\/8|::1\/128)$/,
    );
  });

  it('refuses a public-looking name that resolves to a private or metadata address', async () => {
    await expectRefused(
      { url: 'http://runbooks.example.com/hook' },
      { resolve: resolver(['10.0.0.5']) },
      'private 10.0.0.0/8',
    );
    await expectRefused(
      { url: 'http://runbooks.example.com/hook' },
      { resolve: resolver(['93.184.215.14', '169.254.169.254']) },
      'link-local 169.254.0.0/16',
    );
  });

  it('checks each connection: a name that re-binds to a denied address after a first dispatch is refused', async () => {
    const resolve = resolver(['127.0.0.1'], ['10.0.0.5']);
    const activity = createDispatchHttp({ policy: LOOPBACK_OPEN, resolve });
    const env = new MockActivityEnvironment(undefined, { logger: recordingLogger([]) });
    const url = `http://rebinding.example:${receiver.port}/hook`;
    expect(await env.run(activity, { ...INPUT, url })).toMatchObject({ status: 200 });
    const second = await env.run(activity, { ...INPUT, url }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ApplicationFailure);
    expect((second as ApplicationFailure).details).toEqual([
      { status: 'refused', cause: EGRESS_REFUSED_REASON },
    ]);
    expect(receiver.connections).toBe(1);
  });

  it("refuses the product's own endpoints although loopback is open", async () => {
    const own = buildEgressPolicy({ ...SETTINGS, address: `127.0.0.1:${receiver.port}` });
    await expectRefused(
      { url: `http://127.0.0.1:${receiver.port}/hook` },
      { policy: own },
      `the Temporal frontend (127.0.0.1:${receiver.port})`,
    );
    await expectRefused(
      { url: `http://localhost:${receiver.port}/hook` },
      { policy: own },
      `the Temporal frontend (127.0.0.1:${receiver.port})`,
    );
  });

  it('reaches an opened loopback receiver, by address and by name', async () => {
    expect(await dispatch({ url: `http://127.0.0.1:${receiver.port}/hook` })).toMatchObject({ status: 200 });
    expect(await dispatch({ url: `http://localhost:${receiver.port}/hook` })).toMatchObject({ status: 200 });
    expect(receiver.requests).toHaveLength(2);
  });

  it('refuses a URL with credentials, never quoting the password', async () => {
    const failure = failureOf(
      await dispatch({ url: `http://user:s3cr3t-pw@127.0.0.1:${receiver.port}/hook` }),
    );
    expect(failure.message).toBe('Runbook execution failed with status refused');
    expect(failure.details).toEqual([
      { status: 'refused', cause: 'Target url must not contain credentials' },
    ]);
    expect(JSON.stringify(failure)).not.toContain('s3cr3t-pw');
    expect(receiver.connections).toBe(0);
  });

  it('refuses headers registration would refuse (a runbook registered before the check), naming them', async () => {
    const failure = failureOf(
      await dispatch({
        url: `http://127.0.0.1:${receiver.port}/hook`,
        headers: { 'Transfer-Encoding': 'chunked', 'X-Note': 'a\r\nb' },
      }),
    );
    expect(failure.details).toEqual([
      {
        status: 'refused',
        cause:
          'Target header "Transfer-Encoding" is not allowed; Target header "X-Note" value must not contain CR, LF or NUL',
      },
    ]);
    expect(receiver.connections).toBe(0);
  });
});

describe('describeNetworkError', () => {
  it('names the refused connection of a real dispatch', async () => {
    const closed = await startReceiver();
    const port = closed.port;
    await closed.close();
    const failure = failureOf(await dispatch({ url: `http://127.0.0.1:${port}/hook` }));
    expect(failure.type).toBe('RunbookDispatchRetryable');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe(
      `Runbook execution failed with status unreachable: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(failure.details).toEqual([
      { status: 'unreachable', cause: `connect ECONNREFUSED 127.0.0.1:${port}` },
    ]);
  });

  it('reads the messages of an AggregateError (every address of a name refused)', () => {
    const err = Object.assign(
      new AggregateError(
        [new Error('connect ECONNREFUSED ::1:9'), new Error('connect ECONNREFUSED 127.0.0.1:9')],
        '',
      ),
      { code: 'ECONNREFUSED' },
    );
    expect(describeNetworkError(err)).toBe('connect ECONNREFUSED ::1:9; connect ECONNREFUSED 127.0.0.1:9');
    expect(describeNetworkError(Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' }))).toBe(
      'ECONNREFUSED',
    );
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

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
