/**
 * HTTP dispatch of one occurrence (FEATURES.md A3, A4, F4): POST the JSON body with an `Idempotency-Key`,
 * follow no redirect, and sort the answer into success, retry (network errors, 5xx, 429) or refusal.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { DispatchPayload } from '../src/dispatch/payload';
import { classifyHttpStatus, dispatchFailureMessage, HttpVerdict } from '../src/dispatch/outcome';

/** Input of {@link dispatchHttp}. */
export interface HttpDispatchInput {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload: DispatchPayload;
  readonly idempotencyKey: string;
  readonly jobContextIdentifier: string | null;
}

/** Per-attempt timeout of one POST. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * POSTs the payload once; the activity's retry policy repeats it.
 * @throws ApplicationFailure type `RunbookDispatchRetryable` (retried) or `RunbookDispatchRefused` (not retried),
 * with `{status, cause}` as details.
 */
export async function dispatchHttp(input: HttpDispatchInput): Promise<{ status: number }> {
  const ctx = Context.current();
  // Heartbeats carry cancellation (a cancelled run aborts the request) while the POST is in flight.
  const beat = setInterval(() => ctx.heartbeat(), 2_000);
  const signal = AbortSignal.any([ctx.cancellationSignal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
  let response: Response;
  try {
    response = await fetch(input.url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: requestHeaders(input),
      body: JSON.stringify(input.payload),
    });
    // Drain the body so the connection is released; its content is not part of the contract.
    await response.arrayBuffer().catch(() => undefined);
  } catch (err) {
    if (ctx.cancellationSignal.aborted) throw err;
    const cause = describeNetworkError(err);
    throw ApplicationFailure.create({
      message: `${dispatchFailureMessage('unreachable')}: ${cause}`,
      type: 'RunbookDispatchRetryable',
      details: [{ status: 'unreachable', cause }],
    });
  } finally {
    clearInterval(beat);
  }
  const verdict = classifyHttpStatus(response.status);
  if (verdict === HttpVerdict.Success) return { status: response.status };
  throw ApplicationFailure.create({
    message: dispatchFailureMessage(response.status),
    type: verdict === HttpVerdict.Retry ? 'RunbookDispatchRetryable' : 'RunbookDispatchRefused',
    nonRetryable: verdict !== HttpVerdict.Retry,
    details: [{ status: response.status, cause: `HTTP ${response.status} ${response.statusText}`.trim() }],
  });
}

/**
 * The POST's headers: the target's own, then the platform's, which win whatever the case the target spelled a
 * name in (a plain object would send `Idempotency-Key` and `idempotency-key` joined into one value).
 */
export function requestHeaders(input: HttpDispatchInput): Headers {
  const headers = new Headers(input.headers);
  headers.set('content-type', 'application/json');
  headers.set('idempotency-key', input.idempotencyKey);
  headers.set('user-agent', 'runbook-scheduler');
  if (input.jobContextIdentifier !== null) {
    headers.set('x-job-context-identifier', encodeURIComponent(input.jobContextIdentifier));
  } else {
    headers.delete('x-job-context-identifier');
  }
  return headers;
}

/** A readable cause, e.g. `fetch failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)`. */
export function describeNetworkError(err: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (a VM context), where `instanceof Error` is false.
  const { name, message, cause } = asErrorLike(err);
  const head = message || name || String(err);
  if (cause === undefined) return head;
  const inner = asErrorLike(cause);
  // Node's connect errors carry the reason in `code`; an AggregateError (every address refused) has no message.
  const nested = inner.errors?.map((e) => asErrorLike(e).message).filter(Boolean) ?? [];
  const detail = [inner.message, ...nested].filter(Boolean).join('; ');
  if (!detail) return `${head} (${inner.code ?? inner.name ?? 'unknown cause'})`;
  return `${head} (${inner.code && !detail.includes(inner.code) ? `${inner.code}: ` : ''}${detail})`;
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
