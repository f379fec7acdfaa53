/**
 * HTTP dispatch of one occurrence (FEATURES.md A3, A4, F4; issue 9.2, 9.3): POST the JSON body with an
 * `Idempotency-Key`, follow no redirect, and sort the answer into success, retry (network errors, 5xx, 429) or
 * refusal.
 *
 * Every connection goes only where the egress policy allows: a literal address is checked before connecting,
 * a host name on each resolution (a fresh connection per attempt, no keep-alive), so a name that re-binds to
 * an internal address between checks still cannot pass. At most {@link MAX_RESPONSE_BYTES} of an answer are
 * read, and one deadline bounds the whole attempt, body included.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import {
  EGRESS_REFUSED_REASON,
  TARGET_URL_CREDENTIALS_MESSAGE,
  TARGET_URL_INVALID_MESSAGE,
  egressDenial,
  parseHttpUrl,
  unbracket,
  urlPort,
  type EgressPolicy,
} from '../src/dispatch/egress';
import { targetHeaderProblems } from '../src/dispatch/headers';
import {
  recordedAnswer,
  requestHeaders,
  type HttpDispatchRequest,
  type RunbookAnswer,
} from '../src/dispatch/request';
import {
  classifyHttpStatus,
  dispatchFailureMessage,
  HttpVerdict,
  type DispatchFailureStatus,
} from '../src/dispatch/outcome';

/** Input of the `dispatchHttp` activity. */
export type HttpDispatchInput = HttpDispatchRequest;

/** Per-attempt deadline of one POST, from connecting to the end of the answer's body. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Most bytes of an answer's body read; the rest is not received (the status alone decides the outcome). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** How often the activity heartbeats (heartbeats carry cancellation) while the POST is in flight. */
const HEARTBEAT_INTERVAL_MS = 2_000;

/** Resolves a host name to every address it has (like `dns.lookup` with `all: true`). */
export type Resolve = (
  hostname: string,
  options: { readonly family?: number; readonly hints?: number },
) => Promise<readonly LookupAddress[]>;

/** Options of {@link createDispatchHttp}. */
export interface HttpDispatchOptions {
  /** Where a dispatch may connect. */
  readonly policy: EgressPolicy;
  /** Deadline of one attempt, body included. @default {@link REQUEST_TIMEOUT_MS} */
  readonly timeoutMs?: number;
  /** Most bytes of an answer read. @default {@link MAX_RESPONSE_BYTES} */
  readonly maxResponseBytes?: number;
  /** Name resolution, a parameter so tests can point a name anywhere. @default `dns.lookup`, all addresses */
  readonly resolve?: Resolve;
}

/** Success of one dispatch: the status, and the answer as the run's history keeps it (FEATURES.md B7). */
export interface HttpDispatchResult {
  readonly status: number;
  readonly answer: RunbookAnswer;
}

/**
 * Builds the `dispatchHttp` activity: POSTs the payload once; the activity's retry policy repeats it.
 * @throws ApplicationFailure with `{status, cause}` as details: type `RunbookDispatchRetryable` (retried) for
 * network errors, timeouts, a body cut off mid-read, 5xx and 429; type `RunbookDispatchRefused` (not retried)
 * for other statuses and, with message `Runbook execution failed with status refused`, for a dispatch the
 * platform will not send: an address the egress policy denies (cause {@link EGRESS_REFUSED_REASON}, the same
 * for every address), credentials in the URL, or headers that may not be sent.
 * @throws CancelledFailure when the activity is cancelled (the request is aborted).
 */
