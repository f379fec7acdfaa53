/**
 * Helpers for integration tests against the real Temporal dev server started by `global-setup.ts`.
 *
 * Tests read the server's address from the environment ({@link testSettings}), use unique ids
 * ({@link uniqueId}), poll eventually consistent visibility ({@link waitFor}) and receive dispatched HTTP calls on a
 * local recorder ({@link startHttpReceiver}).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_NAMESPACE, loadSettings, type Settings } from '../../src/config';
import type { WindowOptions } from '../../src/temporal/compile';
import { connectionOptions } from '../../src/temporal/connection';

/** Root of the checkout. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
/** The dev server script, also used by the harness to find the CLI and register search attributes. */
export const DEV_SCRIPT = path.join(PROJECT_ROOT, 'temporal-dev.sh');
/** Namespace of the test server. */
export const TEST_NAMESPACE = DEFAULT_NAMESPACE;

/** A small explicit window, so a minutely rule is re-armed by writes (as every daily and coarser rule is). */
export const SMALL_WINDOW: WindowOptions = { forceWindow: true, minCount: 5, minSpanMs: 10 * 60_000 };
/** Retention the dev script and the harness give the namespace (FEATURES.md E3): 30 days. */
export const NAMESPACE_RETENTION_SECONDS = 30 * 24 * 60 * 60;

/** Settings of the test server, as global setup put them in the environment. */
export function testSettings(): Settings {
  return loadSettings(process.env);
}

/** A client of the test server; call `close()` in `afterAll` / `finally`. */
export interface TestClient {
  readonly client: Client;
  readonly connection: Connection;
  readonly settings: Settings;
  close(): Promise<void>;
}

/** Connects a {@link Client} to the test server (or to `settings`, e.g. another server a test started). */
export async function connectTestClient(settings: Settings = testSettings()): Promise<TestClient> {
  const connection = await Connection.connect(connectionOptions(settings));
  const client = new Client({ connection, namespace: settings.namespace });
  return { client, connection, settings, close: () => connection.close() };
}

/** A test-unique id: `${slug}-${randomUUID()}`. */
export function uniqueId(slug: string): string {
  return `${slug}-${randomUUID()}`;
}

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** @default 20000 */
  readonly timeoutMs?: number;
  /** @default 200 */
  readonly intervalMs?: number;
  /** Named in the timeout error. */
  readonly description?: string;
}

/**
 * Calls `fn` until it returns a truthy value without throwing, and returns that value. Assertions inside `fn` are
 * retried, so `await waitFor(async () => { expect(await list()).toHaveLength(1); return true; })` works.
 *
 * @throws the last error of `fn` (or a timeout error) once `timeoutMs` has passed.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  { timeoutMs = 20_000, intervalMs = 200, description = 'condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      if (lastError instanceof Error) {
        lastError.message = `waitFor(${description}) timed out after ${timeoutMs} ms: ${lastError.message}`;
        throw lastError;
      }
      throw new Error(`waitFor(${description}) timed out after ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

/** Result of {@link runDevScript}. */
export interface DevScriptResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `temporal-dev.sh` with extra environment variables.
 *
 * @throws when it exits non-zero, unless `allowFailure` is set.
 */
export function runDevScript(
  args: readonly string[],
  env: Record<string, string> = {},
  { allowFailure = false, timeoutMs = 180_000 }: { allowFailure?: boolean; timeoutMs?: number } = {},
): DevScriptResult {
  const result = spawnSync(DEV_SCRIPT, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw result.error;
  const out: DevScriptResult = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  if (!allowFailure && result.status !== 0) {
    throw new Error(
      `temporal-dev.sh ${args.join(' ')} exited with ${result.status ?? result.signal}\n${out.stdout}\n${out.stderr}`,
    );
  }
  return out;
}

/** Absolute path of the temporal CLI: the one global setup resolved, else `temporal-dev.sh cli-path`. */
export function resolveTemporalCli(): string {
  const known = process.env.TEMPORAL_TEST_CLI?.trim();
  if (known) return known;
  const lines = runDevScript(['cli-path']).stdout.trim().split('\n');
  const cli = lines[lines.length - 1]?.trim();
  if (!cli) throw new Error('temporal-dev.sh cli-path printed no path');
  return cli;
}

/** One request received by an {@link HttpReceiver}. */
export interface RecordedRequest {
  readonly method: string;
  /** Path with query string, as sent. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Body parsed as JSON; `undefined` when empty or not JSON. */
  readonly body: unknown;
  readonly rawBody: string;
  readonly receivedAt: Date;
}

/** A scripted answer: a status code, or a status with body, headers and a delay before answering. */
export type ScriptedResponse =
  | number
  | {
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      readonly delayMs?: number;
    };

/** A local HTTP server that records every request; see {@link startHttpReceiver}. */
export interface HttpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Requests in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Queues responses, one per coming request, used before the default. */
  script(...responses: ScriptedResponse[]): void;
  /** Response once the script is used up. @default 200 with `{"ok":true}` */
  setDefault(response: ScriptedResponse): void;
  /** Resolves with the first `n` requests once that many arrived. @throws after `timeoutMs` (default 20000). */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** Starts an {@link HttpReceiver} on a free port of 127.0.0.1. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedResponse[] = [];
  let fallback: ScriptedResponse = { status: 200, body: { ok: true } };
  const waiters = new Set<() => void>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined; // not JSON: rawBody keeps it
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        rawBody,
        receivedAt: new Date(),
      });
      for (const wake of waiters) wake();
      const scripted = queue.shift() ?? fallback;
      const response = typeof scripted === 'number' ? { status: scripted } : scripted;
      const send = () => {
        const payload = response.body === undefined ? '' : JSON.stringify(response.body);
        res.writeHead(response.status, {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...response.headers,
        });
        res.end(payload);
      };
      if (response.delayMs) setTimeout(send, response.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('HTTP receiver has no port');
  const { port } = address;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    script: (...responses) => void queue.push(...responses),
    setDefault: (response) => void (fallback = response),
    waitForRequests: (n, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < n) return;
          cleanup();
          resolve(requests.slice(0, n));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${n} HTTP requests within ${timeoutMs} ms, got ${requests.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
