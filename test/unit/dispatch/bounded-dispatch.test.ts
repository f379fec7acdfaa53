/**
 * Bounded dispatch (issue 9.3), run outside a worker with `MockActivityEnvironment`: at most 64 KiB of an answer
 * are read, whatever its size; one deadline ends an attempt, body included, and holds while garbage collection
 * runs; a body cut off mid-read is a (retried) failure, never a success.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { MAX_RECORDED_ANSWER_CHARS } from '../../../src/dispatch/request';
import {
  MAX_RESPONSE_BYTES,
  REQUEST_TIMEOUT_MS,
  createDispatchHttp,
  type HttpDispatchInput,
  type HttpDispatchOptions,
  type HttpDispatchResult,
} from '../../../activities/dispatch-http';
import { buildEgressPolicy } from '../../../src/dispatch/egress';

jest.setTimeout(60_000);

const MiB = 1024 * 1024;
const POLICY = buildEgressPolicy({
  egressAllow: ['127.0.0.0/8'],
  address: 'localhost:7233',
  temporalUiPort: 8233,
  httpHost: '127.0.0.1',
  httpPort: 8080,
});
const INPUT: HttpDispatchInput = {
  url: 'http://127.0.0.1:1/hook',
  headers: {},
  payload: { body: { schedule_reference: 'ref' }, triggered_at: '2026-04-29T09:00:00Z' },
  idempotencyKey: 'rbs:sol:ref/gen/2026-04-29T09:00:00Z',
  jobContextIdentifier: null,
};

/** `global.gc` without starting node with `--expose-gc`. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function dispatch(
  url: string,
  options: Partial<HttpDispatchOptions> = {},
): Promise<HttpDispatchResult | ApplicationFailure> {
  const env = new MockActivityEnvironment(undefined, {
    logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
  });
  try {
    const activity = createDispatchHttp({ policy: POLICY, ...options });
    return await env.run<[HttpDispatchInput], HttpDispatchResult, typeof activity>(activity, {
      ...INPUT,
      url,
    });
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
}

function noop(): void {}

/** A server in this process answering with `answer`. */
async function startServer(
  answer: (res: http.ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A server in a child process (so its own buffers are not in this process's RSS) answering 200 with a body of
 * `bytes`, written as fast as the client reads it; prints its port, then how much it wrote when the connection
 * closed.
 */
const HUGE_SERVER = `
const http = require('node:http');
const total = Number(process.argv[1]);
const chunk = Buffer.alloc(1024 * 1024, 0x61);
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
    let written = 0;
    const pump = () => {
      while (written < total) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => console.log('written ' + written));
    res.on('error', () => undefined);
    pump();
  });
}).listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });
`;

async function startHugeServer(
  bytes: number,
): Promise<{ url: string; written: Promise<number>; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', HUGE_SERVER, String(bytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let onWritten: (n: number) => void = noop;
  const written = new Promise<number>((resolve) => (onWritten = resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString('utf8');
      const portMatch = /port (\d+)/.exec(output);
      if (portMatch) resolve(Number(portMatch[1]));
      const writtenMatch = /written (\d+)/.exec(output);
      if (writtenMatch) onWritten(Number(writtenMatch[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}/hook`, written, child };
}

describe('at most 64 KiB of an answer are read', () => {
  it('has the documented defaults', () => {
    expect(MAX_RESPONSE_BYTES).toBe(64 * 1024);
    expect(REQUEST_TIMEOUT_MS).toBe(30_000);
  });

  it('a 512 MiB answer moves the RSS by less than 20 MiB; the status decides and the rest is never sent', async () => {
    const gc = exposeGc();
    const server = await startHugeServer(512 * MiB);
    try {
      gc();
      const before = process.memoryUsage().rss;
      const outcome = await dispatch(server.url);
      const after = process.memoryUsage().rss;
      expect(outcome).toMatchObject({ status: 200, answer: { status: 200, truncated: true } });
      // The history keeps at most 16 KiB of the answer.
      expect((outcome as { answer: { body: string } }).answer.body).toHaveLength(MAX_RECORDED_ANSWER_CHARS);
      expect(after - before).toBeLessThan(20 * MiB);
      // Closed after 64 KiB: the server could write only what the socket buffers held.
      expect(await server.written).toBeLessThan(64 * MiB);
    } finally {
      server.child.kill();
    }
  });

  it('a 5xx with a large body is still judged by its status', async () => {
    const server = await startServer((res) => {
      res.writeHead(503, { 'content-length': String(4 * MiB) });
      res.end(Buffer.alloc(4 * MiB, 0x62));
    });
    try {
      const failure = await dispatch(server.url, { maxResponseBytes: 1024 });
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).message).toBe('Runbook execution failed with status 503');
      expect((failure as ApplicationFailure).type).toBe('RunbookDispatchRetryable');
    } finally {
      await server.close();
    }
  });
});

describe('one deadline per attempt', () => {
  const TIMEOUT_MS = 1_000;

  /** Dispatches with the shortened deadline and returns the failure and how long the attempt took. */
  async function timed(url: string): Promise<{ failure: ApplicationFailure; elapsedMs: number }> {
    const started = performance.now();
    const outcome = await dispatch(url, { timeoutMs: TIMEOUT_MS });
    const elapsedMs = performance.now() - started;
    if (!(outcome instanceof ApplicationFailure))
      throw new Error(`expected a failure, got status ${outcome.status}`);
    return { failure: outcome, elapsedMs };
  }

  /** A server that answers 200 with a 100-byte body, one byte a second. */
  function dripServer() {
    return startServer((res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.flushHeaders();
      const drip = setInterval(() => res.write('x'), 1_000);
      res.on('close', () => clearInterval(drip));
    });
  }

  const expectTimedOut = ({
    failure,
    elapsedMs,
  }: {
    failure: ApplicationFailure;
    elapsedMs: number;
  }): void => {
    expect(failure.message).toBe(
      `Runbook execution failed with status unreachable: no complete answer within ${TIMEOUT_MS} ms`,
    );
    expect(failure.type).toBe('RunbookDispatchRetryable');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.details).toEqual([
      { status: 'unreachable', cause: `no complete answer within ${TIMEOUT_MS} ms` },
    ]);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    // The drip would take 100 s to finish: any bound well below that tells a deadline from none, and a loaded
    // 2-core CI machine has been seen 2 s late (GC every 20 ms, six test processes beside it).
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 9_000);
  };

  it('a server sending 1 byte/s ends the attempt at the timeout', async () => {
    const server = await dripServer();
    try {
      expectTimedOut(await timed(server.url));
    } finally {
      await server.close();
    }
  });

  it('and still does while garbage collection runs', async () => {
    const gc = exposeGc();
    const server = await dripServer();
    const collecting = setInterval(gc, 20);
    try {
      expectTimedOut(await timed(server.url));
    } finally {
      clearInterval(collecting);
      await server.close();
    }
  });

  it('a server that never answers ends the attempt at the timeout', async () => {
    const server = await startServer(noop);
    try {
      expectTimedOut(await timed(server.url));
    } finally {
      await server.close();
    }
  });
});

describe('a body cut off mid-read is a failure', () => {
  it.each([
    ['with a length', { 'content-length': '1000' }],
    ['chunked', {}],
  ])('%s: retried as unreachable, not a success', async (_name, headers) => {
    const server = await startServer((res) => {
      res.writeHead(200, headers);
      res.write('0123456789', () => res.destroy());
    });
    try {
      const outcome = await dispatch(server.url);
      expect(outcome).toBeInstanceOf(ApplicationFailure);
      const failure = outcome as ApplicationFailure;
      expect(failure.type).toBe('RunbookDispatchRetryable');
      expect(failure.message).toBe(
        'Runbook execution failed with status unreachable: the answer ended before its body was complete',
      );
      expect(failure.details).toEqual([
        { status: 'unreachable', cause: 'the answer ended before its body was complete' },
      ]);
    } finally {
      await server.close();
    }
  });
});