export function createDispatchHttp(
  options: HttpDispatchOptions,
): (input: HttpDispatchInput) => Promise<HttpDispatchResult> {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const resolve = options.resolve ?? defaultResolve;
  const { policy } = options;

  return async function dispatchHttp(input: HttpDispatchInput): Promise<HttpDispatchResult> {
    const ctx = Context.current();
    const url = parseHttpUrl(input.url);
    // Registration refuses all of these; a runbook registered before it did is refused here, never sent.
    if (url === undefined) throw refused(TARGET_URL_INVALID_MESSAGE);
    if (url.username !== '' || url.password !== '') throw refused(TARGET_URL_CREDENTIALS_MESSAGE);
    const headerProblems = targetHeaderProblems(input.headers);
    if (headerProblems.length > 0) throw refused(headerProblems.join('; '));
    const port = urlPort(url);
    const host = unbracket(url.hostname);
    // A literal address is connected to without a lookup, so it is checked here.
    const literalDenial = isIP(host) === 0 ? undefined : egressDenial(policy, host, port);
    if (literalDenial !== undefined) throw refusedByPolicy(ctx, literalDenial);

    const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_INTERVAL_MS);
    let answer: RunbookAnswer;
    try {
      answer = await post(url, {
        headers: Object.fromEntries(requestHeaders(input)),
        body: JSON.stringify(input.payload),
        lookup: guardedLookup(policy, port, resolve),
        timeoutMs,
        maxResponseBytes,
        cancellation: ctx.cancellationSignal,
      });
    } catch (err) {
      if (ctx.cancellationSignal.aborted) throw cancelled(ctx);
      if (err instanceof EgressRefusedError) throw refusedByPolicy(ctx, err.rule);
      const cause = describeNetworkError(err);
      throw ApplicationFailure.create({
        message: `${dispatchFailureMessage('unreachable')}: ${cause}`,
        type: 'RunbookDispatchRetryable',
        details: [{ status: 'unreachable', cause }],
      });
    } finally {
      clearInterval(beat);
    }
    const { status } = answer;
    const verdict = classifyHttpStatus(status);
    if (verdict === HttpVerdict.Success) return { status, answer };
    throw ApplicationFailure.create({
      message: dispatchFailureMessage(status),
      type: verdict === HttpVerdict.Retry ? 'RunbookDispatchRetryable' : 'RunbookDispatchRefused',
      nonRetryable: verdict !== HttpVerdict.Retry,
      details: [{ status, cause: `HTTP ${status} ${answer.status_text}`.trim(), answer }],
    });
  };
}

/** A readable cause, e.g. `connect ECONNREFUSED 127.0.0.1:9`. */
export function describeNetworkError(err: unknown): string {
  // Duck-typed: errors may come from another realm (a VM context), where `instanceof Error` is false.
  const { name, message, code, cause, errors } = asErrorLike(err);
  // Node's connect errors carry the reason in `code`; an AggregateError (every address refused) has no message.
  const nestedOf = (list: readonly unknown[] | undefined): string =>
    (list ?? [])
      .map((e) => asErrorLike(e).message)
      .filter(Boolean)
      .join('; ');
  const head = message || nestedOf(errors) || code || name || String(err);
  if (cause === undefined) return head;
  const inner = asErrorLike(cause);
  const detail = [inner.message, nestedOf(inner.errors)].filter(Boolean).join('; ');
  if (!detail) return `${head} (${inner.code ?? inner.name ?? 'unknown cause'})`;
  return `${head} (${inner.code && !detail.includes(inner.code) ? `${inner.code}: ` : ''}${detail})`;
}

/** A resolved address of the target is one the egress policy denies; `rule` is for the worker's log only. */
class EgressRefusedError extends Error {
  override readonly name = 'EgressRefusedError';
  constructor(readonly rule: string) {
    super(EGRESS_REFUSED_REASON);
  }
}

/** The attempt's deadline passed before the answer was complete. */
class DispatchTimeoutError extends Error {
  override readonly name = 'DispatchTimeoutError';
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
  }
}

/** The connection ended before the answer's body was complete. */
class IncompleteResponseError extends Error {
  override readonly name = 'IncompleteResponseError';
  constructor() {
    super('the answer ended before its body was complete');
  }
}

interface PostOptions {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly lookup: LookupFunction;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly cancellation: AbortSignal;
}

/**
 * One POST on a connection of its own: resolves with the answer once the body ended or `maxResponseBytes` of it
 * were read (the connection is then closed); rejects on any error, the deadline, a cancellation, or a body cut
 * off mid-read.
 */
