/**
 * The run's instance status (FEATURES.md B5) as the `RunbookInstanceStatus` search attribute, and the dispatch
 * retry loop that lets the run see (and show) when it is `Blocked`: waiting out the backoff after the runbook
 * failed an attempt. Both are new commands, so runs recorded before them replay unchanged: they ask for
 * {@link INSTANCE_STATUS_PATCH} / {@link DISPATCH_BACKOFF_PATCH}.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  patched,
  proxyActivities,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import type { HttpDispatchInput } from '../activities/dispatch-http';
import { InstanceStatus } from '../src/instances/status';
import type { DispatchPayload } from '../src/dispatch/payload';
import {
  instanceTypeOf,
  submitterOf,
  type DispatchRetryPolicy,
  type ScheduledRunInput,
} from '../src/temporal/run-input';
import { INSTANCE_STATUS } from '../src/temporal/search-attributes';
import { AbortReasons } from '../src/instances/abort-record';
import type { CancelledBy } from '../src/instances/cancel-signal';

/** Marks runs that upsert `RunbookInstanceStatus`. */
export const INSTANCE_STATUS_PATCH = 'instance-status';

/** Marks runs whose in-place HTTP dispatch retries in the workflow (one activity attempt each). */
export const DISPATCH_BACKOFF_PATCH = 'dispatch-backoff-in-workflow';

/** Sets the run's `RunbookInstanceStatus` (runs recorded before it existed set nothing). */
export function markStatus(status: InstanceStatus): void {
  if (patched(INSTANCE_STATUS_PATCH)) upsertSearchAttributes([{ key: INSTANCE_STATUS, value: status }]);
}

/** The wait before attempt `attempt + 1`, as Temporal's retry policy computes it. */
export function backoffMs(retry: DispatchRetryPolicy, attempt: number): number {
  return Math.min(
    retry.initialIntervalMs * retry.backoffCoefficient ** (attempt - 1),
    retry.maximumIntervalMs,
  );
}

function retryable(err: unknown): boolean {
  if (isCancellation(err)) return false;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return !(
    cause instanceof ApplicationFailure &&
    (cause.nonRetryable || cause.type === 'RunbookDispatchRefused')
  );
}

/**
 * POSTs `request` with the schedule's retry policy, one activity attempt at a time; between attempts the run
 * reads `Blocked`, then `In progress` again. Fails as the last attempt did.
 * @returns undefined for runs recorded before the loop: the caller dispatches with Temporal's own retries.
 */
export async function dispatchWithVisibleBackoff(
  request: HttpDispatchInput,
  retry: DispatchRetryPolicy,
): Promise<{ status: number } | undefined> {
  if (!patched(DISPATCH_BACKOFF_PATCH)) return undefined;
  const { dispatchHttp } = proxyActivities<ReturnType<typeof activities.createActivities>>({
    startToCloseTimeout: '45 seconds',
    heartbeatTimeout: '10 seconds',
    retry: { maximumAttempts: 1 },
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await dispatchHttp(request);
    } catch (err) {
      if (attempt >= retry.maximumAttempts || !retryable(err)) throw err;
      markStatus(InstanceStatus.Blocked);
      await sleep(backoffMs(retry, attempt));
      markStatus(InstanceStatus.InProgress);
    }
  }
}

/** Longest business identifier value kept in the memo. */
export const MAX_BUSINESS_IDENTIFIER_CHARS = 200;

/**
 * The instance's facts the listing reads without opening its history (FEATURES.md B5), as the run's memo
 * `instance`: type, submitter, occurrence, key, and the business identifiers (the job context identifier and the
 * `request_body` keys the runbook declares).
 */
export function upsertInstanceMemo(
  input: ScheduledRunInput,
  payload: DispatchPayload,
  key: string,
  jobContextIdentifier: string | null,
): InstanceMemoFields | undefined {
  if (!patched(INSTANCE_STATUS_PATCH)) return undefined;
  const business: Record<string, string> = {};
  if (jobContextIdentifier !== null) business.job_context_identifier = jobContextIdentifier;
  for (const name of input.businessIdentifierKeys ?? []) {
    const value = input.requestBody?.[name];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    business[name] = text.slice(0, MAX_BUSINESS_IDENTIFIER_CHARS);
  }
  const instance: InstanceMemoFields = {
    type: instanceTypeOf(input),
    submitter: submitterOf(input),
    triggered_at: payload.triggered_at,
    idempotency_key: key,
    business_identifiers: business,
    resubmitted_from: input.resubmittedFrom ?? null,
  };
  upsertMemo({ instance });
  return instance;
}

/** The run's memo `instance`, as {@link upsertInstanceMemo} writes it. */
export type InstanceMemoFields = Record<string, unknown>;

/** Marks runs that record who cancelled them in their memo. */
export const CANCELLED_BY_PATCH = 'cancelled-by-in-memo';

/**
 * Records in the memo that the run was cancelled, and by whom when the cancel named its user (see
 * `CANCELLED_BY_SIGNAL`); the listing shows it as the instance's `aborted`. Runs recorded before it
 * record nothing.
 */
export function recordCancellation(
  instance: InstanceMemoFields | undefined,
  cancelledBy: CancelledBy | undefined,
): void {
  if (instance === undefined || !patched(CANCELLED_BY_PATCH)) return;
  const aborted = cancelledBy ?? { reason: AbortReasons.cancelled, by: null };
  upsertMemo({ instance: { ...instance, aborted: { reason: aborted.reason, by: aborted.by } } });
}
