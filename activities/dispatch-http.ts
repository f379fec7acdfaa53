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
      headers: {
        ...input.headers,
        'content-type': 'application/json',
        'idempotency-key': input.idempotencyKey,
        'user-agent': 'runbook-scheduler',
        ...(input.jobContextIdentifier !== null
          ? { 'x-job-context-identifier': encodeURIComponent(input.jobContextIdentifier) }
          : {}),
      },
      body: JSON.stringify(input.payload),
    });
    // Drain the body so the connection is released; its content is not part of the contract.
    await response.arrayBuffer().catch(() => undefined);
  } catch (err) {
    if (ctx.cancellationSignal.aborted) throw err;
    const cause = err instanceof Error ? describeNetworkError(err) : String(err);
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

function describeNetworkError(err: Error): string {
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return `${err.message} (${cause.message})`;
  return err.message;
}
