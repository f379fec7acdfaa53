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

/** The recorded failure, exactly as FEATURES.md A4 states it: the HTTP code, or `unreachable`. */
export function dispatchFailureMessage(status: number | 'unreachable'): string {
  return `Runbook execution failed with status ${status}`;
}
