/**
 * How a runbook's answer is judged and recorded (FEATURES.md A4). Pure.
 */

/** What to do with an HTTP status from a runbook endpoint. */
export const HttpVerdict = {
  /** 2xx: the runbook accepted the fire. */
  Success: 'success',
  /** Network errors, 5xx and 429: retried durably with backoff. */
  Retry: 'retry',
  /** Any other status (other 4xx, 3xx since redirects are not followed, 1xx): recorded, not retried. */
  Fail: 'fail',
} as const;
/** What to do with an HTTP status from a runbook endpoint. */
export type HttpVerdict = (typeof HttpVerdict)[keyof typeof HttpVerdict];

/** Classifies an HTTP status code. */
export function classifyHttpStatus(status: number): HttpVerdict {
  if (status >= 200 && status < 300) return HttpVerdict.Success;
  if (status >= 500 || status === 429) return HttpVerdict.Retry;
  return HttpVerdict.Fail;
}

/**
 * What a failed dispatch is recorded with: the HTTP status of the answer, `unreachable` when no answer came
 * (network error, timeout, a body cut off mid-read), or `refused` when the platform refused to send it (the
 * egress policy, credentials in the URL, headers it may not send).
 */
export type DispatchFailureStatus = number | 'unreachable' | 'refused';

/** The recorded failure, exactly as FEATURES.md A4 states it: the HTTP code, `unreachable` or `refused`. */
export function dispatchFailureMessage(status: DispatchFailureStatus): string {
  return `Runbook execution failed with status ${status}`;
}