function post(url: URL, options: PostOptions): Promise<RunbookAnswer> {
  return new Promise((resolve, reject) => {
    if (options.cancellation.aborted) {
      reject(new CancelledFailure('Activity cancelled'));
      return;
    }
    const body = Buffer.from(options.body, 'utf8');
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(body.length) },
      // A fresh agent per request: no connection is kept alive or shared between targets or attempts.
      agent: false,
      lookup: options.lookup,
    });
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      // A plain timer, held by the event loop until cleared: unlike `AbortSignal.any`, it survives GC.
      clearTimeout(deadline);
      options.cancellation.removeEventListener('abort', onCancel);
      finish();
    };
    const fail = (err: Error): void => {
      settle(() => reject(err));
      request.destroy();
    };
    const deadline = setTimeout(() => fail(new DispatchTimeoutError(options.timeoutMs)), options.timeoutMs);
    const onCancel = (): void => fail(new CancelledFailure('Activity cancelled'));
    options.cancellation.addEventListener('abort', onCancel);
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const answer = (cutOff: boolean): RunbookAnswer =>
        recordedAnswer(
          response.statusCode ?? 0,
          response.statusMessage ?? '',
          response.headers['content-type'] ?? null,
          Buffer.concat(chunks).subarray(0, options.maxResponseBytes).toString('utf8'),
          cutOff,
        );
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        chunks.push(chunk);
        if (received < options.maxResponseBytes) return;
        // Enough read: the status decides; the rest is never received.
        settle(() => resolve(answer(true)));
        response.destroy();
        request.destroy();
      });
      response.on('end', () => settle(() => resolve(answer(false))));
      // Cut off mid-read ('aborted', a reset): one readable cause, whichever event comes first.
      response.on('error', () => fail(new IncompleteResponseError()));
      response.on('close', () => {
        if (!response.complete) fail(new IncompleteResponseError());
      });
    });
    request.end(body);
  });
}

/** A `lookup` for the request that refuses the connection when any address of the name is denied. */
function guardedLookup(policy: EgressPolicy, port: number, resolve: Resolve): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolve(hostname, {
      ...(lookupOptions.family !== undefined ? { family: familyNumber(lookupOptions.family) } : {}),
      ...(lookupOptions.hints !== undefined ? { hints: lookupOptions.hints } : {}),
    }).then(
      (addresses) => {
        const first = addresses[0];
        if (first === undefined) {
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
          return;
        }
        for (const { address } of addresses) {
          const rule = egressDenial(policy, address, port);
          if (rule !== undefined) {
            callback(new EgressRefusedError(rule), '');
            return;
          }
        }
        if (lookupOptions.all) callback(null, [...addresses]);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/** `4`, `6` or `0` (either) from a lookup option, which may still spell them `'IPv4'` and `'IPv6'`. */
function familyNumber(family: number | 'IPv4' | 'IPv6'): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family;
}

const defaultResolve: Resolve = (hostname, options) => dnsLookup(hostname, { ...options, all: true });

/** A dispatch the egress policy refused: the real rule in the worker's log, one generic cause for the tenant. */
function refusedByPolicy(ctx: Context, rule: string): ApplicationFailure {
  ctx.log.warn('Dispatch refused by the egress policy', { rule });
  return refused(EGRESS_REFUSED_REASON);
}

/** `Runbook execution failed with status refused`, not retried, with the cause beside it. */
function refused(cause: string): ApplicationFailure {
  const status: DispatchFailureStatus = 'refused';
  return ApplicationFailure.create({
    message: dispatchFailureMessage(status),
    type: 'RunbookDispatchRefused',
    nonRetryable: true,
    details: [{ status, cause }],
  });
}

function cancelled(ctx: Context): CancelledFailure {
  const reason: unknown = ctx.cancellationSignal.reason;
  return reason instanceof CancelledFailure ? reason : new CancelledFailure('Activity cancelled');
}

interface ErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly cause?: unknown;
  readonly errors?: readonly unknown[];
}

function asErrorLike(value: unknown): ErrorLike {
  if (typeof value !== 'object' || value === null) return { message: String(value) };
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v.name === 'string' ? { name: v.name } : {}),
    ...(typeof v.message === 'string' ? { message: v.message } : {}),
    ...(typeof v.code === 'string' ? { code: v.code } : {}),
    ...('cause' in v ? { cause: v.cause } : {}),
    ...(Array.isArray(v.errors) ? { errors: v.errors as unknown[] } : {}),
  };
}
